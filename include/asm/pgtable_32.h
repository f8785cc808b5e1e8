/*
 * i386 page tables: the classic 2-level tree (4-byte entries, 4 GiB of
 * physical address space, no NX) or, in the PAE=1 build (CONFIG_X86_PAE),
 * the 3-level PAE tree (8-byte entries, 36+-bit physical addresses, NX).
 * Both map the same 4 GiB virtual space; the choice is made here, once.
 */
#ifndef ASM_PGTABLE_32_H
#define ASM_PGTABLE_32_H

#ifdef CONFIG_X86_PAE
#include <asm/pgtable_3level.h>
#else
#include <asm/pgtable_2level.h>
#endif

#endif
