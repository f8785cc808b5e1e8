/*
 * Lock debugging (the `lock_debug` command-line option): every spinlock
 * records which CPU holds it and where that CPU took it (a few return
 * addresses), and each CPU keeps the list of locks it holds. With that,
 * the misuses that would otherwise hang the machine or corrupt data quietly
 * are caught at the moment they happen, with both stories told: where the
 * lock was taken and where it was misused.
 *
 *   recursion          a CPU takes a lock it already holds (it would spin forever)
 *   bad unlock         unlocking a lock nobody holds, or one another CPU holds
 *   sleep under lock   might_sleep() while holding any spinlock
 *   IPI under lock     waiting for other CPUs while holding a lock that some
 *                      CPU takes with interrupts off (it cannot answer)
 *   lockup             spinning for more than SPIN_LOCKUP_SEC seconds
 *
 * Without the option the lock functions test one global flag and take the
 * plain ticket path (include/pagoda/spinlock.h): nothing here runs.
 */
#include <pagoda/cmdline.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <pagoda/sprintf.h>
#include <pagoda/spinlock.h>
#include <pagoda/time.h>
#include <asm/processor.h>

bool lock_debug;

#define HELD_MAX 8                      /* locks one CPU holds at once, tracked by name */
#define SPIN_LOCKUP_SEC 20

struct held_locks {
	int count;                      /* may exceed HELD_MAX: then only counted */
	spinlock_t *lock[HELD_MAX];
};
static DEFINE_PER_CPU(struct held_locks, held);

CMDLINE_FLAG(lock_debug, lock_debug,
	     "check spinlock and mutex use: recursion, unlock by a non-owner, sleeping or waiting for IPIs with a lock held");

int spin_locks_held(void)
{
	return this_cpu_read(held.count);
}

/* ---- reports ---------------------------------------------------------------- */

static void describe(const spinlock_t *l)
{
	if (l->init_fn)
		printk(KERN_EMERG " lock: %s (set up in %s) at %p\n", l->name, l->init_fn, (const void *)l);
	else
		printk(KERN_EMERG " lock: %s at %p\n", l->name, (const void *)l);
}

static void show_holder(const spinlock_t *l)
{
	int owner = READ_ONCE(l->owner_cpu);
	if (owner < 0) {
		printk(KERN_EMERG " held by: nobody\n");
		return;
	}
	printk(KERN_EMERG " held by CPU %d, taken at:\n", owner);
	print_stack_trace(l->trace, SPIN_TRACE_DEPTH);
}

/* The report's first line names the misuse; panic adds "where it happened". */
static __noreturn void lock_bug(const spinlock_t *l, const char *what, const char *detail)
{
	int cpu = smp_processor_id();
	local_irq_disable();
	printk(KERN_EMERG "BUG: %s on CPU %d%s%s\n", what, cpu, detail ? ": " : "", detail ? detail : "");
	describe(l);
	show_holder(l);
	printk(KERN_EMERG " misuse at (the backtrace below):\n");
	panic("BUG: %s: lock %s at %p, CPU %d", what, l->name, (const void *)l, cpu);
}

/* ---- the held-lock list ---------------------------------------------------- */

static __always_inline void note_acquired(spinlock_t *l, int cpu)
{
	l->owner_cpu = cpu;
	/* From the caller of spin_lock_debug on: spin_lock itself is inlined there. */
	save_stack_trace(current_frame_pointer(), l->trace, SPIN_TRACE_DEPTH);
	/* Only once other CPUs run: during the one-CPU part of boot (LAPIC
	 * ioremap before interrupts are on) nobody could be left spinning. */
	if (!l->irqs_off_at && irqs_disabled() && num_online_cpus() > 1)
		l->irqs_off_at = l->trace[0];
	struct held_locks *h = per_cpu_ptr(&held, cpu);
	if (h->count < HELD_MAX)
		h->lock[h->count] = l;
	h->count++;
}

