/*
 * Page faults and double faults in the kernel. There is no demand paging
 * yet, so every kernel page fault is a bug; the report says what kind:
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
#include <asm/layout.h>
#include <asm/processor.h>
#include <asm/extable.h>
#include "internal.h"

/* Page-fault error code bits. */
#define PF_PROT  (1UL << 0)     /* 0: page not present, 1: protection violation */
#define PF_WRITE (1UL << 1)
#define PF_USER  (1UL << 2)
#define PF_RSVD  (1UL << 3)
#define PF_INSTR (1UL << 4)

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
		return "user space (nothing is mapped there)";
	if (addr < DIRECT_MAP_END)
		return "the direct map";
	return "an unused kernel range";
}

/* The one load and the one store allowed to fault (kernel/x86/nofault_*.S). */
extern const char nofault_load[], nofault_resume[], nofault_store[], nofault_store_resume[];
DEFINE_PER_CPU(unsigned long, nofault_faults);

void do_page_fault(struct pt_regs *regs, unsigned long addr)
{
	if (regs->ip == (unsigned long)nofault_load || regs->ip == (unsigned long)nofault_store) {
		regs->ax = (unsigned long)-EFAULT;
		regs->ip = (unsigned long)(regs->ip == (unsigned long)nofault_load ? nofault_resume : nofault_store_resume);
		this_cpu_inc(nofault_faults);
		return;
	}
	unsigned long err = regs->error_code;
	/* A user copy (<pagoda/uaccess.h>) that met a hole or a protection it
	 * may not pass: it returns an error instead. */
	if (!(err & PF_USER) && addr < TASK_SIZE && fixup_exception(regs))
		return;
	const char *region = address_region(addr);
	const struct stack_info *st = stack_guard_lookup(addr);
	char what[256];
	bool in_guard = false;
	const struct vm_struct *vm = is_vmalloc_addr((void *)addr) ? vm_area_lookup_fault(addr, &in_guard) : NULL;

	if (st)
		snprintf(what, sizeof(what), "kernel stack overflow: %p is in the guard page below the %s",
			 (void *)addr, st->name);
	else if (addr < PAGE_SIZE && !(err & PF_PROT))
		snprintf(what, sizeof(what), "kernel NULL pointer dereference, address: %p", (void *)addr);
	else if (vm && in_guard)
		snprintf(what, sizeof(what), "vmalloc out-of-bounds access: %p is %lu bytes past the end of "
			 "vmalloc area %p-%p allocated by %pS", (void *)addr, addr - (vm->addr + vm->size),
			 (void *)vm->addr, (void *)(vm->addr + vm->size), vm->caller);
	else if (addr < TASK_SIZE && (err & PF_PROT) && (err & PF_INSTR) && !(err & PF_USER))
		snprintf(what, sizeof(what), "SMEP: kernel tried to execute user memory at %p", (void *)addr);
	else if (addr < TASK_SIZE && (err & PF_PROT) && !(err & PF_USER) && boot_cpu.has_smap &&
		 !(regs->flags & X86_EFLAGS_AC))
		snprintf(what, sizeof(what), "SMAP: kernel access to user memory at %p outside the "
			 "uaccess copies (<pagoda/uaccess.h>)", (void *)addr);
	else if (err & PF_RSVD)
		snprintf(what, sizeof(what), "reserved bit set in a page-table entry for %p (%s)",
			 (void *)addr, region);
	else if ((err & PF_PROT) && (err & PF_INSTR))
		snprintf(what, sizeof(what), "kernel tried to execute NX-protected page at %p (%s)",
			 (void *)addr, region);
	else if ((err & PF_PROT) && (err & PF_WRITE))
		snprintf(what, sizeof(what), "write to read-only memory at %p (%s)", (void *)addr, region);
	else if (err & PF_PROT)
		snprintf(what, sizeof(what), "protection violation at %p (%s)", (void *)addr, region);
	else
		snprintf(what, sizeof(what), "unable to handle page fault for address %p: not mapped (%s)",
			 (void *)addr, region);

	printk(KERN_EMERG "BUG: %s\n", what);
	printk(KERN_EMERG "#PF: %s %s in %s mode\n", err & PF_USER ? "user" : "supervisor",
	       err & PF_INSTR ? "instruction fetch" : err & PF_WRITE ? "write access" : "read access",
	       err & PF_USER ? "user" : "kernel");
	printk(KERN_EMERG "#PF: error_code(0x%04lx) - %s\n", err,
	       err & PF_RSVD ? "reserved bit violation" : err & PF_PROT ? "permissions violation" : "not-present page");
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
