/*
 * Address spaces as the scheduler sees them: init_mm (the kernel's own,
 * swapper_pg_dir, which kernel threads borrow), switch_mm (the CR3 reload
 * when the next task's address space differs from the one loaded, and
 * each mm's cpu_mask of CPUs that may cache its translations), and
 * kthread_use_mm for a kernel thread that works in a user address space.
 * struct mm_struct itself is in <pagoda/mm_user.h>.
 */
#include <pagoda/pgd.h>
#include <pagoda/mm_user.h>
#include <pagoda/panic.h>
#include <pagoda/sched.h>
#include <pagoda/smp.h>
#include <asm/processor.h>

struct mm_struct init_mm = {
	.pgd = swapper_pg_dir,
	.mmap = LIST_HEAD_INIT(init_mm.mmap),
	.mmap_lock = __MUTEX_INITIALIZER(init_mm.mmap_lock),
	.mm_users = 1,
	.mm_count = 1,
};

void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	if (prev == next || !next)
		return;
	unsigned long me = 1UL << smp_processor_id();
	/* Into next's mask before CR3 is loaded: a flush that changed a PTE
	 * and then read the mask either sees this CPU or finished its change
	 * before this load walks the tables (the atomic orders both). */
	__atomic_or_fetch(&next->cpu_mask, me, __ATOMIC_SEQ_CST);
	load_pgd(next->pgd);
	/* The CR3 write dropped prev's (non-global) entries here. */
	if (prev)
		__atomic_and_fetch(&prev->cpu_mask, ~me, __ATOMIC_SEQ_CST);
}

void kthread_use_mm(struct mm_struct *mm)
{
	struct task_struct *tsk = current;
	unsigned long flags;

	BUG_ON(tsk->mm);
	mmgrab(mm);
	flags = local_irq_save();
	struct mm_struct *active = tsk->active_mm;
	tsk->mm = mm;
	tsk->active_mm = mm;
	switch_mm(active, mm);
	local_irq_restore(flags);
	/* The lazy reference the thread held on its borrowed mm. */
	if (active)
		mmdrop(active);
}

void kthread_unuse_mm(struct mm_struct *mm)
{
	struct task_struct *tsk = current;
	unsigned long flags;

	BUG_ON(tsk->mm != mm);
	mmgrab(&init_mm);
	flags = local_irq_save();
	tsk->mm = NULL;
	tsk->active_mm = &init_mm;
	switch_mm(mm, &init_mm);
	local_irq_restore(flags);
	mmdrop(mm);
}

/* On this CPU, in an IPI: a kernel thread (or the idle task) that borrows
 * a process's mm lazily gives it up for init_mm, as if it had switched to a
 * task of its own. Interrupts are off, so no switch is half done here. */
static void drop_lazy_mm(void *unused)
{
	struct task_struct *tsk = current;
	struct mm_struct *old = tsk->active_mm;

	(void)unused;
	if (tsk->mm || !old || old == &init_mm)
		return;
	unsigned long flags = local_irq_save();     /* the caller's own CPU runs this too */
	mmgrab(&init_mm);
	tsk->active_mm = &init_mm;
	switch_mm(old, &init_mm);
	local_irq_restore(flags);
	mmdrop(old);            /* may free it: pgd_free, kfree, both fine here */
}

void drop_lazy_mms(void)
{
	on_each_cpu(drop_lazy_mm, NULL, true);
}
