/*
 * ioremap: a vmalloc-region area whose PTEs point at device memory, with an
 * uncached or write-combining memory type (see <pagoda/io.h> and mm/x86/pat.c).
 */
#include <pagoda/io.h>
#include <pagoda/vmalloc.h>
#include <pagoda/bootinfo.h>
#include <pagoda/printk.h>
#include <pagoda/panic.h>
#include "vmalloc_internal.h"

/* The highest physical address + 1 a PTE of this build can hold. */
static phys_addr_t max_mappable_phys(void)
{
	return (phys_addr_t)PTE_ADDR_MASK + PAGE_SIZE;
}

/* phys and size are already widened to whole pages. */
const char *ioremap_refusal(phys_addr_t phys, unsigned long size)
{
	if (!size)
		return "size is 0";
	if (phys + size < phys)
		return "range wraps around the physical address space";
	if (phys + size > max_mappable_phys())
		return "range is beyond what this build's page tables can map";
	for (int i = 0; i < bootinfo.nr_mem; i++) {
		const struct e820_entry *m = &bootinfo.mem[i];
		if (m->type == E820_TYPE_RAM && phys < m->end && phys + size > m->start)
			return "range overlaps usable RAM (use the direct map, or kmap)";
	}
	return NULL;
}

/*
 * Registers rarely start on a page boundary (an MCFG or HPET table gives a
 * byte address), so phys need not be aligned: the whole pages around
 * [phys, phys + size) are mapped and the pointer keeps phys's offset
 * within its page. The checks apply to those whole pages, since that is
 * what gets a second, uncached mapping.
 */
static void *__ioremap_caller(phys_addr_t phys, unsigned long size, pteval_t prot, const void *caller)
{
	unsigned long offset = (unsigned long)(phys & (PAGE_SIZE - 1));
	phys_addr_t base = phys - offset;
	unsigned long len = size ? PAGE_ALIGN(size + offset) : 0;
	const char *why = size && len < size ? "size wraps around" : ioremap_refusal(base, len);
	if (why) {
		pr_err("ioremap: refusing %#llx, %lu bytes: %s (caller %pS)\n", (unsigned long long)phys,
		       size, why, caller);
		return NULL;
	}
	struct vm_struct *area = get_vm_area_caller(len, VM_IOREMAP, caller);
	if (!area)
		return NULL;
	if (ioremap_page_range(area, base, prot)) {
		free_vm_area(area);
		return NULL;
	}
	return (u8 *)area->addr + offset;
}

void *ioremap(phys_addr_t phys, unsigned long size)
{
	return __ioremap_caller(phys, size, PAGE_KERNEL_IO, __builtin_return_address(0));
}

void *ioremap_wc(phys_addr_t phys, unsigned long size)
{
	return __ioremap_caller(phys, size, PAGE_KERNEL_WC, __builtin_return_address(0));
}

/* addr may be anywhere in the area's first page (see the offset above). */
void iounmap(volatile void *addr)
{
	struct vm_struct area;
	const void *start = (const void *)((unsigned long)addr & ~(PAGE_SIZE - 1));
	if (remove_vm_area(start, VM_IOREMAP, &area)) {
		pr_err("iounmap: %p is not an ioremap address (caller %pS)\n", (const void *)addr,
		       __builtin_return_address(0));
		WARN_ON(1);
	}
}
