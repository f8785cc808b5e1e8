/*
 * kernel/x86/multiboot2.c on the host: multiboot2_parse on hand-built tag lists,
 * a valid one and every kind of garbled one, each parsed from a heap copy of
 * exactly total_size bytes so that ASan sees any read past the end.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hosttest.h"

/* multiboot2.c formats its errors with the kernel's snprintf. */
#define vsnprintf kernel_vsnprintf
#define snprintf kernel_snprintf
#include "../../lib/vsprintf.c"
#include "../../kernel/x86/multiboot2.c"
#undef vsnprintf
#undef snprintf

/* -- building tag lists ---------------------------------------------------- */

struct mbi {
	u8 buf[8192] __aligned(8);
	u32 len;
};

static void put32(struct mbi *m, u32 off, u32 v)
{
	memcpy(m->buf + off, &v, 4);
}

static void mb_begin(struct mbi *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8;
}

/* A tag whose size field says `size` (normally 8 + plen), padded to 8. */
static u32 mb_tag_sized(struct mbi *m, u32 type, u32 size, const void *payload, u32 plen)
{
	u32 at = m->len;
	put32(m, at, type);
	put32(m, at + 4, size);
	if (plen)
		memcpy(m->buf + at + 8, payload, plen);
	m->len = (at + 8 + plen + 7) & ~7u;
	return at;
}

static u32 mb_tag(struct mbi *m, u32 type, const void *payload, u32 plen)
{
	return mb_tag_sized(m, type, 8 + plen, payload, plen);
}

static u32 mb_string(struct mbi *m, u32 type, const char *s)
{
	return mb_tag(m, type, s, strlen(s) + 1);
}

/* total_size = the list so far; no end tag (mb_end adds one). */
static u32 mb_close(struct mbi *m)
{
	put32(m, 0, m->len);
	return m->len;
}

static u32 mb_end(struct mbi *m)
{
	mb_tag(m, 0, NULL, 0);
	return mb_close(m);
}

struct mmap_ent {
	u64 addr, len;
	u32 type, reserved;
};

static void mb_mmap(struct mbi *m, u32 entry_size, const struct mmap_ent *e, int n)
{
	u8 pl[4096];
	u32 plen = 8;
	memset(pl, 0, sizeof(pl));
	memcpy(pl, &entry_size, 4);             /* entry_size, entry_version 0 */
	for (int i = 0; i < n; i++, plen += entry_size)
		memcpy(pl + plen, &e[i], sizeof(e[i]));
	mb_tag(m, 6, pl, plen);
}

/* -- parsing --------------------------------------------------------------- */

static struct bootinfo bi;
static char err[160];
static u8 *copy;

/* Parse the first `size` bytes of m from an exactly-sized heap copy. */
static int parse_n(const struct mbi *m, size_t size)
{
	free(copy);
	copy = malloc(size ? size : 1);
	memcpy(copy, m->buf, size);
	memset(err, 0, sizeof(err));
	return multiboot2_parse(copy, size, &bi, err, sizeof(err));
}

static int parse(const struct mbi *m)
{
	return parse_n(m, m->len);
}

#define CHECK_GARBLED(m, why) do { \
	CHECK_EQ(parse(m), -EINVAL); \
	CHECK_CONTAINS(err, "multiboot2 information garbled: "); \
	CHECK_CONTAINS(err, why); \
} while (0)

static const u8 rsdp_v1[20] = "RSD PTR \x11OEMID\x00\x34\x12\x00\x00";
static u8 xsdp_v2[36] = "RSD PTR \x22OEM2ID\x02";

