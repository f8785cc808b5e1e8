/*
 * Address spaces as the scheduler sees them: init_mm (the kernel's own,
 * swapper_pg_dir, which kernel threads borrow) and switch_mm, the CR3
 * reload when the next task's address space differs from the one loaded.
 * The rest of struct mm_struct (VMAs, counters) comes with user processes.
 */
#include <pagoda/pgd.h>
#include <pagoda/sched.h>

struct mm_struct init_mm = {
	.pgd = swapper_pg_dir,
};

void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	if (prev == next || !next)
		return;
	load_pgd(next->pgd);
}
