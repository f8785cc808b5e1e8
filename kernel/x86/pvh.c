/*
 * PVH's boot information into struct bootinfo, the same as multiboot2
 * gives: boot/pvh.S copied struct hvm_start_info into boot_mbi_copy; the
 * memory map, the command line, the module list and the RSDP it points to
 * are read where the loader left them (physical addresses, through the boot
 * mapping) and what must outlive boot memory is copied. Every address and
 * length is checked against the readable range first: a garbled start_info
 * gives a reason, never a wild read.
 */
#include <pagoda/bootinfo.h>
#include <pagoda/errno.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <asm/pvh.h>

static int garbled(char *err, size_t errlen, const char *why, u64 val)
{
	snprintf(err, errlen, "PVH start_info garbled: %s (value %#llx)", why, val);
	return -EINVAL;
}

/* mem + pa if [pa, pa + len) is readable, else NULL. */
static const u8 *readable(const void *mem, u64 mem_size, u64 pa, u64 len)
{
	if (!pa || pa > mem_size || len > mem_size - pa)
		return NULL;
	return (const u8 *)mem + pa;
}

/* Copy the string at pa into buf[size]; false if it is unreadable or longer. */
static bool copy_cmdline(const void *mem, u64 mem_size, u64 pa, char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		const u8 *c = readable(mem, mem_size, pa + i, 1);
		if (!c)
			return false;
		buf[i] = *c;
		if (!*c)
			return true;
	}
	return false;
}

int pvh_parse(const struct hvm_start_info *si, const void *mem, u64 mem_size, struct bootinfo *bi,
	      struct pvh_copy *copy, char *err, size_t errlen)
{
	memset(bi, 0, sizeof(*bi));
	bi->protocol = "pvh";
	bi->cmdline = "";
	bi->loader = "PVH";

	if (si->magic != XEN_HVM_START_MAGIC)
		return garbled(err, errlen, "wrong magic", si->magic);
	bi->total_size = PVH_START_INFO_SIZE;

	if (si->cmdline_paddr) {
		if (!copy_cmdline(mem, mem_size, si->cmdline_paddr, copy->cmdline, sizeof(copy->cmdline)))
			return garbled(err, errlen, "command line unreadable or longer than PVH_CMDLINE_MAX",
				    si->cmdline_paddr);
		bi->cmdline = copy->cmdline;
	}

	/* Version 0 has no memory map: we would have to ask fw_cfg for E820. */
	if (si->version < 1 || !si->memmap_entries)
		return garbled(err, errlen, "no memory map (version 0 start_info)", si->version);
	u64 mlen = (u64)si->memmap_entries * sizeof(struct hvm_memmap_table_entry);
	const u8 *mm = readable(mem, mem_size, si->memmap_paddr, mlen);
	if (!mm || si->memmap_entries > E820_MAX_ENTRIES)
		return garbled(err, errlen, "memory map unreadable or too long", si->memmap_entries);
	for (u32 i = 0; i < si->memmap_entries; i++) {
		struct hvm_memmap_table_entry e;
		memcpy(&e, mm + i * sizeof(e), sizeof(e));
		bootinfo_add_mem(bi, e.addr, e.size, e.type);
	}

	if (si->nr_modules) {
		u64 len = (u64)si->nr_modules * sizeof(struct hvm_modlist_entry);
		const u8 *ml = readable(mem, mem_size, si->modlist_paddr, len);
		if (!ml)
			return garbled(err, errlen, "module list unreadable", si->modlist_paddr);
		for (u32 i = 0; i < si->nr_modules && bi->nr_modules < MAX_MODULES; i++) {
			struct hvm_modlist_entry m;
			memcpy(&m, ml + i * sizeof(m), sizeof(m));
			if (m.paddr + m.size < m.paddr)
				return garbled(err, errlen, "module wraps around", m.paddr);
			bi->modules[bi->nr_modules++] = (struct boot_module){ m.paddr, m.paddr + m.size, "" };
		}
	}

	if (si->rsdp_paddr) {
		/* 20 bytes of RSDP, 36 if its revision says ACPI 2.0+ (XSDP). */
		const u8 *r = readable(mem, mem_size, si->rsdp_paddr, 20);
		if (!r || memcmp(r, "RSD PTR ", 8))
			return garbled(err, errlen, "no RSDP at rsdp_paddr", si->rsdp_paddr);
		bool v2 = r[15] >= 2;
		if (v2 && !readable(mem, mem_size, si->rsdp_paddr, 36))
			return garbled(err, errlen, "ACPI 2.0 RSDP unreadable", si->rsdp_paddr);
		memcpy(copy->rsdp, r, v2 ? 36 : 20);
		bi->rsdp = copy->rsdp;
		bi->rsdp_version = v2 ? 2 : 1;
	}
	return 0;
}
