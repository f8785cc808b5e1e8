/*
 * Spinlocks: the ticket lock itself and the lock_debug reports (boots with
 * `lock_debug`, one misuse each). Mutual exclusion on every CPU at once is
 * smp_mm.lock_excludes_all_cpus.
 */
#include <pagoda/kallsyms.h>
#include <pagoda/ktest.h>
#include <pagoda/gfp.h>
#include <pagoda/preempt.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <pagoda/string.h>
#include <pagoda/tlbflush.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

static void ticket_lock_basics(struct ktest *t)
{
	DEFINE_SPINLOCK(l);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&l));
	spin_lock(&l);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&l));
	KTEST_EXPECT_EQ(t, l.tickets.tail, l.tickets.head + 1);
	KTEST_EXPECT_FALSE(t, arch_spin_trylock(&l));   /* held: no second owner */
	spin_unlock(&l);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&l));
	KTEST_EXPECT_EQ(t, l.tickets.head, 1);          /* one ticket served */
	KTEST_EXPECT_TRUE(t, spin_trylock(&l));
	KTEST_EXPECT_TRUE(t, spin_is_locked(&l));
	spin_unlock(&l);

	/* The tickets wrap at 16 bits without losing the lock. */
	l.val = 0xfffefffeu;
	spin_lock(&l);
	spin_unlock(&l);
	spin_lock(&l);
	KTEST_EXPECT_EQ(t, l.tickets.head, 0xffff);
	spin_unlock(&l);
	KTEST_EXPECT_EQ(t, l.val, 0u);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&l));
}

static void irqsave_restores_flags(struct ktest *t)
{
	DEFINE_SPINLOCK(l);
	unsigned long flags;
	KTEST_ASSERT_FALSE(t, irqs_disabled());
	spin_lock_irqsave(&l, flags);
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	spin_unlock_irqrestore(&l, flags);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	/* Nested inside a section that already had interrupts off: stays off. */
	unsigned long outer = local_irq_save();
	spin_lock_irqsave(&l, flags);
	spin_unlock_irqrestore(&l, flags);
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	local_irq_restore(outer);
	KTEST_EXPECT_TRUE(t, spin_trylock_irqsave(&l, flags));
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	spin_unlock_irqrestore(&l, flags);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
}

/* ---- lock_debug ----------------------------------------------------------------- */

static bool need_lock_debug(struct ktest *t)
{
	if (!lock_debug)
		ktest_skip(t, "boot with lock_debug");
	return lock_debug;
}

static __noinline void take_and_check_owner(struct ktest *t, spinlock_t *l)
{
	spin_lock(l);
	KTEST_EXPECT_EQ(t, l->owner_cpu, smp_processor_id());
	KTEST_EXPECT_EQ(t, spin_locks_held(), 1);
	/* The first saved return address is inside this function. */
	unsigned long off, size;
	const char *fn = kallsyms_lookup(l->trace[0], &off, &size);
	KTEST_EXPECT_TRUE(t, fn && !strcmp(fn, "take_and_check_owner"));
	spin_unlock(l);
}

static void lock_debug_records_owner(struct ktest *t)
{
	if (!need_lock_debug(t))
		return;
	spinlock_t l;
	spin_lock_init(&l);
	KTEST_EXPECT_STREQ(t, l.name, "&l");
	KTEST_EXPECT_STREQ(t, l.init_fn, "lock_debug_records_owner");
	KTEST_EXPECT_EQ(t, spin_locks_held(), 0);
	take_and_check_owner(t, &l);
	KTEST_EXPECT_EQ(t, l.owner_cpu, -1);
	KTEST_EXPECT_EQ(t, spin_locks_held(), 0);
	/* Out-of-order release of two locks keeps the list right. */
	DEFINE_SPINLOCK(a);
	DEFINE_SPINLOCK(b);
	spin_lock(&a);
	spin_lock(&b);
	KTEST_EXPECT_EQ(t, spin_locks_held(), 2);
	spin_unlock(&a);
	KTEST_EXPECT_EQ(t, spin_locks_held(), 1);
	spin_unlock(&b);
	KTEST_EXPECT_EQ(t, spin_locks_held(), 0);
}

static DEFINE_SPINLOCK(test_lock);

static __noinline void take_test_lock(void)
{
	spin_lock(&test_lock);
}

static void spinlock_recursion(struct ktest *t)
{
	if (!need_lock_debug(t))
		return;
	take_test_lock();
	spin_lock(&test_lock);          /* would spin forever */
}

static void unlock_of_unlocked_lock(struct ktest *t)
{
	if (!need_lock_debug(t))
		return;
	spin_unlock(&test_lock);
}

static void unlock_by_another_cpu_fn(void *info)
{
	spin_unlock(&test_lock);
}

static void unlock_by_another_cpu(struct ktest *t)
{
	if (!need_lock_debug(t))
		return;
	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second CPU");
		return;
	}
	take_test_lock();
	smp_call_function_single(1, unlock_by_another_cpu_fn, NULL, true);
}

static void sleep_holding_spinlock(struct ktest *t)
{
	if (!need_lock_debug(t))
		return;
	take_test_lock();
	might_sleep();
}

/* GFP_KERNEL may sleep: the allocator checks it on every call, not only
 * when memory is short. */
static void alloc_kernel_holding_spinlock(struct ktest *t)
{
	if (!need_lock_debug(t))
		return;
	take_test_lock();
	struct page *page = alloc_page(GFP_KERNEL);
	if (page)
		__free_page(page);
}

/* A lock some CPU takes with interrupts off, held across a shootdown. */
static void shootdown_holding_irq_lock(struct ktest *t)
{
	if (!need_lock_debug(t))
		return;
	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second CPU");
		return;
	}
	unsigned long flags;
	spin_lock_irqsave(&test_lock, flags);
	flush_tlb_kernel_range(VMALLOC_START, VMALLOC_START + PAGE_SIZE);
	spin_unlock_irqrestore(&test_lock, flags);
}

static struct ktest_case spinlock_cases[] = {
	KTEST_CASE(ticket_lock_basics),
	KTEST_CASE(irqsave_restores_flags),
	KTEST_CASE(lock_debug_records_owner),
	KTEST_PANIC_CASE(spinlock_recursion, "BUG: spinlock recursion: lock test_lock"),
	KTEST_PANIC_CASE(unlock_of_unlocked_lock, "BUG: bad spin_unlock: lock test_lock"),
	KTEST_PANIC_CASE(unlock_by_another_cpu, "BUG: bad spin_unlock: lock test_lock"),
	KTEST_PANIC_CASE(sleep_holding_spinlock, "BUG: sleeping function called with a spinlock held: lock test_lock"),
	KTEST_PANIC_CASE(alloc_kernel_holding_spinlock, "BUG: sleeping function called with a spinlock held: lock test_lock"),
	KTEST_PANIC_CASE(shootdown_holding_irq_lock, "BUG: waiting for other CPUs with a spinlock held: lock test_lock"),
	{}
};
KTEST_SUITE(spinlock, spinlock_cases);
