/*
 * kernel/x86/pvh.c on the host: pvh_parse on a start_info and a fake
 * "physical memory" (a heap buffer of exactly the readable size, so ASan
 * sees any read past it), valid and garbled in every way the parser checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosttest.h"

#define vsnprintf kernel_vsnprintf
#define snprintf kernel_snprintf
#include "../../lib/vsprintf.c"
#include "../../kernel/x86/multiboot2.c"  /* bootinfo_add_mem */
#include "../../kernel/x86/pvh.c"
#undef vsnprintf
#undef snprintf

#define MEM_SIZE 0x10000
enum { CMDLINE_AT = 0x2000, MEMMAP_AT = 0x3000, MODLIST_AT = 0x4000, RSDP_AT = 0xf000 };

static u8 *mem;
static struct hvm_start_info si;
static struct bootinfo bi;
static struct pvh_copy copy;
static char err[160];

static const struct hvm_memmap_table_entry map[] = {
	{ 0x100000, 0x7ee0000, E820_TYPE_RAM, 0 },
	{ 0x0, 0x9fc00, E820_TYPE_RAM, 0 },
	{ 0x9fc00, 0x400, E820_TYPE_RESERVED, 0 },
	{ 0xf0000, 0x10000, E820_TYPE_RESERVED, 0 },
	{ 0x7fe0000, 0x20000, E820_TYPE_ACPI, 0 },
};

/* A valid start_info (version 1) and the memory it points into. */
static void setup(void)
{
	memset(mem, 0, MEM_SIZE);
	strcpy((char *)mem + CMDLINE_AT, "ktest=boot.* loglevel=7");
	memcpy(mem + MEMMAP_AT, map, sizeof(map));
	struct hvm_modlist_entry mod = { 0x7f00000, 0x1800, 0, 0 };
	memcpy(mem + MODLIST_AT, &mod, sizeof(mod));
	/* signature, checksum, OEM id, revision 0 (ACPI 1.0), RSDT address */
	memcpy(mem + RSDP_AT, "RSD PTR \x11OEMID\x00\x00\x00\x10\x00\x00", 20);
	si = (struct hvm_start_info){
		.magic = XEN_HVM_START_MAGIC, .version = 1,
		.nr_modules = 1, .modlist_paddr = MODLIST_AT,
		.cmdline_paddr = CMDLINE_AT, .rsdp_paddr = RSDP_AT,
		.memmap_paddr = MEMMAP_AT, .memmap_entries = ARRAY_SIZE(map),
	};
}

static int parse(void)
{
	memset(err, 0, sizeof(err));
	return pvh_parse(&si, mem, MEM_SIZE, &bi, &copy, err, sizeof(err));
}

#define CHECK_GARBLED(why) do { \
	CHECK_EQ(parse(), -EINVAL); \
	CHECK_CONTAINS(err, "PVH start_info garbled: "); \
	CHECK_CONTAINS(err, why); \
	setup(); \
} while (0)

