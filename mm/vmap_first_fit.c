/*
 * First fit over the vmalloc region (see mm/vmap_area.c): pure list code,
 * no locking, no page tables, so tests/host/test_vmap_first_fit.c compiles this
 * same file on the host.
 *
 * Walk the areas in address order, keeping `candidate`, the lowest address
 * not taken by any area seen so far (an area's guard page counts as taken).
 * The first area that starts at least `need` bytes above candidate closes a
 * gap that fits; if none does, the space after the last area is tried.
 */
#include <pagoda/vmalloc.h>
#include <pagoda/errno.h>
#include "vmalloc_internal.h"

int vmap_insert_first_fit(struct list_head *areas, struct vm_struct *area,
			  unsigned long start, unsigned long end)
{
	unsigned long need = area->size + PAGE_SIZE;    /* the guard page */
	unsigned long candidate = start;
	struct vm_struct *a;

	if (!area->size || need < area->size)
		return -ENOMEM;
	list_for_each_entry(a, areas, list) {
		if (a->addr >= candidate && a->addr - candidate >= need)
			break;                  /* the gap before a fits */
		unsigned long a_end = a->addr + a->size + PAGE_SIZE;
		if (a_end > candidate)
			candidate = a_end;
	}
	if (candidate >= end || end - candidate < need)
		return -ENOMEM;
	area->addr = candidate;
	/* a is the first area above the gap (or the list head): insert before it. */
	list_add_tail(&area->list, &a->list);
	return 0;
}
