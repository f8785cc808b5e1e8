/*
 * Parsing the multiboot2 boot information: a header (total_size, reserved)
 * followed by tags, each {u32 type, u32 size, payload}, 8-byte aligned, ended
 * by a tag of type 0 and size 8. Everything is bounds-checked: a garbled list
 * must produce a clear reason, never a wild read.
 */
#include <pagoda/bootinfo.h>
#include <pagoda/errno.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>

enum {
	TAG_END = 0,
	TAG_CMDLINE = 1,
	TAG_LOADER = 2,
	TAG_MODULE = 3,
	TAG_BASIC_MEMINFO = 4,
	TAG_BOOTDEV = 5,
	TAG_MMAP = 6,
	TAG_ELF_SECTIONS = 9,
	TAG_ACPI_OLD = 14,
	TAG_ACPI_NEW = 15,
};

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_mmap_entry {
	u64 addr;
	u64 len;
	u32 type;
	u32 reserved;
};

static u32 rd32(const u8 *p)
{
	u32 v;
	memcpy(&v, p, 4);
	return v;
}

static int fail(char *err, size_t errlen, const char *why, u32 off, u32 val)
{
	snprintf(err, errlen, "multiboot2 information garbled: %s (at offset %u, value %u)", why, off, val);
	return -EINVAL;
}

static bool memchr_nul(const u8 *p, u32 len)
{
	for (u32 i = 0; i < len; i++)
		if (!p[i])
			return true;
	return false;
}

/* A string payload must be NUL-terminated inside its tag. */
static const char *tag_string(const u8 *p, u32 len)
{
	return len && memchr_nul(p, len) ? (const char *)p : NULL;
}

void bootinfo_add_mem(struct bootinfo *bi, u64 start, u64 len, u32 type)
{
	if (!len || bi->nr_mem >= E820_MAX_ENTRIES)
		return;
	if (start + len < start)
		len = ~0ULL - start;            /* clamp a wrapping entry */
	int i = bi->nr_mem++;
	while (i > 0 && bi->mem[i - 1].start > start) {   /* keep sorted */
		bi->mem[i] = bi->mem[i - 1];
		i--;
	}
	bi->mem[i] = (struct e820_entry){ start, start + len, type };
}

int multiboot2_parse(const void *mbi, size_t max_size, struct bootinfo *bi, char *err, size_t errlen)
{
	const u8 *base = mbi;
	memset(bi, 0, sizeof(*bi));
	bi->cmdline = "";
	bi->loader = "";
	bi->protocol = "multiboot2";

	if (!mbi)
		return fail(err, errlen, "no information pointer", 0, 0);
	if (max_size < 16)
		return fail(err, errlen, "buffer too small", 0, (u32)max_size);
	u32 total = rd32(base);
	if (total < 16)
		return fail(err, errlen, "total_size too small", 0, total);
	if (total > max_size)
		return fail(err, errlen, "total_size larger than the buffer", 0, total);
	bi->total_size = total;

	/* 64 bits: rounding a tag of nearly 4 GiB up to 8 must not wrap off to 0. */
	u64 off = 8;
	for (;;) {
		if (off + 8 > total)
			return fail(err, errlen, "tag list ends without an end tag", off, total);
		const u8 *t = base + off;
		u32 type = rd32(t), size = rd32(t + 4);
		if (size < 8)
			return fail(err, errlen, "tag size below 8", off, size);
		if (size > total - off)
			return fail(err, errlen, "tag size overruns the information", off, size);
		bi->nr_tags++;
		const u8 *pl = t + 8;
		u32 plen = size - 8;

		switch (type) {
		case TAG_END:
			if (size != 8)
				return fail(err, errlen, "end tag with size other than 8", off, size);
			return 0;
		/* Check before storing: cmdline and loader stay strings ("") on failure. */
		case TAG_CMDLINE:
			if (!tag_string(pl, plen))
				return fail(err, errlen, "command line not terminated", off, size);
			bi->cmdline = (const char *)pl;
			break;
		case TAG_LOADER:
			if (!tag_string(pl, plen))
				return fail(err, errlen, "boot loader name not terminated", off, size);
			bi->loader = (const char *)pl;
			break;
		case TAG_MODULE:
			if (plen < 9 || !tag_string(pl + 8, plen - 8))
				return fail(err, errlen, "malformed module tag", off, size);
			if (bi->nr_modules < MAX_MODULES)
				bi->modules[bi->nr_modules++] = (struct boot_module){
					rd32(pl), rd32(pl + 4), (const char *)pl + 8 };
			break;
		case TAG_MMAP: {
			if (plen < 8)
				return fail(err, errlen, "memory map tag too short", off, size);
			u32 esize = rd32(pl);
			if (esize < sizeof(struct mb2_mmap_entry) || esize % 8)
				return fail(err, errlen, "memory map entry_size invalid", off, esize);
			for (u32 e = 8; e + esize <= plen; e += esize) {
				struct mb2_mmap_entry me;
				memcpy(&me, pl + e, sizeof(me));
				bootinfo_add_mem(bi, me.addr, me.len, me.type);
			}
			break;
		}
		case TAG_ELF_SECTIONS:
			if (plen < 12)
				return fail(err, errlen, "ELF sections tag too short", off, size);
			bi->elf_num = rd32(pl);
			bi->elf_entsize = rd32(pl + 4);
			bi->elf_shndx = rd32(pl + 8);
			/* (Re)set: a second tag must not leave the first one's headers
			 * paired with its own elf_num. */
			bi->elf_shdrs = NULL;
			if (bi->elf_entsize && (u64)bi->elf_num * bi->elf_entsize <= plen - 12)
				bi->elf_shdrs = pl + 12;
			break;
		case TAG_ACPI_OLD:
		case TAG_ACPI_NEW:
			/* RSDP: 20 bytes; the 2.0 XSDP: 36 (acpi.c reads its XSDT at 24). */
			if (plen < (type == TAG_ACPI_NEW ? 36u : 20u))
				return fail(err, errlen, "ACPI RSDP tag too short", off, size);
			/* Prefer the ACPI 2.0 XSDP when the loader gives both. */
			if (type == TAG_ACPI_NEW || !bi->rsdp) {
				bi->rsdp = pl;
				bi->rsdp_version = type == TAG_ACPI_NEW ? 2 : 1;
			}
			break;
		default:
			break;          /* tags we do not use */
		}
		off += (size + 7ULL) & ~7ULL;
	}
}

const char *e820_type_name(u32 type)
{
	switch (type) {
	case E820_TYPE_RAM: return "usable";
	case E820_TYPE_RESERVED: return "reserved";
	case E820_TYPE_ACPI: return "ACPI data";
	case E820_TYPE_NVS: return "ACPI NVS";
	case E820_TYPE_UNUSABLE: return "bad RAM";
	default: return "unknown";
	}
}

u64 e820_total(const struct bootinfo *bi, u32 type)
{
	u64 sum = 0;
	for (int i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].type == type)
			sum += bi->mem[i].end - bi->mem[i].start;
	return sum;
}
