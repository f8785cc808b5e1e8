/*
 * ECAM (Enhanced Configuration Access Mechanism, PCIe "MMCONFIG"): every
 * function's 4 KiB of configuration space is memory at
 *
 *     base + (bus - start_bus) << 20 | device << 15 | function << 12 | offset
 *
 * where the ACPI MCFG table gives base and the bus range. Unlike
 * mechanism #1's two ports it needs no lock around an address/data pair,
 * and it reaches the extended space (offsets 0x100-0xfff) where PCIe keeps
 * its extended capabilities (AER, ...). q35 has it; pc does not.
 *
 * The window can be 256 MiB (256 buses); only the 1 MiB of each bus the
 * scan actually visits is ioremapped, when it is first touched.
 */
#include <pagoda/acpi.h>
#include <pagoda/cmdline.h>
#include <pagoda/io.h>
#include <pagoda/pci.h>
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <asm/fixmap.h>

#define MCFG_HEADER     44      /* SDT header (36) + 8 reserved bytes */
#define MCFG_ENTRY      16      /* u64 base, u16 segment, u8 start bus, u8 end bus, u32 reserved */
#define ECAM_BUS_SIZE   (1u << 20)

static struct {
	bool on;
	phys_addr_t base;
	u8 start_bus, end_bus;
	void *bus_map[256];             /* ioremapped 1 MiB per bus, NULL until used */
	bool bus_failed[256];
} ecam;

static bool nommconf;

CMDLINE_FLAG(pci_nommconf, nommconf,
	       "PCI configuration through mechanism #1 (ports 0xcf8/0xcfc) even where ACPI offers ECAM");

bool pci_ecam_init(void)
{
	phys_addr_t mcfg = nommconf ? 0 : acpi_find_table("MCFG");
	if (!mcfg)
		return false;
	const u8 *h = early_memremap(mcfg, 8);
	if (!h)
		return false;
	u32 len;
	memcpy(&len, h + 4, 4);
	early_memunmap(h);
	if (len < MCFG_HEADER + MCFG_ENTRY || len > 4096) {
		pr_warn("pci: MCFG at %#llx has a bad length %u; using mechanism #1\n",
			(unsigned long long)mcfg, len);
		return false;
	}
	const u8 *t = early_memremap(mcfg, len);
	if (!t)
		return false;
	/* Pagoda knows one PCI segment (0): take its entry. */
	for (u32 off = MCFG_HEADER; off + MCFG_ENTRY <= len; off += MCFG_ENTRY) {
		u64 base;
		u16 segment;
		memcpy(&base, t + off, 8);
		memcpy(&segment, t + off + 8, 2);
		if (segment != 0 || !base)
			continue;
		if ((u64)(phys_addr_t)base != base) {
			pr_warn("pci: ECAM at %#llx is beyond this build's physical addresses; mechanism #1\n",
				(unsigned long long)base);
			continue;
		}
		ecam.base = (phys_addr_t)base;
		ecam.start_bus = t[off + 10];
		ecam.end_bus = t[off + 11];
		ecam.on = ecam.end_bus >= ecam.start_bus;
		break;
	}
	early_memunmap(t);
	if (ecam.on)
		pr_info("pci: ECAM at %#llx for buses %02x-%02x (ACPI MCFG)\n", (unsigned long long)ecam.base,
			ecam.start_bus, ecam.end_bus);
	return ecam.on;
}

/* The bus's 1 MiB window, mapped on first use; NULL if ECAM cannot reach it. */
static volatile u8 *bus_window(u8 bus)
{
	if (!ecam.on || bus < ecam.start_bus || bus > ecam.end_bus || ecam.bus_failed[bus])
		return NULL;
	if (!ecam.bus_map[bus]) {
		phys_addr_t pa = ecam.base + ((phys_addr_t)(bus - ecam.start_bus) << 20);
		ecam.bus_map[bus] = ioremap(pa, ECAM_BUS_SIZE);
		if (!ecam.bus_map[bus]) {
			pr_warn("pci: cannot map ECAM for bus %02x at %#llx; mechanism #1 there\n", bus,
				(unsigned long long)pa);
			ecam.bus_failed[bus] = true;
			return NULL;
		}
	}
	return ecam.bus_map[bus];
}

bool pci_ecam_covers(u8 bus)
{
	return bus_window(bus) != NULL;
}

static volatile u8 *cfg(u8 bus, u8 dev, u8 fn, u16 off)
{
	return bus_window(bus) + ((u32)dev << 15 | (u32)fn << 12 | (off & 0xffc));
}

u32 pci_ecam_read32(u8 bus, u8 dev, u8 fn, u16 off)
{
	if (!pci_ecam_covers(bus) || off >= PCI_CFG_SPACE_EXP_SIZE)
		return ~0u;
	return readl(cfg(bus, dev, fn, off));
}

void pci_ecam_write32(u8 bus, u8 dev, u8 fn, u16 off, u32 val)
{
	if (pci_ecam_covers(bus) && off < PCI_CFG_SPACE_EXP_SIZE)
		writel(val, cfg(bus, dev, fn, off));
}

const char *pci_config_mechanism(char *buf, size_t size)
{
	if (ecam.on)
		snprintf(buf, size, "ECAM at %#llx, buses %02x-%02x (ACPI MCFG)", (unsigned long long)ecam.base,
			 ecam.start_bus, ecam.end_bus);
	else
		snprintf(buf, size, "mechanism #1 (ports 0xcf8/0xcfc)%s",
			 nommconf ? ", ECAM turned off by pci_nommconf" : "");
	return buf;
}
