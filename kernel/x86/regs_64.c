/* Printing an x86_64 register frame for fault reports, and the register
 * that explains a #GP. */
#include <asm/ptrace.h>
#include <asm/processor.h>
#include <pagoda/printk.h>

unsigned long regs_sp(const struct pt_regs *regs)
{
	return regs->sp;
}

void show_regs(const struct pt_regs *regs)
{
	printk(KERN_EMERG "RIP: %04lx:%p %pS\n", regs->cs, (void *)regs->ip, (void *)regs->ip);
	printk(KERN_EMERG "RSP: %04lx:%p EFLAGS: %08lx\n", regs->ss, (void *)regs->sp, regs->flags);
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n", regs->ax, regs->bx, regs->cx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n", regs->dx, regs->si, regs->di);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n", regs->bp, regs->r8, regs->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n", regs->r10, regs->r11, regs->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n", regs->r13, regs->r14, regs->r15);
	printk(KERN_EMERG "CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
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
