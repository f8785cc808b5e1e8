/* x86_64 specifics of the page tables: 4 levels, 2 MiB and 1 GiB pages, NX. */
#include <asm/pgtable.h>
#include <pagoda/bootinfo.h>
#include <pagoda/printk.h>

bool arch_large_page_ok(int level)
{
	return level == 2 || (level == 1 && boot_cpu.has_pdpe1gb);
}

phys_addr_t direct_map_limit(void)
{
	return DIRECT_MAP_SIZE;
}

/* Nothing to switch on: head_64.S set EFER.NXE with long mode. */
void arch_paging_setup(void)
{
}

void arch_paging_report(void)
{
	pr_info("paging: 4-level, NX %s, 1 GiB pages %s, kernel image at %p\n",
		boot_cpu.has_nx ? "on" : "unavailable", boot_cpu.has_pdpe1gb ? "used" : "unavailable",
		(void *)KERNEL_VIRT_BASE);
}
