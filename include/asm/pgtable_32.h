#ifndef ASM_PGTABLE_32_H
#define ASM_PGTABLE_32_H

typedef u32 pteval_t;

#define PT_LEVELS 2
#define PT_INDEX_BITS 10
#define PTRS_PER_TABLE 1024
#define _PAGE_NX 0UL            /* 2-level paging has no NX bit (PAE does) */
#define PTE_ADDR_MASK 0xfffff000UL

/* 4 MiB pages in the page directory (level 0) with PSE. */
bool arch_large_page_ok(int level);


#endif