static void note_released(spinlock_t *l, int cpu)
{
	struct held_locks *h = per_cpu_ptr(&held, cpu);
	int n = h->count < HELD_MAX ? h->count : HELD_MAX;
	for (int i = n - 1; i >= 0; i--) {
		if (h->lock[i] != l)
			continue;
		for (int j = i; j < n - 1; j++)     /* not always LIFO: close the gap */
			h->lock[j] = h->lock[j + 1];
		break;
	}
	h->count--;
	l->owner_cpu = -1;
}

/* ---- the checked lock operations -------------------------------------------- */

__noinline void spin_lock_debug(spinlock_t *l)
{
	int cpu = smp_processor_id();
	/* Only this CPU writes its own number into owner_cpu, and clears it
	 * before unlocking, so seeing it here means this CPU holds the lock. */
	if (READ_ONCE(l->owner_cpu) == cpu && spin_is_locked(l))
		lock_bug(l, "spinlock recursion", "taking a lock this CPU already holds would spin forever");

	u32 old = __atomic_fetch_add(&l->val, 1u << 16, __ATOMIC_ACQUIRE);
	u16 ticket = (u16)(old >> 16);
	if ((u16)old != ticket) {
		u64 start = rdtsc(), limit = (tsc_khz ? tsc_khz : 1000000) * 1000 * SPIN_LOCKUP_SEC;
		while (__atomic_load_n(&l->tickets.head, __ATOMIC_ACQUIRE) != ticket) {
			arch_cpu_relax();
			if (rdtsc() - start > limit)
				lock_bug(l, "spinlock lockup suspected", "waited more than " __stringify(SPIN_LOCKUP_SEC)
					 " seconds");
		}
	}
	note_acquired(l, cpu);
}

__noinline void spin_unlock_debug(spinlock_t *l)
{
	int cpu = smp_processor_id();
	if (!spin_is_locked(l))
		lock_bug(l, "bad spin_unlock", "the lock is not held");
	if (READ_ONCE(l->owner_cpu) != cpu)
		lock_bug(l, "bad spin_unlock", "this CPU does not hold the lock");
	note_released(l, cpu);
	arch_spin_unlock(l);
}

__noinline bool spin_trylock_debug(spinlock_t *l)
{
	int cpu = smp_processor_id();
	if (READ_ONCE(l->owner_cpu) == cpu && spin_is_locked(l))
		lock_bug(l, "spinlock recursion", "spin_trylock of a lock this CPU already holds");
	if (!arch_spin_trylock(l))
		return false;
	note_acquired(l, cpu);
	return true;
}

/* ---- checks called from elsewhere ------------------------------------------ */

/* From __might_sleep (kernel/preempt.c). */
void lock_debug_check_sleep(const char *file, int line)
{
	struct held_locks *h = this_cpu_ptr(&held);
	if (!lock_debug || !h->count)
		return;
	char where[96];
	snprintf(where, sizeof(where), "blocking call at %s:%d with %d spinlock%s held", file, line, h->count,
		 h->count == 1 ? "" : "s");
	lock_bug(h->lock[h->count < HELD_MAX ? h->count - 1 : HELD_MAX - 1], "sleeping function called with a spinlock held",
		 where);
}

void lock_debug_check_cross_cpu_wait(const char *what)
{
	if (!lock_debug || num_online_cpus() < 2)
		return;
	struct held_locks *h = this_cpu_ptr(&held);
	int n = h->count < HELD_MAX ? h->count : HELD_MAX;
	for (int i = 0; i < n; i++)
		if (h->lock[i]->irqs_off_at) {
			char why[200];
			snprintf(why, sizeof(why), "%s waits for other CPUs, but a CPU spinning on this lock with "
				 "interrupts off (as at %pS) cannot answer", what, (void *)h->lock[i]->irqs_off_at);
			lock_bug(h->lock[i], "waiting for other CPUs with a spinlock held", why);
		}
}
