/*
 * Monitor commands for the initramfs: `initramfs` lists the archive like
 * `ls -l` (mode, size, name); `elfinfo <path>` runs the program loader's
 * ELF checks on one file and prints the segments it would map, or why it
 * refuses the file.
 */
#include <pagoda/initramfs.h>
#include <pagoda/errno.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <asm/elf.h>

static void mode_string(u32 mode, char s[11])
{
	static const char rwx[] = "rwxrwxrwx";
	u32 type = mode & CPIO_S_IFMT;
	s[0] = type == CPIO_S_IFDIR ? 'd' : type == CPIO_S_IFLNK ? 'l' : type == CPIO_S_IFREG ? '-' : '?';
	for (int i = 0; i < 9; i++)
		s[1 + i] = mode & (0400 >> i) ? rwx[i] : '-';
	s[10] = '\0';
}

static int cmd_initramfs(int argc, char **argv)
{
	size_t size;
	const void *a = initramfs_data(&size);
	u64 start, end;
	if (!a) {
		if (initramfs_phys(&start, &end))
			printk("initramfs: module at [%#llx, %#llx) is not usable (see dmesg)\n", start, end);
		else
			printk("initramfs: none (boot without the module, or freed)\n");
		return 0;
	}
	initramfs_phys(&start, &end);
	printk("initramfs: %zu bytes at phys [%#llx, %#llx)\n", size, start, end);
	struct cpio_iter it;
	struct cpio_entry e;
	int ret, files = 0;
	cpio_iter_init(&it, a, size);
	while ((ret = cpio_next(&it, &e)) > 0) {
		char mode[11];
		mode_string(e.mode, mode);
		printk("%s %8zu /%s\n", mode, e.size, e.name);
		files++;
	}
	if (ret < 0)
		printk("initramfs: garbled after %d entries: %s\n", files, it.why);
	else
		printk("initramfs: %d entries\n", files);
	return 0;
}
MONITOR_CMD(initramfs, cmd_initramfs, "", "list the initramfs archive: mode, size, name");

static int cmd_elfinfo(int argc, char **argv)
{
	struct cpio_entry e;
	int ret = initramfs_find(argv[1], &e);
	if (ret) {
		printk("elfinfo: %s: %s\n", argv[1], ret == -ENOENT ? "not in the initramfs" : "no initramfs");
		return MON_FAILED;
	}
	struct elf_image img;
	char why[128];
	const struct elf_target native = ELF_TARGET_NATIVE;
	ret = elf_check(e.data, e.size, &native, &img, why, sizeof(why));
	if (ret) {
		printk("elfinfo: %s refused (%s): %s\n", argv[1], errname(ret), why);
		return MON_FAILED;
	}
	printk("%s: ELF%d, entry %#llx, %d segments\n", argv[1], img.class == ELFCLASS64 ? 64 : 32,
	       img.entry, img.nr_segments);
	printk("  %-18s %-18s %-10s %-10s %-10s prot\n", "vaddr", "end", "memsz", "filesz", "offset");
	for (int i = 0; i < img.nr_segments; i++) {
		const struct elf_segment *s = &img.seg[i];
		printk("  %#018llx %#018llx %#-10llx %#-10llx %#-10llx %c%c%c\n", s->vaddr, s->vaddr + s->memsz,
		       s->memsz, s->filesz, s->offset, s->prot & PF_R ? 'r' : '-',
		       s->prot & PF_W ? 'w' : '-', s->prot & PF_X ? 'x' : '-');
	}
	return 0;
}
MONITOR_CMD(elfinfo, cmd_elfinfo, "<path>",
	    "check a program in the initramfs as the ELF loader will; print its segments or why it is refused");
