/*
 * Address spaces as the scheduler sees them: init_mm (the kernel's own,
 * swapper_pg_dir, which kernel threads borrow) and switch_mm, the CR3
 * reload when the next task's address space differs from the one loaded.
 * struct mm_struct itself is in <pagoda/mm_user.h>.
 */
#include <pagoda/pgd.h>
#include <pagoda/mm_user.h>
#include <pagoda/sched.h>

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
	load_pgd(next->pgd);
}
