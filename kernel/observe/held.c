/*
 * What the monitor created on the user's behalf (kmalloc, vmalloc, ioremap
 * and kmap commands), so that kfree, vfree, iounmap and kunmap act on those
 * and nothing else; and `held`, which lists them or gives them all back.
 */
#include <pagoda/errno.h>
#include <pagoda/highmem.h>
#include <pagoda/io.h>
#include <pagoda/mm.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>
#include "monitor_internal.h"

struct mon_obj {
	enum mon_obj_kind kind;
	unsigned long key, size;
	bool used;
};

static struct mon_obj objs[MON_OBJS_MAX];

static const char *const kind_names[MON_NR_KINDS] = {
	[MON_KMALLOC] = "kmalloc", [MON_VMALLOC] = "vmalloc", [MON_IOREMAP] = "ioremap", [MON_KMAP] = "kmap",
};

int mon_obj_add(enum mon_obj_kind kind, unsigned long key, unsigned long size)
{
	for (int i = 0; i < MON_OBJS_MAX; i++)
		if (!objs[i].used) {
			objs[i] = (struct mon_obj){ kind, key, size, true };
			return 0;
		}
	printk("%s: the monitor already holds %d objects: free some ('held' lists them)\n", monitor_current(),
	       MON_OBJS_MAX);
	return -ENOSPC;
}

bool mon_obj_del(enum mon_obj_kind kind, unsigned long key)
{
	for (int i = 0; i < MON_OBJS_MAX; i++)
		if (objs[i].used && objs[i].kind == kind && objs[i].key == key) {
			objs[i].used = false;
			return true;
		}
	return false;
}

unsigned long mon_obj_containing(enum mon_obj_kind kind, unsigned long addr)
{
	for (int i = 0; i < MON_OBJS_MAX; i++)
		if (objs[i].used && objs[i].kind == kind && addr - objs[i].key < objs[i].size)
			return objs[i].key;
	return 0;
}

static void release(struct mon_obj *o)
{
	switch (o->kind) {
	case MON_KMALLOC:
		kfree((void *)o->key);
		break;
	case MON_VMALLOC:
		vfree((void *)o->key);
		break;
	case MON_IOREMAP:
		iounmap((void *)o->key);
		break;
	case MON_KMAP:
		kunmap(pfn_to_page(o->key));
		break;
	default:
		break;
	}
	o->used = false;
}

static int cmd_held(int argc, char **argv)
{
	bool all = argc == 2;
	int n = 0;
	if (all && strcmp(argv[1], "release")) {
		printk("held: '%s': the only argument is 'release'\n", argv[1]);
		return MON_USAGE;
	}
	for (int i = 0; i < MON_OBJS_MAX; i++) {
		struct mon_obj *o = &objs[i];
		if (!o->used)
			continue;
		n++;
		if (o->kind == MON_KMAP)
			printk("held: kmap    pfn %#lx\n", o->key);
		else
			printk("held: %-7s %p (%lu bytes)\n", kind_names[o->kind], (void *)o->key, o->size);
		if (all)
			release(o);
	}
	printk("held: %d object%s made by the monitor%s\n", n, n == 1 ? "" : "s", all && n ? ", released" : "");
	return MON_OK;
}
MONITOR_CMD(held, cmd_held, "[release]",
	    "what the monitor's own kmalloc/vmalloc/ioremap/kmap made; release: free it all");
