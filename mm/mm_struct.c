/*
 * The life of an address space: mm_alloc, the two counts (mm_users: the
 * tasks whose own mm it is; mm_count: references to the struct and its
 * pgd, one of them held by all the users together), exit_mmap when the
 * last user goes (every user page and page table freed, the VMAs too) and
 * pgd_free when the last reference goes (which can be later: a CPU whose
 * kernel thread borrows the mm keeps its pgd in CR3 until it switches).
 */
#include <pagoda/pgd.h>
#include <pagoda/sched.h>
#include <pagoda/slab.h>
#include <pagoda/panic.h>
#include "mm_user_internal.h"

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);
	if (!mm)
		return NULL;
	mm->pgd = pgd_alloc();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	INIT_LIST_HEAD(&mm->mmap);
	mutex_init(&mm->mmap_lock);
	mm->mm_users = 1;
	mm->mm_count = 1;
	mm->stack_limit = TASK_SIZE - STACK_SIZE_MAX;
	mm->mmap_base = mm->stack_limit - STACK_GUARD_GAP;
	return mm;
}

void mmgrab(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_count, 1, __ATOMIC_RELAXED);
}

void mmdrop(struct mm_struct *mm)
{
	int left = __atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_ACQ_REL);
	BUG_ON(left < 0);
	if (left)
		return;
	BUG_ON(mm == &init_mm);
	pgd_free(mm->pgd);
	kfree(mm);
}

/* The last user is gone: nothing runs in mm any more, but a CPU may still
 * have it in CR3 (lazily), so the TLB flushes of the unmapping matter. */
static void exit_mmap(struct mm_struct *mm)
{
	mutex_lock(&mm->mmap_lock);
	zap_user_range(mm, 0, TASK_SIZE);
	free_all_vmas(mm);
	WARN_ON(mm->rss);
	mutex_unlock(&mm->mmap_lock);
}

void mmput(struct mm_struct *mm)
{
	int left = __atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL);
	BUG_ON(left < 0);
	if (left)
		return;
	exit_mmap(mm);
	mmdrop(mm);
}

struct mm_struct *get_task_mm(struct task_struct *t)
{
	struct mm_struct *mm = READ_ONCE(t->mm);
	if (!mm)
		return NULL;
	/* Only while it still has users: never bring a dying mm back. */
	int users = __atomic_load_n(&mm->mm_users, __ATOMIC_RELAXED);
	while (users > 0)
		if (__atomic_compare_exchange_n(&mm->mm_users, &users, users + 1, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return mm;
	return NULL;
}
