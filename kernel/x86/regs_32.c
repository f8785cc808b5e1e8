/* Printing an i386 register frame for fault reports, and (x86_64 only)
 * the register that explains a #GP. */
#include <asm/ptrace.h>
#include <asm/processor.h>
#include <pagoda/printk.h>

/* A ring-0 trap pushes no stack pointer: the interrupted one is just past
 * the frame the CPU pushed (ip, cs, flags). From ring 3 it pushed sp. */
unsigned long regs_sp(const struct pt_regs *regs)
{
	return user_mode(regs) ? regs->sp : (unsigned long)(&regs->flags + 1);
}

void show_regs(const struct pt_regs *regs)
{
	printk(KERN_EMERG "EIP: %04lx:%p %pS\n", regs->cs, (void *)regs->ip, (void *)regs->ip);
	printk(KERN_EMERG "ESP: %p EFLAGS: %08lx\n", (void *)regs_sp(regs), regs->flags);
	printk(KERN_EMERG "EAX: %08lx EBX: %08lx ECX: %08lx EDX: %08lx\n", regs->ax, regs->bx, regs->cx, regs->dx);
	printk(KERN_EMERG "ESI: %08lx EDI: %08lx EBP: %08lx\n", regs->si, regs->di, regs->bp);
	printk(KERN_EMERG "DS: %04lx ES: %04lx FS: %04lx GS: %04lx%s\n", regs->ds & 0xffff, regs->es & 0xffff,
	       regs->fs & 0xffff, regs->gs & 0xffff, user_mode(regs) ? "" : " (kernel)");
	printk(KERN_EMERG "CR0: %08lx CR2: %08lx CR3: %08lx CR4: %08lx\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/* Every 32-bit address is canonical: a #GP here has other causes. */
bool noncanonical_register(const struct pt_regs *regs, const char **name, unsigned long *val)
{
	return false;
}
