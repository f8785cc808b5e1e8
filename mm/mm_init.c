/*
 * mm_init: from the firmware's memory map to a working page allocator.
 *
 *   1. memblock learns the usable RAM and what is already in use;
 *   2. mem_map (a struct page for every pfn below max_pfn) comes from
 *      memblock, below the end of the direct map;
 *   3. the zones are laid over mem_map, every page starting PG_reserved;
 *   4. memblock hands every page nobody reserved to the buddy allocator,
 *      and retires (steps 2-4: buddy_init_from_memblock, page_alloc_init.c).
 *
 * The boot log accounts for every page: usable - reserved = free.
 */
#include <pagoda/init.h>
#include <pagoda/bootinfo.h>
#include <pagoda/cmdline.h>
#include <pagoda/memblock.h>
#include <pagoda/smp.h>
#include <pagoda/mm.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/sections.h>
#include <asm/pgtable.h>
#include "internal.h"

CMDLINE_FLAG(page_alloc_debug, page_alloc_debug,
	       "check the buddy allocator's invariants (buddy_check) after every alloc and free: slow");

/* RAM the arch cannot address (i386 without PAE: above 4 GiB) is left out. */
static u64 ignored_bytes;

static void memblock_from_bootinfo(void)
{
	for (int i = 0; i < bootinfo.nr_mem; i++) {
		const struct e820_entry *m = &bootinfo.mem[i];
		if (m->type != E820_TYPE_RAM)
			continue;               /* firmware, ACPI, bad: not memory at all */
		u64 start = m->start, end = m->end;
		if (end > ARCH_MAX_PHYS_ADDR) {
			u64 cut = start > ARCH_MAX_PHYS_ADDR ? start : ARCH_MAX_PHYS_ADDR;
			ignored_bytes += end - cut;
			end = cut;
		}
		if (start < end)
			memblock_add(start, end - start);
	}
	if (ignored_bytes)
		pr_warn("memblock: ignoring %llu MiB of RAM above %llu MiB: this build cannot address it\n",
			ignored_bytes >> 20, (unsigned long long)ARCH_MAX_PHYS_ADDR >> 20);

	smp_reserve_trampoline();       /* a usable page below 1 MiB, before the rest is fenced off */
	memblock_reserve(0, 1 << 20, "first MiB: real-mode IVT, BIOS data, EBDA, ROMs");
	memblock_reserve(__pa(_text), __pa(_end) - __pa(_text), "kernel image");
	for (int i = 0; i < bootinfo.nr_modules; i++)
		memblock_reserve(bootinfo.modules[i].start, bootinfo.modules[i].end - bootinfo.modules[i].start,
				 "boot module");
}

void mm_init(void)
{
	memblock_from_bootinfo();
	memblock_set_current_limit(direct_map_limit());
	buddy_init_from_memblock();
	show_zoneinfo();
	if (page_alloc_debug && buddy_check())
		panic("mm: buddy allocator inconsistent right after boot");
}
