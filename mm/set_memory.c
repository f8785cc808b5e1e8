/*
 * set_memory_ro/rw (<pagoda/set_memory.h>): rewrite the PTEs of a vmalloc
 * range, then one shootdown for the range. The area's owner calls it, so
 * no lock: the tables of a live area do not change under it.
 */
#include <pagoda/errno.h>
#include <pagoda/preempt.h>
#include <pagoda/printk.h>
#include <pagoda/set_memory.h>
#include <pagoda/vmalloc.h>
#include <asm/pgtable.h>

static int change_page_attr(unsigned long addr, int numpages, pteval_t set, pteval_t clear)
{
	might_sleep();
	unsigned long end = addr + (unsigned long)numpages * PAGE_SIZE;
	if ((addr & (PAGE_SIZE - 1)) || numpages <= 0 || !is_vmalloc_addr((void *)addr) ||
	    !is_vmalloc_addr((void *)(end - 1))) {
		pr_err("set_memory: refusing %p, %d pages: not page-aligned vmalloc-area pages\n", (void *)addr,
		       numpages);
		return -EINVAL;
	}
	/* All present as 4 KiB pages first: a half-done change helps nobody. */
	for (unsigned long a = addr; a < end; a += PAGE_SIZE) {
		struct pt_walk w;
		pt_walk(swapper_pg_dir, a, &w);
		if (!w.present || w.page_size != PAGE_SIZE) {
			pr_err("set_memory: %p is not mapped by a 4 KiB page\n", (void *)a);
			return -EINVAL;
		}
	}
	for (unsigned long a = addr; a < end; a += PAGE_SIZE) {
		pteval_t *pte = pt_lookup_create(swapper_pg_dir, a);       /* exists: creates nothing */
		*pte = (*pte | set) & ~clear;
	}
	flush_tlb_kernel_range(addr, end);
	return 0;
}

int set_memory_ro(unsigned long addr, int numpages)
{
	return change_page_attr(addr, numpages, 0, _PAGE_RW);
}

int set_memory_rw(unsigned long addr, int numpages)
{
	return change_page_attr(addr, numpages, _PAGE_RW, 0);
}
