/*
 * The initramfs as the kernel sees it: the module GRUB loaded was found and
 * reserved, it lists /bin/init, every program in /bin passes the ELF checks
 * of this build, corrupted copies are refused, the monitor commands show
 * it, and free_initramfs() gives every whole page back (the last case: it
 * forgets the archive).
 */
#include <pagoda/initramfs.h>
#include <pagoda/errno.h>
#include <pagoda/ktest.h>
#include <pagoda/process.h>
#include <pagoda/mm.h>
#include <pagoda/mmzone.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>
#include <asm/elf.h>

static const struct elf_target native = ELF_TARGET_NATIVE;

static void archive_found_and_reserved(struct ktest *t)
{
	size_t size;
	u64 start, end;
	const void *a = initramfs_data(&size);
	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_TRUE(t, initramfs_phys(&start, &end));
	KTEST_EXPECT_EQ(t, size, end - start);
	KTEST_EXPECT_EQ(t, start & (PAGE_SIZE - 1), 0);     /* GRUB page-aligns modules */
	const char *why = NULL;
	KTEST_EXPECT_EQ(t, cpio_validate(a, size, &why), 0);
	/* memblock kept the module from the buddy allocator */
	for (unsigned long pfn = PFN_DOWN(start); pfn < PFN_UP(end); pfn++)
		if (!PageReserved(pfn_to_page(pfn))) {
			ktest_fail_msg(t, __FILE__, __LINE__, "module page %#lx is not reserved", pfn);
			break;
		}
}

static void lists_bin_init(struct ktest *t)
{
	struct cpio_entry e;
	KTEST_ASSERT_EQ(t, initramfs_find("/bin/init", &e), 0);
	KTEST_EXPECT_EQ(t, e.mode & CPIO_S_IFMT, CPIO_S_IFREG);
	KTEST_EXPECT_GT(t, e.size, 0);
	KTEST_EXPECT_MEMEQ(t, e.data, ELFMAG, 4);
	KTEST_EXPECT_EQ(t, initramfs_find("bin/sh", &e), 0);
	KTEST_EXPECT_EQ(t, initramfs_find("/bin/no-such-program", &e), -ENOENT);
}

static void every_program_is_an_elf_for_this_build(struct ktest *t)
{
	size_t size;
	const void *a = initramfs_data(&size);
	KTEST_ASSERT_NOT_NULL(t, a);
	struct cpio_iter it;
	struct cpio_entry e;
	int programs = 0;
	cpio_iter_init(&it, a, size);
	while (cpio_next(&it, &e) > 0) {
		if ((e.mode & CPIO_S_IFMT) != CPIO_S_IFREG || strncmp(e.name, "bin/", 4))
			continue;
		struct elf_image img;
		char why[128];
		int ret = elf_check(e.data, e.size, &native, &img, why, sizeof(why));
		if (ret)
			ktest_fail_msg(t, __FILE__, __LINE__, "/%s refused: %s", e.name, why);
		else
			KTEST_EXPECT_GE(t, img.nr_segments, 1);
		programs++;
	}
	KTEST_EXPECT_GE(t, programs, 7);        /* init sh echo true false hello usertests */
}

/* A vmalloc copy of /bin/hello to damage. */
static void *copy_of(const char *path, size_t *size)
{
	struct cpio_entry e;
	if (initramfs_find(path, &e))
		return NULL;
	void *p = vmalloc(e.size);
	if (p)
		memcpy(p, e.data, e.size);
	*size = e.size;
	return p;
}

static int check_copy(const void *p, size_t size, char *why)
{
	return elf_check(p, size, &native, NULL, why, 128);
}

static void corrupted_copies_refused(struct ktest *t)
{
	size_t size;
	char why[128];
	u8 *p = copy_of("/bin/hello", &size);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, check_copy(p, size, why), 0);

	p[EI_CLASS] ^= ELFCLASS32 ^ ELFCLASS64;         /* the other build's class */
	KTEST_EXPECT_EQ(t, check_copy(p, size, why), -ENOEXEC);
	KTEST_EXPECT_NOT_NULL(t, strstr(why, "this kernel runs"));
	p[EI_CLASS] ^= ELFCLASS32 ^ ELFCLASS64;

	u16 machine = 40, saved;                        /* EM_ARM */
	memcpy(&saved, p + 18, 2);
	memcpy(p + 18, &machine, 2);
	KTEST_EXPECT_EQ(t, check_copy(p, size, why), -ENOEXEC);
	KTEST_EXPECT_NOT_NULL(t, strstr(why, "machine"));
	memcpy(p + 18, &saved, 2);

	/* the first program header's vaddr into the kernel half */
	size_t ph_vaddr = ELF_CLASS == ELFCLASS64 ? sizeof(Elf64_Ehdr) + offsetof(Elf64_Phdr, p_vaddr)
						  : sizeof(Elf32_Ehdr) + offsetof(Elf32_Phdr, p_vaddr);
	unsigned long kaddr = TASK_SIZE & ~(PAGE_SIZE - 1), old;
	memcpy(&old, p + ph_vaddr, sizeof(old));
	memcpy(p + ph_vaddr, &kaddr, sizeof(kaddr));
	KTEST_EXPECT_EQ(t, check_copy(p, size, why), -ENOEXEC);
	KTEST_EXPECT_NOT_NULL(t, strstr(why, "kernel half"));
	memcpy(p + ph_vaddr, &old, sizeof(old));

	/* cut short: the segments' bytes run past the end */
	KTEST_EXPECT_EQ(t, check_copy(p, 200, why), -ENOEXEC);
	KTEST_EXPECT_EQ(t, check_copy(p, size, why), 0);        /* all repaired */
	vfree(p);
}

