/*
 * Address spaces: top-level page tables that share the kernel half of
 * swapper_pg_dir (mm/pgd.c). The groundwork for user processes.
 */
#ifndef PAGODA_PGD_H
#define PAGODA_PGD_H

#include <asm/pgtable.h>

/* A new, empty user half and the kernel half copied from swapper_pg_dir.
 * NULL if no page. Process context. */
pteval_t *pgd_alloc(void);
/* Free a pgd_alloc table; not the one in CR3, never swapper_pg_dir. */
void pgd_free(pteval_t *pgd);
/* Make pgd the running address space (load CR3 if it differs). Interrupts
 * may be on. */
void load_pgd(pteval_t *pgd);
/* True if pgd's kernel half is identical to swapper_pg_dir's (tests). */
bool pgd_kernel_half_matches(const pteval_t *pgd);

#endif
