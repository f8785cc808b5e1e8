/*
 * Ending processes. Until user processes exist nothing can ask for this:
 * a user fault needs a user task. Process support replaces this file.
 */
#include <pagoda/signal.h>
#include <pagoda/panic.h>

void force_fatal_sig(int sig)
{
	panic("force_fatal_sig(%d) with no user processes", sig);
}

bool signal_pending(struct task_struct *t)
{
	(void)t;
	return false;           /* nothing can send one yet */
}
