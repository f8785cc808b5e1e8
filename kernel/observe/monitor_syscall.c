/*
 * The monitor system call: a user program (the shell's `monitor` builtin)
 * opens the kernel monitor on the console, in its own process context, and
 * gets control back when `exit` is typed. A teaching kernel's debug door,
 * open to every process (docs/user-space.md). One process at a time: the
 * monitor's state and its objects are not made for two users at once.
 */
#include <pagoda/monitor.h>
#include <pagoda/mutex.h>
#include <pagoda/syscalls.h>

static DEFINE_MUTEX(monitor_door);

SYSCALL_DEFINE0(monitor)
{
	mutex_lock(&monitor_door);
	monitor_enter();
	mutex_unlock(&monitor_door);
	return 0;
}
