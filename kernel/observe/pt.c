/*
 * `pt [pid] <vaddr>` and `v2p <vaddr>`: walk the page tables the CPU is
 * using (CR3), or those of process pid, for one virtual address and show
 * every level's entry, decoded. The same walk the MMU does on a TLB miss,
 * made visible. A process's tables also say whether their kernel half is
 * swapper_pg_dir's (it always should be: the same top-level entries).
 */
#include <asm/pgtable.h>
#include <pagoda/monitor.h>
#include <pagoda/monitor_args.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/sprintf.h>
#include <pagoda/vmalloc.h>
#include <pagoda/mm_user.h>
#include <pagoda/pgd.h>
#include "monitor_internal.h"

/* "P W U PWT PCD A D PS G NX" for the bits set in e. */
static void decode_flags(pteval_t e, char *buf, size_t size)
{
	static const struct { pteval_t bit; const char *name; } bits[] = {
		{ _PAGE_PRESENT, "P" }, { _PAGE_RW, "W" }, { _PAGE_USER, "U" },
		{ _PAGE_PWT, "PWT" }, { _PAGE_PCD, "PCD" }, { _PAGE_ACCESSED, "A" },
		{ _PAGE_DIRTY, "D" }, { _PAGE_PSE, "PS" }, { _PAGE_GLOBAL, "G" },
	};
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++)
		if (e & bits[i].bit)
			n += snprintf(buf + n, size > n ? size - n : 0, "%s%s", n ? " " : "", bits[i].name);
	if (_PAGE_NX && (e & _PAGE_NX))
		snprintf(buf + n, size > n ? size - n : 0, "%sNX", n ? " " : "");
}

static const pteval_t *current_pgd(void)
{
	return __va(read_cr3() & PTE_ADDR_MASK);
}

/* Which vmalloc/vmap/ioremap area va belongs to, if any: the walk shows the
 * wiring, this says who asked for it. */
static void show_vm_area(unsigned long va)
{
	bool in_guard;
	const struct vm_struct *a = is_vmalloc_addr((void *)va) ? vm_area_lookup_fault(va, &in_guard) : NULL;
	if (a)
		printk("  %s %s area %p-%p (%lu KiB) allocated by %pS\n", in_guard ? "guard page of the" : "in the",
		       vm_area_kind(a), (void *)a->addr, (void *)(a->addr + a->size), a->size >> 10, a->caller);
}

static void show_walk(const pteval_t *pgd, unsigned long va)
{
	struct pt_walk w;
	pt_walk(pgd, va, &w);
	for (int l = 0; l < w.levels; l++) {
		char flags[48];
		decode_flags(w.entry[l], flags, sizeof(flags));
		printk("  %-4s[%4u] = %0*llx  %-20s", pt_level_name(l), w.index[l],
		       (int)sizeof(pteval_t) * 2, (unsigned long long)w.entry[l], flags);
		if (!(w.entry[l] & _PAGE_PRESENT))
			printk(KERN_CONT " not present: the walk stops here\n");
		else if (w.present && l == w.levels - 1)
			printk(KERN_CONT " %llu KiB page at %#llx\n", (unsigned long long)(w.page_size >> 10),
			       (unsigned long long)(w.entry[l] & PTE_ADDR_MASK & ~(pteval_t)(w.page_size - 1)));
		else
			printk(KERN_CONT " next table at %#llx\n", (unsigned long long)(w.entry[l] & PTE_ADDR_MASK));
	}
	if (w.present)
		printk("  => physical address %#llx\n", (unsigned long long)w.phys);
	else
		printk("  => not mapped: an access would page-fault\n");
}

/* pt <pid> <vaddr>: the walk in that process's tables, and its VMA. */
static int pt_process(const char *pidarg, unsigned long va)
{
	struct mm_struct *mm = monitor_task_mm(pidarg);
	if (!mm)
		return MON_FAILED;
	mutex_lock(&mm->mmap_lock);
	printk("pt %p in pid %s's address space (pgd %#llx)\n", (void *)va, pidarg,
	       (unsigned long long)__pa(mm->pgd));
	show_walk(mm->pgd, va);
	struct vm_area_struct *vma = find_vma(mm, va);
	if (va >= TASK_SIZE)
		printk("  a kernel address: ");
	else if (vma && vma->vm_start <= va)
		printk("  in VMA %p-%p %c%c%c %s\n", (void *)vma->vm_start, (void *)vma->vm_end,
		       vma->vm_flags & VM_READ ? 'r' : '-', vma->vm_flags & VM_WRITE ? 'w' : '-',
		       vma->vm_flags & VM_EXEC ? 'x' : '-', vma->vm_name ? vma->vm_name : "");
	else
		printk("  in no VMA: an access from user mode is a segfault\n");
	printk("%skernel half: top-level entries %s swapper_pg_dir's\n", va >= TASK_SIZE ? "" : "  ",
	       pgd_kernel_half_matches(mm->pgd) ? "the very same as" : "DIFFERENT from");
	mutex_unlock(&mm->mmap_lock);
	mmput(mm);
	return MON_OK;
}

static int cmd_pt(int argc, char **argv)
{
	unsigned long va;
	if (mon_arg_addr("vaddr", argv[argc - 1], &va))
		return MON_USAGE;
	if (argc == 3)
		return pt_process(argv[1], va);
	printk("pt %p (CR3 %#lx)\n", (void *)va, read_cr3());
	show_walk(current_pgd(), va);
	show_vm_area(va);
	return 0;
}
MONITOR_CMD(pt, cmd_pt, "[pid|name] <vaddr>", "walk the page tables (from CR3, or process pid's) for vaddr, every level decoded");

static int cmd_v2p(int argc, char **argv)
{
	unsigned long va;
	if (mon_arg_addr("vaddr", argv[1], &va))
		return MON_USAGE;
	struct pt_walk w;
	pt_walk(current_pgd(), va, &w);
	if (w.present)
		printk("%p -> %#llx (%llu KiB page)\n", (void *)va, (unsigned long long)w.phys,
		       (unsigned long long)(w.page_size >> 10));
	else
		printk("%p -> not mapped\n", (void *)va);
	return 0;
}
MONITOR_CMD(v2p, cmd_v2p, "<vaddr>", "the physical address vaddr maps to, or 'not mapped'");
