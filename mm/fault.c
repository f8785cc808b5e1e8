/*
 * Page faults and double faults. A fault at a user address from user mode,
 * or from a uaccess copy (an instruction with an exception-table entry),
 * goes to the user address space (handle_user_fault: demand paging,
 * copy-on-write, stack growth); what it refuses ends the process with a
 * report, or makes the copy return -EFAULT. Every other kernel page fault
 * is a bug; the report says what kind:
 * the NULL page, a write to read-only memory, executing an NX page, a
 * reserved bit, a stack overflow into a guard page, an overrun into a
 * vmalloc guard page (naming the area and who allocated it), or an unmapped
 * address, and which region of the address space the address lies in.
 * (A non-canonical address is a #GP, not a #PF: see kernel/x86/traps.c.)
 */
#include <pagoda/traps.h>
#include <pagoda/printk.h>
#include <pagoda/panic.h>
#include <pagoda/sections.h>
#include <pagoda/stacks.h>
#include <pagoda/sprintf.h>
#include <pagoda/vmalloc.h>
#include <pagoda/highmem.h>
#include <pagoda/errno.h>
#include <pagoda/nofault.h>
#include <pagoda/mm_user.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <asm/layout.h>
#include <asm/processor.h>
#include <asm/extable.h>
#include "internal.h"

/* Page-fault error code bits. */
#define X86_PF_PROT  (1UL << 0)     /* 0: page not present, 1: protection violation */
#define X86_PF_WRITE (1UL << 1)
#define X86_PF_USER  (1UL << 2)
#define X86_PF_RSVD  (1UL << 3)
#define X86_PF_INSTR (1UL << 4)

/* Name the region of the kernel's address space that addr falls in. */
const char *address_region(unsigned long addr)
{
	if (addr < PAGE_SIZE)
		return "the NULL page";
	if (addr >= (unsigned long)_text && addr < (unsigned long)_etext)
		return "kernel text";
	if (addr >= (unsigned long)_srodata && addr < (unsigned long)_erodata)
		return "kernel rodata";
	if (addr >= (unsigned long)_sdata && addr < (unsigned long)_end)
		return "kernel data/bss";
	if (addr >= VMALLOC_START && addr < VMALLOC_END)
		return "the vmalloc area";
	if (arch_is_kmap_local_addr(addr))
		return "the kmap_local slots of the fixmap";
	if (addr >= FIXADDR_START && addr - FIXADDR_START < FIXADDR_SIZE)   /* the end wraps on i386 */
		return "the fixmap";
	if (addr >= VMALLOC_END && addr < FIXADDR_START && pkmap_pool_size())
		return "the pkmap area (kmap)";
	if (addr < PAGE_OFFSET)
		return "user space";
	if (addr < DIRECT_MAP_END)
		return "the direct map";
	return "an unused kernel range";
}

/* The one load and the one store allowed to fault (kernel/x86/nofault_*.S). */
extern const char nofault_load[], nofault_resume[], nofault_store[], nofault_store_resume[];
DEFINE_PER_CPU(unsigned long, nofault_faults);

static const char *access_name(unsigned long err)
{
	return err & X86_PF_INSTR ? "exec" : err & X86_PF_WRITE ? "write" : "read";
}

/* A user task's fault that its address space refused: say why, show its
 * VMAs, and end it (it never returns to user mode). */
static void user_fault_report(struct pt_regs *regs, unsigned long addr, unsigned long err, int ret,
			      const char *why)
{
	struct task_struct *tsk = current;
	if (ret & VM_FAULT_KILLED)
		return;                 /* a kill is pending: it dies on the way out */
	if (ret & VM_FAULT_SIGBUS) {
		printk(KERN_ERR "%s[%d]: bus error at %p ip %p: %s access, %s\n", tsk->comm, tsk->pid,
		       (void *)addr, (void *)regs->ip, access_name(err), why);
		force_fatal_sig(SIGBUS);
		return;
	}
	if (ret & VM_FAULT_OOM) {
		printk(KERN_ERR "%s[%d]: out of memory at %p ip %p (%s access): killed\n", tsk->comm, tsk->pid,
		       (void *)addr, (void *)regs->ip, access_name(err));
		force_fatal_sig(SIGKILL);
		return;
	}
	printk(KERN_ERR "%s[%d]: segfault at %p ip %p: %s access, %s\n", tsk->comm, tsk->pid, (void *)addr,
	       (void *)regs->ip, access_name(err), why ? why : "refused");
	if (tsk->mm) {
		mutex_lock(&tsk->mm->mmap_lock);
		show_vmas(tsk->mm);
		mutex_unlock(&tsk->mm->mmap_lock);
	}
	force_fatal_sig(SIGSEGV);
}

/* A fault for the user address space: true if it was dealt with (served,
 * fixed up, or the task is to die), false for an oops. */
static bool do_user_addr_fault(struct pt_regs *regs, unsigned long addr, unsigned long err)
{
	bool user = err & X86_PF_USER;

	if (err & X86_PF_RSVD)
		return false;           /* a corrupt entry: the kernel's bug */
	if (!user) {
		if (addr >= TASK_SIZE)
			return false;
		/* Only a uaccess copy may touch user memory (an instruction in
		 * the exception table): anything else is an oops. */
		if (!search_exception_tables(regs->ip))
			return false;
	}
	if (regs->flags & X86_EFLAGS_IF)
		local_irq_enable();
	struct mm_struct *mm = current->mm;
	unsigned int flags = (err & X86_PF_WRITE ? FAULT_FLAG_WRITE : 0) | (err & X86_PF_INSTR ? FAULT_FLAG_INSTRUCTION : 0) |
			     (user ? FAULT_FLAG_USER : 0);
	const char *why = "no user address space";
	int ret = mm ? handle_user_fault_why(mm, addr, flags, &why) : VM_FAULT_SIGSEGV;
	if (ret) {
		if (user)
			user_fault_report(regs, addr, err, ret, why);
		else
			fixup_exception(regs);  /* the copy returns -EFAULT */
	}
	local_irq_disable();
	return true;
}

