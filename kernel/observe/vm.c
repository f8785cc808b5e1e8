/*
 * Monitor commands to make vmalloc and ioremap areas by hand and look at
 * them with `pt`, `v2p` and `vmallocinfo`:
 *   vmalloc 16K   ioremap fee00000 4K   vfree <addr>   iounmap <addr>   vpurge
 * vfree and iounmap take only what these commands made: every other area
 * belongs to someone still using it (a CPU's stack, a driver's registers).
 */
#include <pagoda/io.h>
#include <pagoda/monitor.h>
#include <pagoda/monitor_args.h>
#include <pagoda/printk.h>
#include <pagoda/stacks.h>
#include <pagoda/vmalloc.h>
#include "monitor_internal.h"

#define VMALLOC_SPACE (VMALLOC_END - VMALLOC_START)

static int cmd_vmalloc(int argc, char **argv)
{
	unsigned long long size;
	if (mon_arg_size("size", argv[1], 1, VMALLOC_SPACE, &size))
		return MON_USAGE;
	void *p = vmalloc((unsigned long)size);
	if (!p) {
		printk("vmalloc(%llu) failed: no memory or no vmalloc space for it\n", size);
		return MON_FAILED;
	}
	if (mon_obj_add(MON_VMALLOC, (unsigned long)p, PAGE_ALIGN(size))) {
		vfree(p);
		return MON_FAILED;
	}
	printk("vmalloc(%llu) = %p (first page pfn %#lx)\n", size, p, vmalloc_to_pfn(p));
	return MON_OK;
}
MONITOR_CMD(vmalloc, cmd_vmalloc, "<size>", "vmalloc an area (size with K M G) and print its address (see vmallocinfo, pt)");

/* Why addr is not the monitor's to free, as precisely as we can tell. */
static void refuse_free(const char *cmd, enum mon_obj_kind kind, unsigned long addr)
{
	bool in_guard;
	const struct vm_struct *a = is_vmalloc_addr((void *)addr) ? vm_area_lookup_fault(addr, &in_guard) : NULL;
	const struct stack_info *st = stack_lookup(addr);
	unsigned long mine = mon_obj_containing(kind, addr);

	if (mine)
		printk("%s %lx: refused: inside the area at %lx that the monitor made; give that address\n", cmd,
		       addr, mine);
	else if (!is_vmalloc_addr((void *)addr))
		printk("%s %lx: refused: not in the vmalloc area (%lx-%lx)\n", cmd, addr, VMALLOC_START,
		       VMALLOC_END - 1);
	else if (!a)
		printk("%s %lx: refused: no area there\n", cmd, addr);
	else if (st)
		printk("%s %lx: refused: %lx is the %s (%s'd by %pS), not created by the monitor\n", cmd, addr, addr,
		       st->name, vm_area_kind(a), a->caller);
	else
		printk("%s %lx: refused: %s of the %s area at %lx made by %pS, not created by the monitor\n", cmd,
		       addr, in_guard ? "the guard page" : addr == a->addr ? "the start" : "inside",
		       vm_area_kind(a), a->addr, a->caller);
}

static int cmd_vfree(int argc, char **argv)
{
	unsigned long addr;
	if (mon_arg_addr("address", argv[1], &addr))
		return MON_USAGE;
	if (!mon_obj_del(MON_VMALLOC, addr)) {
		refuse_free("vfree", MON_VMALLOC, addr);
		return MON_FAILED;
	}
	vfree((void *)addr);
	printk("vfree %lx: done\n", addr);
	return MON_OK;
}
MONITOR_CMD(vfree, cmd_vfree, "<addr>", "vfree an area made with the vmalloc command (nothing else)");

static int cmd_vpurge(int argc, char **argv)
{
	vm_unmap_aliases();
	printk("vpurge: lazily freed areas purged\n");
	return MON_OK;
}
MONITOR_CMD(vpurge, cmd_vpurge, "", "purge the lazily freed vmalloc areas now: one TLB shootdown (vm_unmap_aliases)");

static int cmd_ioremap(int argc, char **argv)
{
	phys_addr_t phys;
	unsigned long long size;
	if (mon_arg_phys("physical address", argv[1], &phys) ||
	    mon_arg_size("size", argv[2], 1, VMALLOC_SPACE, &size))
		return MON_USAGE;
	void *p = ioremap(phys, (unsigned long)size);
	if (!p) {
		printk("ioremap(%#llx, %llu) failed (see the message above, if any)\n", (unsigned long long)phys,
		       size);
		return MON_FAILED;
	}
	if (mon_obj_add(MON_IOREMAP, (unsigned long)p, (unsigned long)size)) {
		iounmap(p);
		return MON_FAILED;
	}
	printk("ioremap(%#llx, %llu) = %p, uncached\n", (unsigned long long)phys, size, p);
	return MON_OK;
}
MONITOR_CMD(ioremap, cmd_ioremap, "<phys> <size>", "map device memory uncached and print its address");

static int cmd_iounmap(int argc, char **argv)
{
	unsigned long addr;
	if (mon_arg_addr("address", argv[1], &addr))
		return MON_USAGE;
	if (!mon_obj_del(MON_IOREMAP, addr)) {
		refuse_free("iounmap", MON_IOREMAP, addr);
		return MON_FAILED;
	}
	iounmap((void *)addr);
	printk("iounmap %lx: done\n", addr);
	return MON_OK;
}
MONITOR_CMD(iounmap, cmd_iounmap, "<addr>", "remove a mapping made with the ioremap command (nothing else)");