static void test_valid(void)
{
	setup();
	CHECK_EQ(parse(), 0);
	CHECK_STREQ(err, "");
	CHECK_STREQ(bi.protocol, "pvh");
	CHECK_STREQ(bi.loader, "PVH");
	/* The command line and RSDP are copies: the firmware's memory is reused. */
	CHECK_STREQ(bi.cmdline, "ktest=boot.* loglevel=7");
	CHECK(bi.cmdline == copy.cmdline);
	CHECK(bi.rsdp == copy.rsdp);
	CHECK_EQ(bi.rsdp_version, 1);
	CHECK_EQ(memcmp(bi.rsdp, "RSD PTR ", 8), 0);
	/* The memory map, sorted as multiboot2_parse sorts it. */
	CHECK_EQ(bi.nr_mem, 5);
	for (int i = 1; i < bi.nr_mem; i++)
		CHECK(bi.mem[i - 1].start < bi.mem[i].start);
	CHECK_EQ(bi.mem[0].end, 0x9fc00);
	CHECK_EQ(bi.mem[2].type, E820_TYPE_RESERVED);
	CHECK_EQ(bi.mem[3].start, 0x100000);
	CHECK_EQ(bi.mem[3].end, 0x7fe0000);
	CHECK_EQ(bi.mem[4].type, E820_TYPE_ACPI);
	CHECK_EQ(bi.nr_modules, 1);
	CHECK_EQ(bi.modules[0].start, 0x7f00000);
	CHECK_EQ(bi.modules[0].end, 0x7f01800);
	CHECK_STREQ(bi.modules[0].string, "");

	/* ACPI 2.0: 36 bytes copied. */
	mem[RSDP_AT + 15] = 2;
	memset(mem + RSDP_AT + 20, 0xab, 16);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.rsdp_version, 2);
	CHECK_EQ(copy.rsdp[35], 0xab);

	/* Optional parts absent. */
	setup();
	si.cmdline_paddr = 0;
	si.rsdp_paddr = 0;
	si.nr_modules = 0;
	CHECK_EQ(parse(), 0);
	CHECK_STREQ(bi.cmdline, "");
	CHECK(bi.rsdp == NULL);
	CHECK_EQ(bi.nr_modules, 0);
}

static void test_garbled(void)
{
	setup();
	si.magic = 0x2badb002;
	CHECK_GARBLED("wrong magic");
	si.version = 0;
	CHECK_GARBLED("no memory map");
	si.memmap_entries = 0;
	CHECK_GARBLED("no memory map");
	si.memmap_paddr = MEM_SIZE - 8;
	CHECK_GARBLED("memory map unreadable");
	si.memmap_entries = 0x10000001;         /* length overflows 32 bits */
	CHECK_GARBLED("memory map unreadable");
	si.memmap_paddr = ~0ull - 8;            /* pa + len wraps */
	CHECK_GARBLED("memory map unreadable");
	si.memmap_entries = E820_MAX_ENTRIES + 1;
	CHECK_GARBLED("too long");
	/* A command line running off the end of memory, and one too long. */
	memset(mem + MEM_SIZE - 16, 'x', 16);
	si.cmdline_paddr = MEM_SIZE - 16;
	CHECK_GARBLED("command line unreadable");
	memset(mem + 0x5000, 'y', PVH_CMDLINE_MAX + 10);
	si.cmdline_paddr = 0x5000;
	CHECK_GARBLED("longer than PVH_CMDLINE_MAX");
	si.cmdline_paddr = MEM_SIZE;
	CHECK_GARBLED("command line unreadable");
	si.modlist_paddr = MEM_SIZE - 16;
	CHECK_GARBLED("module list unreadable");
	si.nr_modules = 0xffffffff;
	CHECK_GARBLED("module list unreadable");
	struct hvm_modlist_entry wrap = { ~0ull - 10, 100, 0, 0 };
	memcpy(mem + MODLIST_AT, &wrap, sizeof(wrap));
	CHECK_GARBLED("module wraps around");
	si.rsdp_paddr = 0x100;
	CHECK_GARBLED("no RSDP at rsdp_paddr");
	si.rsdp_paddr = MEM_SIZE - 10;
	CHECK_GARBLED("no RSDP at rsdp_paddr");
	memcpy(mem + MEM_SIZE - 20, "RSD PTR \x11OEMID\x00\x02\x00\x10\x00\x00", 20);
	si.rsdp_paddr = MEM_SIZE - 20;          /* says 2.0, but 36 bytes do not fit */
	CHECK_GARBLED("ACPI 2.0 RSDP unreadable");
	/* After every failure: still a usable (empty) bootinfo. */
	si.magic = 0;
	parse();
	CHECK_STREQ(bi.cmdline, "");
	CHECK_STREQ(bi.protocol, "pvh");
}

int main(void)
{
	mem = malloc(MEM_SIZE);
	test_valid();
	test_garbled();
	free(mem);
	return ht_finish();
}
