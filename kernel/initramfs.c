/*
 * The initramfs module: found among the boot modules, reached through the
 * direct map (or a vmap of its pages when the loader put it above the
 * direct map, as it may on i386), and released to the buddy allocator on
 * request. Reading the archive is lib/cpio.c's job.
 */
#include <pagoda/initramfs.h>
#include <pagoda/bootinfo.h>
#include <pagoda/errno.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>
#include <asm/pgtable.h>

static const struct boot_module *module;
static const void *archive;
static size_t archive_size;
static void *vmapped;           /* the vmap base when not in the direct map */

/* A boot protocol without module strings (PVH: QEMU's -initrd) may leave it NULL. */
static const char *module_name(const struct boot_module *m)
{
	return m->string ? m->string : "";
}

const struct boot_module *initramfs_pick_module(const struct boot_module *mods, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(module_name(&mods[i]), "initramfs"))
			return &mods[i];
	if (n == 1 && !*module_name(&mods[0]))
		return &mods[0];
	return NULL;
}

static const void *map_module(u64 start, u64 end)
{
	if (end <= direct_map_limit())
		return __va(start);
	unsigned long first = PFN_DOWN(start), n = PFN_UP(end) - first;
	struct page **pages = kmalloc(n * sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (unsigned long i = 0; i < n; i++)
		pages[i] = pfn_to_page(first + i);
	vmapped = vmap(pages, n, 0, PAGE_KERNEL_RO);
	kfree(pages);
	return vmapped ? (const u8 *)vmapped + (start & (PAGE_SIZE - 1)) : NULL;
}

void initramfs_init(void)
{
	module = initramfs_pick_module(bootinfo.modules, bootinfo.nr_modules);
	if (!module) {
		pr_info("initramfs: none (no boot module named 'initramfs')\n");
		return;
	}
	u64 start = module->start, end = module->end;
	if (end <= start || !pfn_valid(PFN_DOWN(end - 1))) {
		pr_err("initramfs: module [%#llx, %#llx) is not in RAM; ignored\n", start, end);
		module = NULL;
		return;
	}
	const void *p = map_module(start, end);
	if (!p) {
		pr_err("initramfs: cannot map [%#llx, %#llx)\n", start, end);
		return;
	}
	const char *why;
	if (cpio_validate(p, end - start, &why)) {
		pr_err("initramfs: [%#llx, %#llx) is not a newc archive: %s\n", start, end, why);
		return;
	}
	archive = p;
	archive_size = end - start;
	pr_info("initramfs: %llu KiB at [%#llx, %#llx)%s\n", (end - start) >> 10, start, end,
		vmapped ? ", above the direct map: vmapped" : "");
}

const void *initramfs_data(size_t *size)
{
	if (size)
		*size = archive ? archive_size : 0;
	return archive;
}

bool initramfs_phys(u64 *start, u64 *end)
{
	if (!module)
		return false;
	*start = module->start;
	*end = module->end;
	return true;
}

int initramfs_find(const char *path, struct cpio_entry *e)
{
	if (!archive)
		return -EINVAL;
	return cpio_find(archive, archive_size, path, e);
}

unsigned long free_initramfs(void)
{
	if (!module)
		return 0;
	if (vmapped)
		vunmap(vmapped);
	/* Whole pages only: a partial page at either end may share its frame
	 * with something else the loader put there. */
	unsigned long pfn = PFN_UP(module->start), end = PFN_DOWN(module->end), freed = 0;
	archive = NULL;
	vmapped = NULL;
	module = NULL;
	while (pfn < end) {
		/* A run of pages still reserved (never handed out twice). */
		unsigned long run = pfn;
		while (run < end && PageReserved(pfn_to_page(run)))
			run++;
		if (run > pfn) {
			free_reserved_pages(pfn, run);
			freed += run - pfn;
			pfn = run;
		} else {
			pfn++;
		}
	}
	pr_info("initramfs: freed %lu pages\n", freed);
	return freed;
}
