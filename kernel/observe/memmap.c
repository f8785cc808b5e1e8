/*
 * `memmap`: every page frame's state as runs a script can parse, for
 * pictures of physical memory (tools/memmap.py, `make memmap`):
 *
 *   memmap-begin <max_pfn> <arch>
 *   memmap-zone: <name> <start_pfn> <end_pfn>      one per non-empty zone
 *   memmap: <start_pfn> <count> <state> [detail]   runs, in pfn order
 *   memmap-free: <nr_free_pages>
 *   memmap-end
 *
 * The runs come from memmap_walk (<pagoda/memmap.h>, mm/memmap_walk.c).
 */
#include <pagoda/memmap.h>
#include <pagoda/mm.h>
#include <pagoda/mmzone.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>

static void print_run(unsigned long start, unsigned long count, const char *state, const char *detail, void *arg)
{
	if (detail)
		printk("memmap: %lu %lu %s %s\n", start, count, state, detail);
	else
		printk("memmap: %lu %lu %s\n", start, count, state);
}

static int cmd_memmap(int argc, char **argv)
{
	struct zone *z;
#ifdef __x86_64__
	printk("memmap-begin %lu x86_64\n", max_pfn);
#else
	printk("memmap-begin %lu i386\n", max_pfn);
#endif
	for_each_zone(z)
		if (z->spanned_pages)
			printk("memmap-zone: %s %lu %lu\n", z->name, z->zone_start_pfn, zone_end_pfn(z));
	unsigned long nr_free = memmap_walk(print_run, NULL);
	printk("memmap-free: %lu\n", nr_free);
	printk("memmap-end\n");
	return 0;
}
MONITOR_CMD(memmap, cmd_memmap, "", "every page frame's state as runs: holes, reserved, free blocks, slab, vmalloc (tools/memmap.py draws it)");
