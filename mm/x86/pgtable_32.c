/* i386 specifics of the page tables shared by both paging modes: the direct
 * map stops at lowmem; the 2-level / 3-level parts are pgtable_2level.c and
 * pgtable_3level.c (the Makefile builds the one PAE= selects). */
#include <asm/pgtable.h>
#include <pagoda/bootinfo.h>
#include <pagoda/printk.h>
#include <asm/mmzone.h>

phys_addr_t direct_map_limit(void)
{
	return MAX_LOWMEM;
}

/* The highmem half of the boot report: what lies beyond the direct map,
 * and what lies beyond anything this paging mode can map at all. */
void report_highmem_ranges(void)
{
	u64 high = 0, above4g = 0;
	for (int i = 0; i < bootinfo.nr_mem; i++) {
		const struct e820_entry *m = &bootinfo.mem[i];
		if (m->type != E820_TYPE_RAM)
			continue;
		u64 end = m->end < ARCH_MAX_PHYS_ADDR ? m->end : ARCH_MAX_PHYS_ADDR;
		if (end > MAX_LOWMEM)
			high += end - (m->start > MAX_LOWMEM ? m->start : MAX_LOWMEM);
		if (end > (1ULL << 32))
			above4g += end - (m->start > (1ULL << 32) ? m->start : (1ULL << 32));
	}
	if (high && above4g)
		pr_info("paging: %llu MiB of high memory above %lu MiB has no permanent mapping"
			" (%llu MiB of it above 4 GiB)\n",
			(unsigned long long)(high >> 20), MAX_LOWMEM >> 20, (unsigned long long)(above4g >> 20));
	else if (high)
		pr_info("paging: %llu MiB of high memory above %lu MiB has no permanent mapping\n",
			(unsigned long long)(high >> 20), MAX_LOWMEM >> 20);
}
