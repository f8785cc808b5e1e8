/* i386 specifics of the page tables: 2 levels, 4 MiB pages, lowmem only. */
#include <asm/pgtable.h>
#include <pagoda/bootinfo.h>
#include <pagoda/printk.h>
#include <asm/ptrace.h>

bool arch_large_page_ok(int level)
{
	return level == 0 && boot_cpu.has_pse;
}

phys_addr_t direct_map_limit(void)
{
	return MAX_LOWMEM;
}

void arch_paging_report(void)
{
	u64 high = 0;
	for (int i = 0; i < bootinfo.nr_mem; i++) {
		const struct memmap_entry *m = &bootinfo.mem[i];
		if (m->type == MEM_USABLE && m->end > MAX_LOWMEM)
			high += m->end - (m->start > MAX_LOWMEM ? m->start : MAX_LOWMEM);
	}
	pr_info("paging: 2-level, 4 MiB pages %s, no NX without PAE; lowmem ends at %lu MiB\n",
		boot_cpu.has_pse ? "used" : "unavailable", MAX_LOWMEM >> 20);
	if (high)
		pr_info("paging: %llu MiB of high memory above %lu MiB has no permanent mapping\n",
			(unsigned long long)(high >> 20), MAX_LOWMEM >> 20);
}

/* Every 32-bit address is canonical: a #GP here has other causes. */
bool noncanonical_register(const struct pt_regs *regs, const char **name, unsigned long *val)
{
	return false;
}
