/*
 * x86_64 highmem: there is none. Every page is in the direct map, so
 * kmap_local_page returns page_address (mm/highmem.c still keeps the
 * per-CPU stack and its checks) and kmap/kunmap have nothing to do.
 */
#include <pagoda/highmem.h>
#include <pagoda/highmem_stats.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include "internal.h"

void kmap_init(void)
{
}

void *arch_kmap_local_high(struct page *page, unsigned int slot)
{
	panic("BUG: highmem page pfn %#lx on x86_64", page_to_pfn(page));
}

void arch_kunmap_local_high(const void *vaddr, unsigned int slot)
{
	panic("BUG: highmem mapping %p on x86_64", vaddr);
}

bool arch_is_kmap_local_addr(unsigned long addr)
{
	return false;
}

void *kmap(struct page *page)
{
	return page_address(page);
}

void kunmap(struct page *page)
{
}

unsigned int pkmap_nr_used(void)
{
	return 0;
}

unsigned int pkmap_pool_size(void)
{
	return 0;
}

void pkmap_for_each(void (*fn)(const struct pkmap_info *info, void *arg), void *arg, struct pkmap_stats *stats)
{
	if (stats)
		*stats = (struct pkmap_stats){ 0, 0, 0, 0, 0 };
}
