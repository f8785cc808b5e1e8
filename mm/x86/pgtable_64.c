/* x86_64 specifics of the page tables: 4 levels, 2 MiB and 1 GiB pages, NX. */
#include <asm/pgtable.h>
#include <pagoda/bootinfo.h>
#include <pagoda/printk.h>
#include <asm/ptrace.h>

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

/* Bits 63..47 must all equal bit 47 (48-bit virtual addresses). */
static bool is_canonical(unsigned long addr)
{
	return (unsigned long)(((long)addr << 16) >> 16) == addr;
}

bool noncanonical_register(const struct pt_regs *regs, const char **name, unsigned long *val)
{
	const struct { const char *name; unsigned long v; } r[] = {
		{ "rax", regs->ax }, { "rbx", regs->bx }, { "rcx", regs->cx }, { "rdx", regs->dx },
		{ "rsi", regs->si }, { "rdi", regs->di }, { "rbp", regs->bp }, { "r8", regs->r8 },
		{ "r9", regs->r9 }, { "r10", regs->r10 }, { "r11", regs->r11 }, { "r12", regs->r12 },
		{ "r13", regs->r13 }, { "r14", regs->r14 }, { "r15", regs->r15 },
	};
	for (unsigned int i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		if (!is_canonical(r[i].v)) {
			*name = r[i].name;
			*val = r[i].v;
			return true;
		}
	}
	return false;
}
