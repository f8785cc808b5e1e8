/* i386 2-level paging: 4 MiB pages with PSE, no NX, 32-bit frames. */
#include <asm/pgtable.h>
#include <pagoda/printk.h>

bool arch_large_page_ok(int level)
{
	return level == 0 && boot_cpu.has_pse;
}

/* Nothing to switch on: head_32.S set CR4.PSE, and there is no NX. */
void arch_paging_setup(void)
{
}

void arch_paging_report(void)
{
	pr_info("paging: 2-level, 4 MiB pages %s, no NX without PAE; lowmem ends at %lu MiB\n",
		boot_cpu.has_pse ? "used" : "unavailable", MAX_LOWMEM >> 20);
	report_highmem_ranges();
}
