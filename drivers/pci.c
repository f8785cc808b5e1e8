/*
 * PCI enumeration. Configuration space is reached through ECAM where the
 * ACPI MCFG table offers it (q35; drivers/pci_ecam.c), otherwise through
 * configuration mechanism #1: write the address of a 32-bit config
 * register (bus, device, function, offset) to port 0xcf8, then read or
 * write it at 0xcfc. Every bus is scanned from bus 0 down
 * through PCI-to-PCI bridges; each function's BARs are sized by writing all
 * ones and reading back which address bits stick.
 */
#include <pagoda/pci.h>
#include <pagoda/printk.h>
#include <pagoda/spinlock.h>
#include <pagoda/string.h>
#include <asm/io.h>
#include <asm/processor.h>

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc

static struct pci_dev devices[PCI_MAX_DEVICES];
static int nr_devices;
static bool bus_seen[256];

static u32 cfg_addr(u8 bus, u8 dev, u8 fn, u8 off)
{
	return 0x80000000u | (u32)bus << 16 | (u32)dev << 11 | (u32)fn << 8 | (off & 0xfc);
}

/* The address/data pair is one operation, and 0xcf8 is one register for
 * the whole machine: another CPU writing its own address between our two
 * accesses would make us read or write the wrong register. Interrupts off
 * too, for a handler on this CPU that touches config space. */
static DEFINE_SPINLOCK(pci_conf1_lock);

u32 pci_conf1_read32(u8 bus, u8 dev, u8 fn, u8 off)
{
	unsigned long flags;
	spin_lock_irqsave(&pci_conf1_lock, flags);
	outl(cfg_addr(bus, dev, fn, off), PCI_CONFIG_ADDRESS);
	u32 v = inl(PCI_CONFIG_DATA);
	spin_unlock_irqrestore(&pci_conf1_lock, flags);
	return v;
}

static void conf1_write32(u8 bus, u8 dev, u8 fn, u8 off, u32 val)
{
	unsigned long flags;
	spin_lock_irqsave(&pci_conf1_lock, flags);
	outl(cfg_addr(bus, dev, fn, off), PCI_CONFIG_ADDRESS);
	outl(val, PCI_CONFIG_DATA);
	spin_unlock_irqrestore(&pci_conf1_lock, flags);
}

/* ECAM where it reaches the bus; mechanism #1 (first 256 bytes only) else. */
static u32 raw_read32(u8 bus, u8 dev, u8 fn, u16 off)
{
	if (pci_ecam_covers(bus))
		return pci_ecam_read32(bus, dev, fn, off);
	return off < PCI_CFG_SPACE_SIZE ? pci_conf1_read32(bus, dev, fn, (u8)off) : ~0u;
}

static void raw_write32(u8 bus, u8 dev, u8 fn, u16 off, u32 val)
{
	if (pci_ecam_covers(bus))
		pci_ecam_write32(bus, dev, fn, off, val);
	else if (off < PCI_CFG_SPACE_SIZE)
		conf1_write32(bus, dev, fn, (u8)off, val);
}

u32 pci_read_config_ext32(const struct pci_dev *d, u16 off)
{
	return raw_read32(d->bus, d->dev, d->fn, off);
}

void pci_write_config_ext32(const struct pci_dev *d, u16 off, u32 val)
{
	raw_write32(d->bus, d->dev, d->fn, off, val);
}

u32 pci_read_config32(const struct pci_dev *d, u8 off)
{
	return raw_read32(d->bus, d->dev, d->fn, off);
}

u16 pci_read_config16(const struct pci_dev *d, u8 off)
{
	return (u16)(pci_read_config32(d, off) >> ((off & 2) * 8));
}

u8 pci_read_config8(const struct pci_dev *d, u8 off)
{
	return (u8)(pci_read_config32(d, off) >> ((off & 3) * 8));
}

void pci_write_config32(const struct pci_dev *d, u8 off, u32 val)
{
	raw_write32(d->bus, d->dev, d->fn, off, val);
}

void pci_write_config16(const struct pci_dev *d, u8 off, u16 val)
{
	u32 v = pci_read_config32(d, off);
	unsigned shift = (off & 2) * 8;
	v = (v & ~(0xffffu << shift)) | (u32)val << shift;
	pci_write_config32(d, off, v);
}

/*
 * Size the BAR at slot i: with decoding off (so the probe value never
 * claims a real address), write all ones, read back the writable bits,
 * restore. Returns the number of slots used (2 for a 64-bit BAR).
 */
static int size_bar(struct pci_dev *d, int i)
{
	u8 off = PCI_BAR0 + 4 * i;
	u32 orig = pci_read_config32(d, off);
	struct pci_bar *b = &d->bar[i];

	pci_write_config32(d, off, 0xffffffff);
	u32 probe = pci_read_config32(d, off);
	pci_write_config32(d, off, orig);
	if (!probe || probe == 0xffffffff)
		return 1;

	if (orig & 1) {                         /* I/O BAR */
		b->io = true;
		b->base = orig & ~3u;
		b->size = (u16)(~(probe & ~3u) + 1);
		return 1;
	}
	b->prefetch = orig & 8;
	u64 base = orig & ~0xfu, mask = probe & ~0xfu;
	if (((orig >> 1) & 3) == 2 && i < 5) {  /* 64-bit memory BAR */
		u32 orig_hi = pci_read_config32(d, off + 4);
		pci_write_config32(d, off + 4, 0xffffffff);
		u32 probe_hi = pci_read_config32(d, off + 4);
		pci_write_config32(d, off + 4, orig_hi);
		b->is64 = true;
		base |= (u64)orig_hi << 32;
		mask |= (u64)probe_hi << 32;
		b->base = base;
		b->size = ~mask + 1;
		return 2;
	}
	b->base = base;
	b->size = (u32)(~(u32)mask + 1);
	return 1;
}

