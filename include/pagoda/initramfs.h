/*
 * The initramfs: the newc cpio archive of the first programs (/bin/init,
 * /bin/sh ...), made by the build (user/user.mk) and loaded by the boot
 * loader as a module (GRUB: the multiboot2 module named "initramfs"; a boot
 * with exactly one unnamed module, such as QEMU's -initrd, uses that one).
 * memblock keeps the module's pages reserved from boot until
 * free_initramfs() gives them to the buddy allocator. kernel/initramfs.c.
 */
#ifndef PAGODA_INITRAMFS_H
#define PAGODA_INITRAMFS_H

#include <pagoda/bootinfo.h>
#include <pagoda/cpio.h>

/* Find and map the archive, check it, log what was found. After vmalloc_init;
 * boot CPU. A missing or garbled archive is logged, not fatal. */
void initramfs_init(void);

/* Which of the boot modules is the initramfs: the one named "initramfs",
 * else the only module if it has no name (or a NULL one); else NULL. */
const struct boot_module *initramfs_pick_module(const struct boot_module *mods, int n);

/* The archive, or NULL (none, garbled, or freed); *size gets its length. */
const void *initramfs_data(size_t *size);
/* Physical range of the module, [*start, *end); false if there is none. */
bool initramfs_phys(u64 *start, u64 *end);

/* Look up path ("/bin/init"): 0, -ENOENT, or -EINVAL (no archive, garbled). */
int initramfs_find(const char *path, struct cpio_entry *e);

/*
 * Give the archive's pages to the buddy allocator and forget it: afterwards
 * initramfs_data() is NULL and initramfs_find() fails. Returns the number of
 * pages freed (0 if there was no archive). Process context; nobody may hold
 * a pointer into the archive (struct cpio_entry names and data).
 */
unsigned long free_initramfs(void);

#endif
