/*
 * Monitor commands to make vmalloc and ioremap areas by hand and look at
 * them with `pt`, `v2p` and `vmallocinfo`:
 *   vmalloc 16K   ioremap fee00000 4K   vfree <addr>   iounmap <addr>   vpurge
 */
#include <pagoda/io.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>

/* Sizes take K/M suffixes; addresses are hex with or without 0x. */
static int parse_size(const char *s, unsigned long *out)
{
	unsigned long long v;
	if (parse_ulong(s, &v, true) || v != (unsigned long)v)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

static int parse_hex(const char *s, unsigned long long *out)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%s%s", strncmp(s, "0x", 2) ? "0x" : "", s);
	return parse_ulong(buf, out, false);
}

static int cmd_vmalloc(int argc, char **argv)
{
	unsigned long size;
	if (argc != 2 || parse_size(argv[1], &size))
		return 1;
	void *p = vmalloc(size);
	if (!p)
		return 0;
	printk("vmalloc(%lu) = %p (first page pfn %#lx)\n", size, p, vmalloc_to_pfn(p));
	return 0;
}
MONITOR_CMD(vmalloc, cmd_vmalloc, "<size[K|M]>", "vmalloc an area and print its address (see vmallocinfo, pt)");

static int cmd_vfree(int argc, char **argv)
{
	unsigned long long a;
	if (argc != 2 || parse_hex(argv[1], &a))
		return 1;
	vfree((void *)(unsigned long)a);
	return 0;
}
MONITOR_CMD(vfree, cmd_vfree, "<hex addr>", "vfree an area made with the vmalloc command");

static int cmd_vpurge(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return 1;
	vm_unmap_aliases();
	return 0;
}
MONITOR_CMD(vpurge, cmd_vpurge, "", "purge the lazily freed vmalloc areas now: one TLB shootdown (vm_unmap_aliases)");

static int cmd_ioremap(int argc, char **argv)
{
	unsigned long long phys;
	unsigned long size;
	if (argc != 3 || parse_hex(argv[1], &phys) || parse_size(argv[2], &size))
		return 1;
	void *p = ioremap(phys, size);
	if (p)
		printk("ioremap(%#llx, %lu) = %p, uncached\n", phys, size, p);
	return 0;
}
MONITOR_CMD(ioremap, cmd_ioremap, "<hex phys> <size[K|M]>", "map device memory uncached and print its address");

static int cmd_iounmap(int argc, char **argv)
{
	unsigned long long a;
	if (argc != 2 || parse_hex(argv[1], &a))
		return 1;
	iounmap((void *)(unsigned long)a);
	return 0;
}
MONITOR_CMD(iounmap, cmd_iounmap, "<hex addr>", "remove a mapping made with the ioremap command");
