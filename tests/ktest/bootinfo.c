/*
 * The boot information is what the kernel needs whichever entry started it:
 * GRUB's multiboot2 or QEMU's PVH (-kernel). These cases run in the boot
 * matrix (ktest=boot.*,bootinfo.*) under both; the manifest checks which entry each
 * test used ("boot: pvh entry" / "boot: multiboot2 entry"), and
 * tests/host/test_boot_entries.py that both give the same memory map,
 * command line and RSDP on the same machine.
 */
#include <pagoda/acpi.h>
#include <pagoda/bootinfo.h>
#include <pagoda/ktest.h>
#include <pagoda/sections.h>
#include <pagoda/string.h>
#include <asm/page.h>

static bool protocol_is(const char *p)
{
	return bootinfo.protocol && !strcmp(bootinfo.protocol, p);
}

/* Each entry leaves its own traces, and only its own. */
static void bootinfo_entry_known(struct ktest *t)
{
	KTEST_ASSERT_NOT_NULL(t, bootinfo.protocol);
	KTEST_ASSERT_TRUE(t, protocol_is("pvh") || protocol_is("multiboot2"));
	if (protocol_is("pvh")) {
		KTEST_EXPECT_STREQ(t, bootinfo.loader, "PVH");
		KTEST_EXPECT_EQ(t, bootinfo.nr_tags, 0);
		KTEST_EXPECT_NULL(t, bootinfo.elf_shdrs);
	} else {
		KTEST_EXPECT_GT(t, bootinfo.nr_tags, 3);        /* cmdline, loader, mmap, end ... */
		KTEST_EXPECT_EQ(t, strncmp(bootinfo.loader, "GRUB", 4), 0);
		KTEST_EXPECT_NOT_NULL(t, bootinfo.elf_shdrs);
	}
}

/* We run because the command line selected us: it arrived whole. */
static void bootinfo_cmdline_arrived(struct ktest *t)
{
	KTEST_ASSERT_NOT_NULL(t, bootinfo.cmdline);
	KTEST_EXPECT_NOT_NULL(t, strstr(bootinfo.cmdline, "ktest="));
	/* Outside the memory the page allocator hands out: in the kernel image. */
	KTEST_EXPECT_TRUE(t, (const char *)bootinfo.cmdline >= (const char *)_text &&
			     (const char *)bootinfo.cmdline < (const char *)_end);
}

/* Sorted, non-overlapping, low memory and the kernel image usable. */
static void bootinfo_memmap_sane(struct ktest *t)
{
	KTEST_ASSERT_GE(t, bootinfo.nr_mem, 3);
	bool low = false, image = false;
	for (int i = 0; i < bootinfo.nr_mem; i++) {
		const struct e820_entry *m = &bootinfo.mem[i];
		KTEST_EXPECT_LT(t, m->start, m->end);
		if (i)
			KTEST_EXPECT_LE(t, bootinfo.mem[i - 1].end, m->start);
		if (m->type != E820_TYPE_RAM)
			continue;
		if (m->start == 0 && m->end >= 0x80000)
			low = true;
		if (m->start <= __pa(_text) && __pa(_end) <= m->end)
			image = true;
	}
	KTEST_EXPECT_TRUE(t, low);
	KTEST_EXPECT_TRUE(t, image);
	/* Modules (QEMU's -initrd, GRUB's module2) lie in usable RAM. */
	for (int i = 0; i < bootinfo.nr_modules; i++) {
		const struct boot_module *mod = &bootinfo.modules[i];
		KTEST_EXPECT_LT(t, mod->start, mod->end);
		bool inside = false;
		for (int j = 0; j < bootinfo.nr_mem; j++)
			inside |= bootinfo.mem[j].type == E820_TYPE_RAM && bootinfo.mem[j].start <= mod->start &&
				  mod->end <= bootinfo.mem[j].end;
		KTEST_EXPECT_TRUE(t, inside);
	}
}

static u8 sum(const u8 *p, int n)
{
	u8 s = 0;
	while (n--)
		s += *p++;
	return s;
}

/* The RSDP is there, valid, kept in the kernel image, and led to the FADT. */
static void bootinfo_rsdp_found(struct ktest *t)
{
	const u8 *r = bootinfo.rsdp;
	KTEST_ASSERT_NOT_NULL(t, r);
	KTEST_EXPECT_EQ(t, memcmp(r, "RSD PTR ", 8), 0);
	KTEST_EXPECT_EQ(t, sum(r, 20), 0);
	if (bootinfo.rsdp_version == 2)
		KTEST_EXPECT_EQ(t, sum(r, 36), 0);
	KTEST_EXPECT_TRUE(t, (const char *)r >= (const char *)_text && (const char *)r < (const char *)_end);
	KTEST_EXPECT_TRUE(t, acpi.found);
}

static struct ktest_case bootinfo_cases[] = {
	KTEST_CASE(bootinfo_entry_known),
	KTEST_CASE(bootinfo_cmdline_arrived),
	KTEST_CASE(bootinfo_memmap_sane),
	KTEST_CASE(bootinfo_rsdp_found),
	{}
};
KTEST_SUITE(bootinfo, bootinfo_cases);
