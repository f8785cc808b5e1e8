/*
 * A minimal ACPI reader: the RSDP (handed over by GRUB in the multiboot2
 * information) points to the RSDT (32-bit pointers) or XSDT (64-bit), whose
 * entries point to tables such as the FADT ("FACP"). The FADT gives the PM1a
 * control port and the DSDT, whose \_S5 package holds the value that means
 * "soft off". Tables live in firmware memory outside the direct map, so each
 * is read through early_memremap.
 */
#include <pagoda/acpi.h>
#include <pagoda/actbl.h>
#include <pagoda/bootinfo.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <asm/fixmap.h>

struct acpi_info acpi;

static bool checksum_ok(const void *p, size_t n)
{
	u8 sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += ((const u8 *)p)[i];
	return sum == 0;
}

static u32 table_length(phys_addr_t pa)
{
	const struct acpi_table_header *h = early_memremap(pa, sizeof(*h));
	u32 len = h ? h->length : 0;
	if (h)
		early_memunmap(h);
	return len;
}

phys_addr_t acpi_find_table(const char sig[4])
{
	/* A revision-0 RSDP (20 bytes) has no XSDT address: do not read past it. */
	const struct acpi_table_rsdp *rsdp = bootinfo.rsdp;
	if (!rsdp)
		return 0;
	bool x = bootinfo.rsdp_version >= 2 && rsdp->revision >= 2;
	phys_addr_t root = x ? rsdp->xsdt_physical_address : rsdp->rsdt_physical_address;
	u32 len = table_length(root);
	if (len < sizeof(struct acpi_table_header) || len > 4096)
		return 0;
	const void *t = early_memremap(root, len);
	if (!t)
		return 0;
	const struct acpi_table_xsdt *xsdt = t;
	const struct acpi_table_rsdt *rsdt = t;
	phys_addr_t found = 0;
	u32 n = (len - sizeof(struct acpi_table_header)) / (x ? sizeof(u64) : sizeof(u32));
	phys_addr_t entries[64];
	if (n > 64)
		n = 64;
	for (u32 i = 0; i < n; i++)
		entries[i] = x ? xsdt->table_offset_entry[i] : rsdt->table_offset_entry[i];
	early_memunmap(t);
	for (u32 i = 0; i < n && !found; i++) {
		const struct acpi_table_header *h = early_memremap(entries[i], sizeof(*h));
		if (h && !memcmp(h->signature, sig, 4))
			found = entries[i];
		if (h)
			early_memunmap(h);
	}
	return found;
}

/* Look for the AML "Name(_S5_, Package(){ a, ... })" and return a. */
static bool find_s5(phys_addr_t dsdt, u16 *typ)
{
	u32 len = table_length(dsdt);
	const u32 window = EARLY_MEMREMAP_MAX;
	bool ok = false;
	/* The DSDT can exceed the early windows: scan it in overlapping pieces. */
	for (u32 off = 0; off < len && !ok; off += window - 16) {
		u32 n = len - off < window ? len - off : window;
		const u8 *p = early_memremap(dsdt + off, n);
		if (!p)
			return false;
		for (u32 i = 0; i + 8 < n; i++) {
			if (memcmp(p + i, "_S5_", 4) || p[i + 4] != 0x12)   /* PackageOp */
				continue;
			const u8 *q = p + i + 5;
			q += ((q[0] >> 6) & 3) + 1;     /* PkgLength */
			q++;                            /* NumElements */
			if (*q == 0x0a)                 /* BytePrefix */
				q++;
			else if (*q != 0 && *q != 1)    /* ZeroOp / OneOp */
				continue;
			*typ = *q;
			ok = true;
			break;
		}
		early_memunmap(p);
	}
	return ok;
}

void acpi_init(void)
{
	if (!bootinfo.rsdp) {
		pr_warn("acpi: the boot loader passed no RSDP; power-off will halt instead\n");
		return;
	}
	const struct acpi_table_rsdp *rsdp = bootinfo.rsdp;
	memcpy(acpi.oem_id, rsdp->oem_id, sizeof(rsdp->oem_id));
	acpi.revision = rsdp->revision;
	if (!checksum_ok(rsdp, ACPI_RSDP_REV0_SIZE))
		pr_warn("acpi: RSDP checksum is wrong; reading it anyway\n");
	phys_addr_t fadt = acpi_find_table("FACP");
	if (!fadt) {
		pr_warn("acpi: no FADT found\n");
		return;
	}
	/* The 32-bit DSDT address: enough for QEMU's and most firmware. */
	const struct acpi_table_fadt *f = early_memremap(fadt, sizeof(*f));
	if (!f)
		return;
	acpi.pm1a_cnt = f->pm1a_control_block;
	u32 dsdt32 = f->dsdt;
	early_memunmap(f);
	acpi.found = true;
	acpi.s5_from_dsdt = find_s5(dsdt32, &acpi.slp_typ_s5);
	pr_info("acpi: %s rev %d, FADT at %llx, PM1a_CNT port %#x, S5 sleep type %u%s\n",
		acpi.oem_id, acpi.revision, (unsigned long long)fadt, acpi.pm1a_cnt, acpi.slp_typ_s5,
		acpi.s5_from_dsdt ? "" : " (assumed)");
}
