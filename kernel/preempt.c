/* might_sleep(): catch a blocking call made while this CPU must not block. */
#include <pagoda/preempt.h>
#include <pagoda/panic.h>
#include <pagoda/sched.h>
#include <pagoda/spinlock.h>
#include <asm/processor.h>

DEFINE_PER_CPU(int, preempt_count);
DEFINE_PER_CPU(int, preempt_block_count);

void __might_sleep(const char *file, int line)
{
	/* A spinlock holder must not block; lock_debug keeps the per-CPU list
	 * of held locks that tells which, and where it was taken. */
	if (unlikely(lock_debug))
		lock_debug_check_sleep(file, line);
	int depth = this_cpu_read(preempt_count);
	if (unlikely(depth > 0))
		/* panic() adds the backtrace: it shows who blocked, and from where. */
		panic("BUG: sleeping function called from invalid context at %s:%d\n"
		      "in_atomic(): %d, task %s/%d (a spinlock, kmap_atomic or preempt_disable is held; "
		      "kmap_local_page may block)", file, line, depth, current->comm, current->pid);
	/* Interrupts off is not checked here: the slab refill path allocates
	 * pages with them off and never sleeps. schedule() itself refuses. */
}
