/*
 * i386 PAE paging (make ARCH=i386 PAE=1): 3 levels, 2 MiB pages, NX, frames
 * above 4 GiB. head_32.S already runs with CR4.PAE; NX needs EFER.NXE,
 * which only exists on CPUs that report NX (CPUID 0x80000001 EDX bit 20).
 */
#include <asm/pgtable.h>
#include <pagoda/printk.h>

bool arch_large_page_ok(int level)
{
	return level == 1;              /* a PDPT entry cannot map 1 GiB in PAE mode */
}

void arch_paging_setup(void)
{
	/* Without NXE, bit 63 of an entry is reserved: paging_init then drops
	 * _PAGE_NX from __supported_pte_mask and the kernel runs without it. */
	if (boot_cpu.has_nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
}

void arch_paging_report(void)
{
	pr_info("paging: 3-level PAE, 2 MiB pages, NX %s, %u physical address bits; lowmem ends at %lu MiB\n",
		boot_cpu.has_nx ? "on" : "UNAVAILABLE (this CPU has no NX: data is executable; "
		"under QEMU use -cpu max)", boot_cpu.phys_bits, MAX_LOWMEM >> 20);
	report_highmem_ranges();
}