static void scan_bus(u8 bus);

static void add_function(u8 bus, u8 dev, u8 fn)
{
	if (nr_devices == PCI_MAX_DEVICES) {
		pr_warn("pci: more than %d functions, %02x:%02x.%x ignored\n", PCI_MAX_DEVICES, bus, dev, fn);
		return;
	}
	struct pci_dev *d = &devices[nr_devices++];
	memset(d, 0, sizeof(*d));
	d->bus = bus;
	d->dev = dev;
	d->fn = fn;
	u32 id = pci_read_config32(d, PCI_VENDOR_ID);
	d->vendor = id & 0xffff;
	d->device = id >> 16;
	u32 cls = pci_read_config32(d, PCI_REVISION_ID);
	d->revision = cls & 0xff;
	d->prog_if = (cls >> 8) & 0xff;
	d->subclass = (cls >> 16) & 0xff;
	d->class = cls >> 24;
	d->hdr_type = pci_read_config8(d, PCI_HEADER_TYPE) & 0x7f;
	d->irq_line = pci_read_config8(d, PCI_INTERRUPT_LINE);
	d->irq_pin = pci_read_config8(d, PCI_INTERRUPT_PIN);

	int nbars = d->hdr_type == 0 ? 6 : d->hdr_type == 1 ? 2 : 0;
	if (nbars) {
		u16 cmd = pci_read_config16(d, PCI_COMMAND);
		pci_write_config16(d, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
		for (int i = 0; i < nbars;)
			i += size_bar(d, i);
		pci_write_config16(d, PCI_COMMAND, cmd);
	}
	if (d->hdr_type == 1) {                 /* PCI-to-PCI bridge: its secondary bus */
		u8 secondary = pci_read_config8(d, PCI_SECONDARY_BUS);
		if (secondary && !bus_seen[secondary])
			scan_bus(secondary);
	}
}

static void scan_bus(u8 bus)
{
	bus_seen[bus] = true;
	for (u8 dev = 0; dev < 32; dev++) {
		if ((raw_read32(bus, dev, 0, PCI_VENDOR_ID) & 0xffff) == 0xffff)
			continue;
		bool multi = (raw_read32(bus, dev, 0, PCI_HEADER_TYPE & ~3) >> 16) & 0x80;
		for (u8 fn = 0; fn < (multi ? 8 : 1); fn++)
			if ((raw_read32(bus, dev, fn, PCI_VENDOR_ID) & 0xffff) != 0xffff)
				add_function(bus, dev, fn);
	}
}

void pci_init(void)
{
	/* Mechanism #1 is there if the address register keeps what we write. */
	unsigned long flags;
	spin_lock_irqsave(&pci_conf1_lock, flags);
	outl(0x80000000u, PCI_CONFIG_ADDRESS);
	bool conf1 = inl(PCI_CONFIG_ADDRESS) == 0x80000000u;
	spin_unlock_irqrestore(&pci_conf1_lock, flags);
	bool ecam = pci_ecam_init();
	if (!conf1 && !ecam) {
		pr_warn("pci: no configuration mechanism #1 and no ECAM; no PCI devices\n");
		return;
	}
	scan_bus(0);
	char how[96];
	pr_info("pci: %d functions found, configuration through %s\n", nr_devices,
		pci_config_mechanism(how, sizeof(how)));
}

int pci_device_count(void)
{
	return nr_devices;
}

struct pci_dev *pci_get_device_at(int index)
{
	return index >= 0 && index < nr_devices ? &devices[index] : NULL;
}

static struct pci_dev *next_from(struct pci_dev *from)
{
	return from ? from + 1 : devices;
}

struct pci_dev *pci_find_class(u8 class, u8 subclass, int prog_if, struct pci_dev *from)
{
	for (struct pci_dev *d = next_from(from); d < devices + nr_devices; d++)
		if (d->class == class && d->subclass == subclass && (prog_if < 0 || d->prog_if == prog_if))
			return d;
	return NULL;
}

struct pci_dev *pci_find_device(u16 vendor, u16 device, struct pci_dev *from)
{
	for (struct pci_dev *d = next_from(from); d < devices + nr_devices; d++)
		if (d->vendor == vendor && d->device == device)
			return d;
	return NULL;
}

void pci_enable_device(struct pci_dev *d)
{
	u16 cmd = pci_read_config16(d, PCI_COMMAND);
	for (int i = 0; i < 6; i++) {
		if (d->bar[i].size)
			cmd |= d->bar[i].io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	}
	pci_write_config16(d, PCI_COMMAND, cmd);
}

void pci_set_master(struct pci_dev *d)
{
	pci_write_config16(d, PCI_COMMAND, pci_read_config16(d, PCI_COMMAND) | PCI_COMMAND_MASTER);
}

u8 pci_find_capability(const struct pci_dev *d, u8 id)
{
	if (!(pci_read_config16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	u8 pos = pci_read_config8(d, PCI_CAPABILITY_LIST) & ~3;
	/* At most 48 capabilities fit in config space: a loop means garbage. */
	for (int ttl = 48; pos >= 0x40 && ttl--; pos = pci_read_config8(d, pos + 1) & ~3)
		if (pci_read_config8(d, pos) == id)
			return pos;
	return 0;
}