static void test_valid(void)
{
	static const struct mmap_ent map[] = {
		{ 0x100000, 0x7ee0000, E820_TYPE_RAM, 0 },
		{ 0x0, 0x9fc00, E820_TYPE_RAM, 0 },
		{ 0xfffc0000, 0x40000, E820_TYPE_RESERVED, 0 },
		{ 0x9fc00, 0x400, E820_TYPE_RESERVED, 0 },
		{ 0x5000000, 0, E820_TYPE_RAM, 0 },                /* empty: dropped */
		{ 0x7fe0000, 0x20000, E820_TYPE_ACPI, 0 },
		{ 0xf0000, 0x10000, E820_TYPE_RESERVED, 0 },
		{ 0xfffffffffffff000ull, 0x2000, E820_TYPE_UNUSABLE, 0 },  /* wraps: clamped */
		{ 0x100000000ull, 0x40000000, E820_TYPE_RAM, 0 },
	};
	static const u32 meminfo[2] = { 639, 130048 };
	u8 elf[12 + 3 * 64];
	u32 elfhdr[3] = { 3, 64, 2 };
	u8 module[8 + 8];
	u32 modhdr[2] = { 0x200000, 0x201000 };
	struct mbi m;

	memset(elf, 0xee, sizeof(elf));
	memcpy(elf, elfhdr, 12);
	memcpy(module, modhdr, 8);
	memcpy(module + 8, "initrd\0", 8);

	mb_begin(&m);
	mb_string(&m, 1, "console=ttyS0 ktest=boot.*");
	mb_string(&m, 2, "GRUB 2.06");
	mb_tag(&m, 4, meminfo, sizeof(meminfo));
	u32 old_at = mb_tag(&m, 14, rsdp_v1, sizeof(rsdp_v1));
	mb_mmap(&m, 24, map, ARRAY_SIZE(map));
	u32 new_at = mb_tag(&m, 15, xsdp_v2, sizeof(xsdp_v2));
	u32 elf_at = mb_tag(&m, 9, elf, sizeof(elf));
	u32 mod_at = mb_tag(&m, 3, module, sizeof(module));
	mb_tag(&m, 21, "\1\2\3", 3);            /* a tag we do not use */
	u32 total = mb_end(&m);

	CHECK_EQ(parse(&m), 0);
	CHECK_STREQ(err, "");
	CHECK_STREQ(bi.cmdline, "console=ttyS0 ktest=boot.*");
	CHECK_STREQ(bi.loader, "GRUB 2.06");
	CHECK(bi.cmdline > (char *)copy && bi.cmdline < (char *)copy + total);
	CHECK_EQ(bi.total_size, total);
	CHECK_EQ(bi.nr_tags, 10);
	/* ACPI: the 2.0 XSDP wins over the 1.0 RSDP, pointing into the info */
	CHECK(bi.rsdp == copy + new_at + 8);
	CHECK_EQ(bi.rsdp_version, 2);
	(void)old_at;
	/* ELF sections */
	CHECK_EQ(bi.elf_num, 3);
	CHECK_EQ(bi.elf_entsize, 64);
	CHECK_EQ(bi.elf_shndx, 2);
	CHECK(bi.elf_shdrs == copy + elf_at + 8 + 12);
	/* module */
	CHECK_EQ(bi.nr_modules, 1);
	CHECK_EQ(bi.modules[0].start, 0x200000);
	CHECK_EQ(bi.modules[0].end, 0x201000);
	CHECK(bi.modules[0].string == (char *)copy + mod_at + 16);
	CHECK_STREQ(bi.modules[0].string, "initrd");

	/* memory map: sorted, empty entry dropped, wrapping one clamped */
	static const struct e820_entry want[] = {
		{ 0x0, 0x9fc00, E820_TYPE_RAM },
		{ 0x9fc00, 0xa0000, E820_TYPE_RESERVED },
		{ 0xf0000, 0x100000, E820_TYPE_RESERVED },
		{ 0x100000, 0x7fe0000, E820_TYPE_RAM },
		{ 0x7fe0000, 0x8000000, E820_TYPE_ACPI },
		{ 0xfffc0000, 0x100000000ull, E820_TYPE_RESERVED },
		{ 0x100000000ull, 0x140000000ull, E820_TYPE_RAM },
		{ 0xfffffffffffff000ull, ~0ull, E820_TYPE_UNUSABLE },
	};
	CHECK_EQ(bi.nr_mem, ARRAY_SIZE(want));
	for (int i = 0; i < bi.nr_mem && i < (int)ARRAY_SIZE(want); i++)
		CHECKF(bi.mem[i].start == want[i].start && bi.mem[i].end == want[i].end &&
		       bi.mem[i].type == want[i].type, "mem[%d] = %llx-%llx type %u", i,
		       bi.mem[i].start, bi.mem[i].end, bi.mem[i].type);
	CHECK_EQ(e820_total(&bi, E820_TYPE_RAM), 0x9fc00 + 0x7ee0000 + 0x40000000ull);
	CHECK_EQ(e820_total(&bi, E820_TYPE_RESERVED), 0x400 + 0x10000 + 0x40000);
	CHECK_EQ(e820_total(&bi, E820_TYPE_ACPI), 0x20000);
	CHECK_EQ(e820_total(&bi, E820_TYPE_NVS), 0);
	CHECK_EQ(e820_total(&bi, E820_TYPE_UNUSABLE), 0xfff);

	/* the same with the buffer larger than total_size */
	CHECK_EQ(parse_n(&m, sizeof(m.buf)), 0);
	CHECK_EQ(bi.total_size, total);

	/* ACPI new before old: still the new one; old alone: version 1 */
	mb_begin(&m);
	new_at = mb_tag(&m, 15, xsdp_v2, sizeof(xsdp_v2));
	mb_tag(&m, 14, rsdp_v1, sizeof(rsdp_v1));
	mb_end(&m);
	CHECK_EQ(parse(&m), 0);
	CHECK(bi.rsdp == copy + new_at + 8);
	CHECK_EQ(bi.rsdp_version, 2);
	mb_begin(&m);
	old_at = mb_tag(&m, 14, rsdp_v1, sizeof(rsdp_v1));
	mb_end(&m);
	CHECK_EQ(parse(&m), 0);
	CHECK(bi.rsdp == copy + old_at + 8);
	CHECK_EQ(bi.rsdp_version, 1);

	/* the minimal list: just the end tag; defaults */
	mb_begin(&m);
	CHECK_EQ(mb_end(&m), 16);
	CHECK_EQ(parse(&m), 0);
	CHECK_STREQ(bi.cmdline, "");
	CHECK_STREQ(bi.loader, "");
	CHECK_EQ(bi.nr_mem, 0);
	CHECK_EQ(bi.nr_tags, 1);
	CHECK(bi.rsdp == NULL && bi.elf_shdrs == NULL && bi.nr_modules == 0);

	/* mmap entries larger than 24 bytes (entry_size 32) are walked by entry_size */
	static const struct mmap_ent two[] = { { 0x1000, 0x1000, 1, 0 }, { 0, 0x1000, 2, 0 } };
	u8 pl[8 + 2 * 32];
	u32 esize = 32;
	memset(pl, 0x77, sizeof(pl));
	memcpy(pl, &esize, 4);
	memcpy(pl + 8, &two[0], 24);
	memcpy(pl + 40, &two[1], 24);
	mb_begin(&m);
	mb_tag(&m, 6, pl, sizeof(pl));
	mb_end(&m);
	CHECK_EQ(parse(&m), 0);
	CHECK_EQ(bi.nr_mem, 2);
	CHECK(bi.mem[0].start == 0 && bi.mem[0].end == 0x1000 && bi.mem[0].type == 2);
	CHECK(bi.mem[1].start == 0x1000 && bi.mem[1].end == 0x2000 && bi.mem[1].type == 1);

	/* more entries than E820_MAX_ENTRIES: the rest are ignored, still sorted */
	struct mmap_ent many[E820_MAX_ENTRIES + 10];
	for (int i = 0; i < (int)ARRAY_SIZE(many); i++)
		many[i] = (struct mmap_ent){ (u64)(ARRAY_SIZE(many) - i) << 12, 0x1000, 1, 0 };
	mb_begin(&m);
	mb_mmap(&m, 24, many, ARRAY_SIZE(many));
	mb_end(&m);
	CHECK_EQ(parse(&m), 0);
	CHECK_EQ(bi.nr_mem, E820_MAX_ENTRIES);
	for (int i = 1; i < bi.nr_mem; i++)
		CHECK(bi.mem[i - 1].start <= bi.mem[i].start);

	/* ELF sections claiming more headers than the tag holds: no pointer */
	u32 bigelf[3] = { 100, 64, 1 };
	mb_begin(&m);
	mb_tag(&m, 9, bigelf, sizeof(bigelf));
	mb_end(&m);
	CHECK_EQ(parse(&m), 0);
	CHECK_EQ(bi.elf_num, 100);
	CHECK(bi.elf_shdrs == NULL);
	/* ... nor when an earlier, good, ELF tag set one (found by the fuzzer) */
	mb_begin(&m);
	mb_tag(&m, 9, elf, sizeof(elf));
	mb_tag(&m, 9, bigelf, sizeof(bigelf));
	mb_end(&m);
	CHECK_EQ(parse(&m), 0);
	CHECK_EQ(bi.elf_num, 100);
	CHECK(bi.elf_shdrs == NULL);

	/* a later command line tag replaces an earlier one */
	mb_begin(&m);
	mb_string(&m, 1, "first");
	mb_string(&m, 1, "second");
	mb_end(&m);
	CHECK_EQ(parse(&m), 0);
	CHECK_STREQ(bi.cmdline, "second");
}

