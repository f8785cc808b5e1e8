/*
 * The AP start-up trampoline (kernel/x86/trampoline_{32,64}.S): position-
 * independent real-mode code that the BSP copies to a free page below
 * 1 MiB. A SIPI with vector VV starts an AP in real mode at VV000. The
 * parameter block at TR_PARAMS is filled by the BSP (kernel/x86/smpboot.c):
 * what the AP needs to follow the BSP into paging, taken from the BSP's own
 * CR0/CR3/CR4/EFER rather than hard-coded bits.
 */
#ifndef ASM_TRAMPOLINE_H
#define ASM_TRAMPOLINE_H

#define TR_PARAMS    8
#define TRP_GDT_DESC 0          /* u16 limit, u32 base (patched) */
#define TRP_JUMP32   8          /* far pointer: u32 offset (patched), u16 selector */
#define TRP_JUMP64   16         /* the same into 64-bit code (x86_64) */
#define TRP_CR0      24
#define TRP_CR3      28         /* the trampoline page table: below 4 GiB */
#define TRP_CR4      32
#define TRP_EFER_SET 36         /* non-zero: write EFER (long mode, NX) */
#define TRP_EFER_LO  40
#define TRP_EFER_HI  44
#define TRP_STACK    48         /* u64: the AP's stack top (kernel virtual) */
#define TRP_ENTRY    56         /* u64: where it jumps (secondary_startup) */
#define TRP_GDT      64         /* four descriptors */
#define TR_CODE      (TR_PARAMS + 96)

#ifndef __ASSEMBLER__
#include <pagoda/types.h>
struct trampoline_params {
	u16 gdt_limit;
	u32 gdt_base;
	u16 pad0;
	u32 jump32_off;
	u16 jump32_sel, pad1;
	u32 jump64_off;
	u16 jump64_sel, pad2;
	u32 cr0, cr3, cr4;
	u32 efer_set, efer_lo, efer_hi;
	u64 stack;
	u64 entry;
	u64 gdt[4];
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct trampoline_params, stack) == TRP_STACK, "trampoline layout");
_Static_assert(__builtin_offsetof(struct trampoline_params, gdt) == TRP_GDT, "trampoline layout");

extern const char trampoline_start[], trampoline_end[], trampoline_pm32[], trampoline_lm64[];
/* Kernel text: each AP's outermost frame; calls smp_ap_start(). */
void secondary_startup(void);
#endif

#endif
