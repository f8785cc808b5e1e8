/*
 * From memblock to the buddy allocator: mem_map, the zones, the hand-over
 * and its accounting. Pure code (the host tests build fake machines with
 * it); mm_init() in mm_init.c feeds memblock from the real memory map first.
 */
#include <pagoda/memblock.h>
#include <pagoda/mm.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include "internal.h"

unsigned long boot_free_pages;

/* One line per reservation with the usable pages it takes, then the sum;
 * the sum must be exactly what the buddy allocator got. */
static void report_accounting(unsigned long usable, unsigned long reserved, unsigned long handed)
{
	const struct memblock_type *r = memblock_reserved();
	unsigned long sum = 0;
	for (int i = 0; i < r->cnt; i++) {
		unsigned long pages = memblock_count_pages(r->regions[i].base, r->regions[i].size, true);
		sum += pages;
		pr_info("mm: reserved %7lu pages [0x%08llx-0x%08llx] %s\n", pages,
			(unsigned long long)r->regions[i].base,
			(unsigned long long)(r->regions[i].base + r->regions[i].size - 1), r->regions[i].reason);
	}
	if (sum != reserved)
		pr_warn("mm: reservations overlap: %lu pages listed, %lu distinct\n", sum, reserved);
	unsigned long free = nr_free_pages();
	boot_free_pages = free;
	pr_info("mm: %lu usable pages - %lu reserved pages = %lu free pages (%lu MiB); buddy allocator: %lu free%s\n",
		usable, reserved, usable - reserved, (usable - reserved) >> (20 - PAGE_SHIFT), free,
		free == usable - reserved && handed == free ? "" : "  MISMATCH");
	if (free != usable - reserved || handed != free)
		panic("mm: page accounting is wrong: %lu usable - %lu reserved != %lu free (%lu handed over)",
		      usable, reserved, free, handed);
}

void buddy_init_from_memblock(void)
{
	max_pfn = memblock_end_pfn();

	BUILD_BUG_ON(MAX_NR_ZONES > (1 << ZONES_SHIFT));
	BUILD_BUG_ON(__NR_PAGEFLAGS > ZONES_PGSHIFT);
	mem_map = memblock_alloc_raw((phys_addr_t)max_pfn * sizeof(struct page), PAGE_SIZE,
				     "mem_map: a struct page per pfn");
	pr_info("mm: mem_map at %p: %lu struct pages of %zu bytes for pfn 0 to %#lx (%lu KiB)\n",
		(void *)mem_map, max_pfn, sizeof(struct page), max_pfn,
		(unsigned long)(((u64)max_pfn * sizeof(struct page)) >> 10));

	unsigned long zone_end[MAX_NR_ZONES];
	arch_zone_limits(max_pfn, zone_end);
	free_area_init(zone_end);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		phys_addr_t base = PFN_PHYS(zones[z].zone_start_pfn), size = PFN_PHYS(zones[z].spanned_pages);
		zones[z].present_pages = memblock_count_pages(base, size, false) + memblock_count_pages(base, size, true);
	}

	unsigned long usable = memblock_memory_pages();
	unsigned long reserved = memblock_reserved_pages();
	unsigned long handed = memblock_free_all();
	report_accounting(usable, reserved, handed);
}
