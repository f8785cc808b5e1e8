/*
 * What the boot loader told us, parsed from the multiboot2 information
 * (kernel/x86/multiboot2.c: GRUB) or from PVH's hvm_start_info
 * (kernel/x86/pvh.c: QEMU's -kernel). Both fill the same struct the same way.
 * Filled once in start_kernel, read-only after.
 */
#ifndef PAGODA_BOOTINFO_H
#define PAGODA_BOOTINFO_H

#include <pagoda/types.h>

/*
 * The firmware memory map ("E820 map" after the BIOS call that reports it;
 * GRUB passes its entries on in the multiboot2 memory map tag): ranges of
 * physical addresses with a type. Linux's names (arch/x86 e820). Not to be
 * confused with mem_map, the array of struct page, nor with `memmap`, the
 * monitor's picture of page frames (<pagoda/memmap.h>).
 */
enum {
	E820_TYPE_RAM = 1,
	E820_TYPE_RESERVED = 2,
	E820_TYPE_ACPI = 3,
	E820_TYPE_NVS = 4,
	E820_TYPE_UNUSABLE = 5,
};

#define E820_MAX_ENTRIES 64
#define MAX_MODULES 8

struct e820_entry {
	u64 start, end;                 /* [start, end) */
	u32 type;
};

struct boot_module {
	u64 start, end;
	const char *string;
};

struct bootinfo {
	const char *protocol;           /* how we were started: "multiboot2" or "pvh" */
	const char *cmdline;            /* "" if none */
	const char *loader;             /* "" if none */
	struct e820_entry mem[E820_MAX_ENTRIES];   /* sorted by start */
	int nr_mem;
	struct boot_module modules[MAX_MODULES];
	int nr_modules;
	const void *rsdp;               /* copy of the ACPI RSDP inside the info, or NULL */
	int rsdp_version;               /* 1: ACPI 1.0 RSDP, 2: ACPI 2.0+ XSDP */
	const void *elf_shdrs;          /* ELF section headers, or NULL */
	u32 elf_num, elf_entsize, elf_shndx;
	u32 total_size;
	int nr_tags;
};

extern struct bootinfo bootinfo;

/*
 * Parse the multiboot2 information at mbi (at most max_size bytes readable).
 * Returns 0, or -EINVAL with a one-line reason in err (the tag list is
 * garbled: bad size, overrun, missing end tag, malformed memory map ...).
 * Pure function: no kernel state, also compiled by the host tests.
 */
int multiboot2_parse(const void *mbi, size_t max_size, struct bootinfo *bi, char *err, size_t errlen);

/*
 * Parse PVH's start_info (already copied to si) and what it points to.
 * Physical address pa is readable at mem + pa for pa + len <= mem_size (the
 * boot mapping: __va(0) and its size; a buffer in the host tests). Strings
 * and the RSDP are copied into *copy, which must outlive bi: the firmware's
 * copies lie in memory the page allocator later hands out. Module strings
 * are "" (QEMU passes none). Returns 0, or -EINVAL with a reason in err.
 * Pure function, also compiled by the host tests.
 */
struct hvm_start_info;
#define PVH_CMDLINE_MAX 2048
struct pvh_copy {
	char cmdline[PVH_CMDLINE_MAX];
	u8 rsdp[36];
};
int pvh_parse(const struct hvm_start_info *si, const void *mem, u64 mem_size, struct bootinfo *bi,
	      struct pvh_copy *copy, char *err, size_t errlen);

/* Insert [start, start + len) into bi->mem, keeping it sorted (both parsers). */
void bootinfo_add_mem(struct bootinfo *bi, u64 start, u64 len, u32 type);

const char *e820_type_name(u32 type);
/* Sum of the bytes of the given type. */
u64 e820_total(const struct bootinfo *bi, u32 type);
/* Print bootinfo's firmware memory map and its totals (kernel/x86/e820.c:
 * the boot log and the `mem` command). Process context. */
void e820_print_table(void);

#endif