void do_page_fault(struct pt_regs *regs, unsigned long addr)
{
	if (regs->ip == (unsigned long)nofault_load || regs->ip == (unsigned long)nofault_store) {
		regs->ax = (unsigned long)-EFAULT;
		regs->ip = (unsigned long)(regs->ip == (unsigned long)nofault_load ? nofault_resume : nofault_store_resume);
		this_cpu_inc(nofault_faults);
		return;
	}
	unsigned long err = regs->error_code;
	if ((addr < TASK_SIZE || (err & X86_PF_USER)) && do_user_addr_fault(regs, addr, err))
		return;
	const char *region = address_region(addr);
	const struct stack_info *st = stack_guard_lookup(addr);
	char what[256];
	bool in_guard = false;
	const struct vm_struct *vm = is_vmalloc_addr((void *)addr) ? vm_area_lookup_fault(addr, &in_guard) : NULL;

	if (st)
		snprintf(what, sizeof(what), "kernel stack overflow: %p is in the guard page below the %s",
			 (void *)addr, st->name);
	else if (addr < PAGE_SIZE && !(err & X86_PF_PROT))
		snprintf(what, sizeof(what), "kernel NULL pointer dereference, address: %p", (void *)addr);
	else if (addr < TASK_SIZE && (err & X86_PF_PROT) && (err & X86_PF_INSTR) && !(err & X86_PF_USER))
		snprintf(what, sizeof(what), "SMEP: kernel tried to execute user memory at %p", (void *)addr);
	else if (addr < TASK_SIZE && (err & X86_PF_PROT) && !(err & X86_PF_USER) && boot_cpu.has_smap &&
		 !(regs->flags & X86_EFLAGS_AC))
		snprintf(what, sizeof(what), "SMAP: kernel access to user memory at %p outside the "
			 "uaccess copies (<pagoda/uaccess.h>)", (void *)addr);
	else if (addr < TASK_SIZE && !(err & X86_PF_USER))
		snprintf(what, sizeof(what), "kernel access to user memory outside uaccess at %p (%s)",
			 (void *)addr, region);
	else if (vm && in_guard)
		snprintf(what, sizeof(what), "vmalloc out-of-bounds access: %p is %lu bytes past the end of "
			 "vmalloc area %p-%p allocated by %pS", (void *)addr, addr - (vm->addr + vm->size),
			 (void *)vm->addr, (void *)(vm->addr + vm->size), vm->caller);
	else if (err & X86_PF_RSVD)
		snprintf(what, sizeof(what), "reserved bit set in a page-table entry for %p (%s)",
			 (void *)addr, region);
	else if ((err & X86_PF_PROT) && (err & X86_PF_INSTR))
		snprintf(what, sizeof(what), "kernel tried to execute NX-protected page at %p (%s)",
			 (void *)addr, region);
	else if ((err & X86_PF_PROT) && (err & X86_PF_WRITE))
		snprintf(what, sizeof(what), "write to read-only memory at %p (%s)", (void *)addr, region);
	else if (err & X86_PF_PROT)
		snprintf(what, sizeof(what), "protection violation at %p (%s)", (void *)addr, region);
	else
		snprintf(what, sizeof(what), "unable to handle page fault for address %p: not mapped (%s)",
			 (void *)addr, region);

	printk(KERN_EMERG "BUG: %s\n", what);
	printk(KERN_EMERG "#PF: %s %s in %s mode\n", err & X86_PF_USER ? "user" : "supervisor",
	       err & X86_PF_INSTR ? "instruction fetch" : err & X86_PF_WRITE ? "write access" : "read access",
	       err & X86_PF_USER ? "user" : "kernel");
	printk(KERN_EMERG "#PF: error_code(0x%04lx) - %s\n", err,
	       err & X86_PF_RSVD ? "reserved bit violation" : err & X86_PF_PROT ? "permissions violation" : "not-present page");
	if (addr >= PAGE_SIZE)
		printk(KERN_EMERG "#PF: address %p is in %s\n", (void *)addr, region);
	if (vm && !in_guard)
		printk(KERN_EMERG "#PF: inside %s area %p-%p allocated by %pS\n", vm_area_kind(vm),
		       (void *)vm->addr, (void *)(vm->addr + vm->size), vm->caller);
	else if (is_vmalloc_addr((void *)addr) && !vm)
		printk(KERN_EMERG "#PF: no vmalloc area holds %p: freed already, or never allocated\n",
		       (void *)addr);
	die(regs, "page fault");
}

/*
 * On x86_64 the double fault runs on its own stack (IST1), so it can report a
 * kernel stack overflow: the page fault on the guard page could not push its
 * frame, and CR2 still holds the guard-page address.
 */
void do_double_fault(struct pt_regs *regs)
{
	unsigned long cr2 = read_cr2();
	const struct stack_info *st = stack_guard_lookup(cr2);

	if (st)
		printk(KERN_EMERG "BUG: kernel stack overflow: %p is in the guard page below the %s "
		       "(%p-%p); the page fault could not be delivered (double fault)\n",
		       (void *)cr2, st->name, (void *)st->bottom, (void *)st->top);
	else
		printk(KERN_EMERG "BUG: double fault (CR2 %p)\n", (void *)cr2);
	die(regs, st ? "kernel stack overflow" : "double fault");
}