static void test_garbled(void)
{
	struct mbi m;

	/* no pointer, too small a buffer */
	CHECK_EQ(multiboot2_parse(NULL, 4096, &bi, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "no information pointer");
	CHECK_STREQ(bi.cmdline, "");
	mb_begin(&m);
	mb_end(&m);
	CHECK_EQ(parse_n(&m, 15), -EINVAL);
	CHECK_CONTAINS(err, "buffer too small");
	CHECK_EQ(parse_n(&m, 0), -EINVAL);
	CHECK_CONTAINS(err, "buffer too small");

	/* total_size too small, larger than the buffer */
	mb_begin(&m);
	mb_end(&m);
	put32(&m, 0, 8);
	m.len = 16;
	CHECK_GARBLED(&m, "total_size too small");
	put32(&m, 0, 0);
	CHECK_GARBLED(&m, "total_size too small");
	put32(&m, 0, 24);
	CHECK_GARBLED(&m, "total_size larger than the buffer");
	put32(&m, 0, 0xffffffff);
	CHECK_GARBLED(&m, "total_size larger than the buffer");

	/* tag size below 8 (0 would loop forever without the check) */
	mb_begin(&m);
	mb_tag_sized(&m, 1, 4, NULL, 0);
	mb_end(&m);
	CHECK_GARBLED(&m, "tag size below 8");
	CHECK_CONTAINS(err, "at offset 8, value 4");
	mb_begin(&m);
	mb_tag_sized(&m, 21, 0, NULL, 0);
	mb_end(&m);
	CHECK_GARBLED(&m, "tag size below 8");

	/* a tag running past total_size, the one tests/ktest/oops.c panics on */
	mb_begin(&m);
	mb_tag_sized(&m, 1, 40, "x", 2);
	mb_end(&m);
	CHECK_GARBLED(&m, "tag size overruns the information");
	mb_begin(&m);
	mb_string(&m, 2, "GRUB");
	mb_tag_sized(&m, 21, 0xfffffff0, NULL, 0);
	mb_end(&m);
	CHECK_GARBLED(&m, "tag size overruns the information");
	CHECK_CONTAINS(err, "at offset 24");

	/* missing end tag: list stops exactly at total_size, or mid-header */
	mb_begin(&m);
	mb_string(&m, 1, "console=ttyS0");
	mb_close(&m);
	CHECK_GARBLED(&m, "tag list ends without an end tag");
	mb_begin(&m);
	mb_string(&m, 1, "abc");
	m.len += 4;             /* half a tag header */
	mb_close(&m);
	CHECK_GARBLED(&m, "tag list ends without an end tag");
	mb_begin(&m);
	mb_tag(&m, 21, NULL, 0);
	mb_close(&m);
	put32(&m, 0, 16);       /* ... total_size 16 with a non-end tag */
	CHECK_GARBLED(&m, "tag list ends without an end tag");

	/* end tag with a size other than 8 */
	mb_begin(&m);
	mb_tag_sized(&m, 0, 16, "\0\0\0\0\0\0\0", 8);
	mb_close(&m);
	CHECK_GARBLED(&m, "end tag with size other than 8");

	/* unterminated strings */
	mb_begin(&m);
	mb_tag(&m, 1, "no-nul", 6);
	mb_end(&m);
	CHECK_GARBLED(&m, "command line not terminated");
	mb_begin(&m);
	mb_tag(&m, 1, NULL, 0);
	mb_end(&m);
	CHECK_GARBLED(&m, "command line not terminated");
	mb_begin(&m);
	mb_tag(&m, 2, "GRUB", 4);
	mb_end(&m);
	CHECK_GARBLED(&m, "boot loader name not terminated");
	/* the NUL must be inside the tag, not in its padding */
	mb_begin(&m);
	mb_tag_sized(&m, 1, 8 + 5, "12345\0\0", 8);
	mb_end(&m);
	CHECK_GARBLED(&m, "command line not terminated");

	/* module: too short, name not terminated */
	mb_begin(&m);
	mb_tag(&m, 3, "\0\0\0\0\0\0\0\0", 8);
	mb_end(&m);
	CHECK_GARBLED(&m, "malformed module tag");
	mb_begin(&m);
	mb_tag(&m, 3, "\0\0\0\0\0\0\0\0abc", 11);
	mb_end(&m);
	CHECK_GARBLED(&m, "malformed module tag");

	/* memory map: too short, entry_size < 24, not a multiple of 8 */
	static const struct mmap_ent one = { 0, 0x1000, 1, 0 };
	mb_begin(&m);
	mb_tag(&m, 6, "\x18\0\0\0", 4);
	mb_end(&m);
	CHECK_GARBLED(&m, "memory map tag too short");
	mb_begin(&m);
	mb_mmap(&m, 16, &one, 1);
	mb_end(&m);
	CHECK_GARBLED(&m, "memory map entry_size invalid");
	CHECK_CONTAINS(err, "value 16");
	mb_begin(&m);
	mb_mmap(&m, 0, &one, 0);
	mb_end(&m);
	CHECK_GARBLED(&m, "memory map entry_size invalid");
	mb_begin(&m);
	mb_mmap(&m, 28, &one, 1);
	mb_end(&m);
	CHECK_GARBLED(&m, "memory map entry_size invalid");

	/* ACPI: RSDP under 20 bytes, XSDP under 36 */
	mb_begin(&m);
	mb_tag(&m, 14, rsdp_v1, 19);
	mb_end(&m);
	CHECK_GARBLED(&m, "ACPI RSDP tag too short");
	mb_begin(&m);
	mb_tag(&m, 15, xsdp_v2, 20);
	mb_end(&m);
	CHECK_GARBLED(&m, "ACPI RSDP tag too short");
	mb_begin(&m);
	mb_tag(&m, 15, xsdp_v2, 35);
	mb_end(&m);
	CHECK_GARBLED(&m, "ACPI RSDP tag too short");

	/* ELF sections tag without its three words */
	mb_begin(&m);
	mb_tag(&m, 9, "\0\0\0\0\0\0\0\0", 8);
	mb_end(&m);
	CHECK_GARBLED(&m, "ELF sections tag too short");

	/* err: truncated to errlen, terminated; NULL with errlen 0 is fine */
	mb_begin(&m);
	mb_tag(&m, 1, "x", 1);
	mb_end(&m);
	char small[12];
	memset(small, 'z', sizeof(small));
	CHECK_EQ(multiboot2_parse(m.buf, m.len, &bi, small, 10), -EINVAL);
	CHECK_STREQ(small, "multiboot");
	CHECK(small[10] == 'z');
	CHECK_EQ(multiboot2_parse(m.buf, m.len, &bi, NULL, 0), -EINVAL);
}

/* A tag of nearly 4 GiB: rounding its size up to 8 used to wrap the 32-bit
 * offset back to 0, where the header read as a tag of size 8: a loop forever
 * (caught by the alarm).  Needs 4 GiB of address space, not of memory. */
static void test_huge_tag(void)
{
	size_t size = 0x100000000ull;
	u8 *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		printf("test_huge_tag: no 4 GiB mapping, not run\n");
		return;
	}
	u32 hdr[4] = { 0xffffffff, 8, 21, 0xfffffff7 };     /* total, reserved, tag */
	memcpy(p, hdr, sizeof(hdr));
	alarm(20);
	CHECK_EQ(multiboot2_parse(p, size, &bi, err, sizeof(err)), -EINVAL);
	alarm(0);
	CHECK_CONTAINS(err, "tag list ends without an end tag");
	munmap(p, size);
}

static void test_names(void)
{
	CHECK_STREQ(e820_type_name(E820_TYPE_RAM), "usable");
	CHECK_STREQ(e820_type_name(E820_TYPE_RESERVED), "reserved");
	CHECK_STREQ(e820_type_name(E820_TYPE_ACPI), "ACPI data");
	CHECK_STREQ(e820_type_name(E820_TYPE_NVS), "ACPI NVS");
	CHECK_STREQ(e820_type_name(E820_TYPE_UNUSABLE), "bad RAM");
	CHECK_STREQ(e820_type_name(0), "unknown");
	CHECK_STREQ(e820_type_name(6), "unknown");
	CHECK_STREQ(e820_type_name(0xffffffff), "unknown");
}

int main(void)
{
	test_valid();
	test_garbled();
	test_huge_tag();
	test_names();
	free(copy);
	return ht_finish();
}
