/*
 * The PVH boot protocol (Xen's, also spoken by QEMU's -kernel for an ELF with
 * a XEN_ELFNOTE_PHYS32_ENTRY note): the loader enters the 32-bit entry in
 * protected mode with paging off and %ebx pointing at struct hvm_start_info.
 * Shared by boot/pvh.S, boot/early32.inc and kernel/x86/pvh.c.
 */
#ifndef ASM_PVH_H
#define ASM_PVH_H

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define XEN_HVM_START_MAGIC      0x336ec578
/* Bytes of struct hvm_start_info (version 1) the entry copies into the kernel. */
#define PVH_START_INFO_SIZE      56

#ifndef __ASSEMBLER__
#include <pagoda/types.h>

/* Xen's public arch-x86/hvm/start_info.h layout; every address is physical. */
struct hvm_start_info {
	u32 magic;              /* XEN_HVM_START_MAGIC */
	u32 version;            /* 0, or 1: the memmap fields are valid */
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;      /* nr_modules x struct hvm_modlist_entry */
	u64 cmdline_paddr;      /* NUL-terminated, or 0 */
	u64 rsdp_paddr;         /* the ACPI RSDP, or 0 */
	u64 memmap_paddr;       /* version 1: memmap_entries x struct hvm_memmap_table_entry */
	u32 memmap_entries;
	u32 reserved;
};

struct hvm_modlist_entry {
	u64 paddr;
	u64 size;
	u64 cmdline_paddr;
	u64 reserved;
};

struct hvm_memmap_table_entry {
	u64 addr;
	u64 size;
	u32 type;               /* E820 numbering, as MEM_USABLE ... */
	u32 reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == PVH_START_INFO_SIZE, "start_info layout");
#endif

#endif
