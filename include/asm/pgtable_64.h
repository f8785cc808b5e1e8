#ifndef ASM_PGTABLE_64_H
#define ASM_PGTABLE_64_H

typedef u64 pteval_t;

#define PT_LEVELS 4
#define PT_INDEX_BITS 9
#define PTRS_PER_TABLE 512
#define _PAGE_NX (1UL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000UL
#define PTRS_PER_PGD 512
#define PT_LEVEL_NAMES { "PML4", "PDPT", "PD", "PT" }
#define _PAGE_TABLE(level) (_PAGE_PRESENT | _PAGE_RW)
#define PGD_USER_PREALLOCATED 0 /* user top-level entries come and go (PAE: see pgtable_3level.h) */

/* 1 GiB pages at the PDPT (level 1) when the CPU has them, 2 MiB at the PD. */
bool arch_large_page_ok(int level);

/* An entry is one machine word here: one store sets or clears it. */
static inline void set_pte(pteval_t *ptep, pteval_t val) { *(volatile pteval_t *)ptep = val; }
static inline void pte_clear(pteval_t *ptep) { *(volatile pteval_t *)ptep = 0; }


#endif