static void corrupted_archive_refused(struct ktest *t)
{
	size_t size;
	const void *a = initramfs_data(&size);
	KTEST_ASSERT_NOT_NULL(t, a);
	char *p = vmalloc(size);
	KTEST_ASSERT_NOT_NULL(t, p);
	memcpy(p, a, size);
	const char *why;
	struct cpio_entry e;
	KTEST_EXPECT_EQ(t, cpio_find(p, size, "/bin/init", &e), 0);
	size_t second = (const char *)e.name - p - 110;         /* the header of bin/init */
	p[second + 1] = 'X';                                    /* its magic */
	KTEST_EXPECT_EQ(t, cpio_validate(p, size, &why), -EINVAL);
	KTEST_EXPECT_NOT_NULL(t, why && strstr(why, "magic") ? why : NULL);
	KTEST_EXPECT_EQ(t, cpio_find(p, size, "/bin/init", &e), -EINVAL);
	p[second + 1] = '7';
	KTEST_EXPECT_EQ(t, cpio_validate(p, size, &why), 0);
	KTEST_EXPECT_EQ(t, cpio_validate(p, size / 2, &why), -EINVAL); /* no trailer */
	vfree(p);
}

static void picks_the_module(struct ktest *t)
{
	const struct boot_module named[] = {
		{ 0x100000, 0x101000, "font" }, { 0x200000, 0x201000, "initramfs" },
	};
	const struct boot_module unnamed[] = { { 0x100000, 0x101000, "" } };
	const struct boot_module null_name[] = { { 0x100000, 0x101000, NULL } };
	const struct boot_module other[] = { { 0x100000, 0x101000, "font" } };
	const struct boot_module two_unnamed[] = { { 0x100000, 0x101000, "" }, { 0x200000, 0x201000, "" } };
	KTEST_EXPECT_PTR_EQ(t, initramfs_pick_module(named, 2), &named[1]);
	KTEST_EXPECT_PTR_EQ(t, initramfs_pick_module(unnamed, 1), &unnamed[0]);
	KTEST_EXPECT_PTR_EQ(t, initramfs_pick_module(null_name, 1), &null_name[0]);
	KTEST_EXPECT_NULL(t, initramfs_pick_module(other, 1));
	KTEST_EXPECT_NULL(t, initramfs_pick_module(two_unnamed, 2));
	KTEST_EXPECT_NULL(t, initramfs_pick_module(NULL, 0));
	/* this boot: GRUB's module2 line names it; QEMU's -initrd (PVH) is
	 * the one unnamed module */
	u64 start, end;
	KTEST_ASSERT_TRUE(t, initramfs_phys(&start, &end));
	const struct boot_module *m = initramfs_pick_module(bootinfo.modules, bootinfo.nr_modules);
	KTEST_ASSERT_NOT_NULL(t, m);
	KTEST_EXPECT_STREQ(t, m->string, strcmp(bootinfo.protocol, "pvh") ? "initramfs" : "");
	KTEST_EXPECT_EQ(t, m->start, start);
}

static char out[4096];

static void monitor_commands(struct ktest *t)
{
	console_capture_start(out, sizeof(out));
	monitor_exec("initramfs");
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "-rwxr-xr-x"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "/bin/init\n"));
	console_capture_start(out, sizeof(out));
	monitor_exec("elfinfo /bin/hello");
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, ELF_CLASS == ELFCLASS64 ? "ELF64, entry 0x4" : "ELF32, entry 0x804"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "r-x"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "rw-"));
	console_capture_start(out, sizeof(out));
	monitor_exec("elfinfo /bin");
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "refused (ENOEXEC)"));
}

static unsigned long managed_pages(void)
{
	unsigned long n = 0;
	struct zone *z;
	for_each_zone(z)
		n += z->managed_pages;
	return n;
}

/* Last: afterwards there is no archive. */
static void free_initramfs_gives_pages_back(struct ktest *t)
{
	if (boot_execs_init()) {
		ktest_skip(t, "this boot runs init= after the tests: the programs must stay");
		return;
	}
	u64 start, end;
	KTEST_ASSERT_TRUE(t, initramfs_phys(&start, &end));
	unsigned long want = PFN_DOWN(end) - PFN_UP(start);
	drain_all_pages();
	unsigned long free_before = nr_free_pages(), managed_before = managed_pages();
	KTEST_EXPECT_EQ(t, free_initramfs(), want);
	KTEST_EXPECT_EQ(t, nr_free_pages() - free_before, want);
	KTEST_EXPECT_EQ(t, managed_pages() - managed_before, want);
	for (unsigned long pfn = PFN_UP(start); pfn < PFN_DOWN(end); pfn++)
		if (PageReserved(pfn_to_page(pfn))) {
			ktest_fail_msg(t, __FILE__, __LINE__, "page %#lx still reserved", pfn);
			break;
		}
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	KTEST_EXPECT_NULL(t, initramfs_data(NULL));
	struct cpio_entry e;
	KTEST_EXPECT_EQ(t, initramfs_find("/bin/init", &e), -EINVAL);
	KTEST_EXPECT_EQ(t, free_initramfs(), 0);                /* only once */
}

static struct ktest_case initramfs_cases[] = {
	KTEST_CASE(archive_found_and_reserved),
	KTEST_CASE(picks_the_module),
	KTEST_CASE(lists_bin_init),
	KTEST_CASE(every_program_is_an_elf_for_this_build),
	KTEST_CASE(corrupted_copies_refused),
	KTEST_CASE(corrupted_archive_refused),
	KTEST_CASE(monitor_commands),
	KTEST_CASE(free_initramfs_gives_pages_back),
	{}
};
KTEST_SUITE(initramfs, initramfs_cases);
