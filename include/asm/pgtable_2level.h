/*
 * i386 without PAE: PD -> PT, 1024 four-byte entries per table, 10 index
 * bits per level. An entry holds a 32-bit frame address, so RAM above
 * 4 GiB cannot be mapped at all, and there is no NX bit.
 */
#ifndef ASM_PGTABLE_2LEVEL_H
#define ASM_PGTABLE_2LEVEL_H

typedef u32 pteval_t;

#define PT_LEVELS 2
#define PT_INDEX_BITS 10
#define PTRS_PER_TABLE 1024
#define PTRS_PER_PGD 1024               /* the top level is a full table */
#define PT_LEVEL_NAMES { "PD", "PT" }
#define _PAGE_NX 0UL            /* 2-level paging has no NX bit (PAE does) */
#define PTE_ADDR_MASK 0xfffff000UL
/* What an entry pointing to a lower table carries: the leaf decides access. */
#define _PAGE_TABLE(level) (_PAGE_PRESENT | _PAGE_RW)
#define PGD_USER_PREALLOCATED 0 /* user top-level entries come and go (PAE: see pgtable_3level.h) */

/* 4 MiB pages in the page directory (level 0) with PSE. */
bool arch_large_page_ok(int level);

/* An entry is one machine word here: one store sets or clears it. */
static inline void set_pte(pteval_t *ptep, pteval_t val) { *(volatile pteval_t *)ptep = val; }
static inline void pte_clear(pteval_t *ptep) { *(volatile pteval_t *)ptep = 0; }

#endif
