/* might_sleep(): catch a blocking call made while this CPU must not block. */
#include <pagoda/preempt.h>
#include <pagoda/panic.h>
#include <pagoda/spinlock.h>

DEFINE_PER_CPU(int, preempt_count);

void __might_sleep(const char *file, int line)
{
	/* A spinlock holder must not block either; lock_debug keeps the
	 * per-CPU list of held locks that tells, and reports the lock. */
	if (unlikely(lock_debug))
		lock_debug_check_sleep(file, line);
	int depth = this_cpu_read(preempt_count);
	if (likely(depth <= 0))
		return;
	/* panic() adds the backtrace: it shows who blocked, and from where. */
	panic("BUG: sleeping function called from invalid context at %s:%d\n"
	      "in_atomic(): %d (a kmap_atomic mapping is held; use kmap_local_page to block)",
	      file, line, depth);
}
