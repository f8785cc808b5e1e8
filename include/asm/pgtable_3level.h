/*
 * i386 with PAE (make ARCH=i386 PAE=1): PDPT -> PD -> PT. Entries are
 * 8 bytes, so a 4 KiB table holds 512 of them (9 index bits); 2+9+9+12
 * bits still make a 32-bit virtual address, but an entry's frame field
 * reaches far above 4 GiB, and bit 63 is NX (with EFER.NXE set).
 *
 * The top level, the PDPT, is only 4 entries (32 bytes, 32-byte aligned,
 * below 4 GiB since CR3 is 32 bits), one per GiB; the CPU loads all four
 * into registers when CR3 is written (so a PDPT entry changed later is not
 * seen until the next CR3 write: the kernel's entry 3 is set before the
 * first load and never changes), and in a PDPT entry only P, PWT and PCD
 * may be set: R/W, U/S, A, PS and NX are reserved there (setting one makes
 * the CR3 load #GP). Hence _PAGE_TABLE(0) is P alone.
 */
#ifndef ASM_PGTABLE_3LEVEL_H
#define ASM_PGTABLE_3LEVEL_H

typedef u64 pteval_t;

#define PT_LEVELS 3
#define PT_INDEX_BITS 9
#define PTRS_PER_TABLE 512
#define PTRS_PER_PGD 4
#define PT_LEVEL_NAMES { "PDPT", "PD", "PT" }
#define _PAGE_NX (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL
#define _PAGE_TABLE(level) ((level) == 0 ? _PAGE_PRESENT : (_PAGE_PRESENT | _PAGE_RW))
/* The user half's PDPT entries (0-2) get their page directories in
 * pgd_alloc and keep them until pgd_free: the CPU reads the PDPT only at a
 * CR3 load, so an entry added to a loaded PDPT would go unseen. */
#define PGD_USER_PREALLOCATED 1

/*
 * i386 stores an 8-byte entry as two 4-byte halves, and the CPU may walk
 * the tables between them (speculatively too) and cache what it saw. It
 * must never see P set beside a stale half: setting writes the high half
 * (frame bits 32+, NX) first, then the low half holding P; clearing drops
 * P first. (Linux's native_set_pte / native_pte_clear for PAE do the same.)
 */
static inline void set_pte(pteval_t *ptep, pteval_t val)
{
	volatile u32 *half = (volatile u32 *)ptep;
	half[1] = (u32)(val >> 32);
	half[0] = (u32)val;
}
static inline void pte_clear(pteval_t *ptep)
{
	volatile u32 *half = (volatile u32 *)ptep;
	half[0] = 0;
	half[1] = 0;
}

/* 2 MiB pages in the page directory (level 1); PAE needs no CR4.PSE. */
bool arch_large_page_ok(int level);

#endif
