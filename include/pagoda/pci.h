/*
 * PCI: the bus the disk controller sits on. pci_init() enumerates every bus
 * through configuration mechanism #1 (ports 0xcf8/0xcfc), following bridges,
 * and sizes every BAR. Drivers then find their device by class or by ID,
 * enable it and turn on bus mastering (DMA) before using it.
 */
#ifndef PAGODA_PCI_H
#define PAGODA_PCI_H

#include <pagoda/types.h>

#define PCI_MAX_DEVICES 64

/* Configuration space offsets (type 0 header). */
#define PCI_VENDOR_ID      0x00
#define PCI_DEVICE_ID      0x02
#define PCI_COMMAND        0x04
#define PCI_STATUS         0x06
#define PCI_REVISION_ID    0x08
#define PCI_CLASS_PROG     0x09
#define PCI_HEADER_TYPE    0x0e
#define PCI_BAR0           0x10
#define PCI_SECONDARY_BUS  0x19     /* type 1 (bridge) header */
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN  0x3d

#define PCI_COMMAND_IO     0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_CAP_LIST 0x0010

#define PCI_CAP_ID_PM      0x01
#define PCI_CAP_ID_MSI     0x05
#define PCI_CAP_ID_PCIE    0x10
#define PCI_CAP_ID_MSIX    0x11
#define PCI_CAP_ID_SATA    0x12

struct pci_bar {
	u64 base;                       /* bus address (0: unused BAR) */
	u64 size;                       /* bytes decoded, from sizing */
	bool io;                        /* I/O ports rather than memory */
	bool is64;                      /* 64-bit memory BAR (takes two slots) */
	bool prefetch;
};

struct pci_dev {
	u8 bus, dev, fn;
	u16 vendor, device;
	u8 class, subclass, prog_if, revision;
	u8 hdr_type;                    /* 0 device, 1 PCI-PCI bridge */
	u8 irq_line, irq_pin;
	struct pci_bar bar[6];
	/* Who drives it (pci_claim): nobody, a kernel driver, or the holder of
	 * a device handle (a user-space driver). One owner at a time. */
	u8 owner;                       /* PCI_OWNER_* */
	const char *driver;             /* the kernel driver's name ("ahci"), NULL otherwise */
};

/* struct pci_dev's owner; the values are device_info.owner's (<uapi/pagoda/device.h>). */
#define PCI_OWNER_NONE   0
#define PCI_OWNER_KERNEL 1
#define PCI_OWNER_HANDLE 2

/* Enumerate all buses; boot CPU, once. */
void pci_init(void);
/* Devices found, in bus order. */
int pci_device_count(void);
struct pci_dev *pci_get_device_at(int index);
/* The next device after `from` (NULL: the first) with this class triple;
 * prog_if -1 matches any. */
struct pci_dev *pci_find_class(u8 class, u8 subclass, int prog_if, struct pci_dev *from);
struct pci_dev *pci_find_device(u16 vendor, u16 device, struct pci_dev *from);

u8 pci_read_config8(const struct pci_dev *d, u8 off);
u16 pci_read_config16(const struct pci_dev *d, u8 off);
u32 pci_read_config32(const struct pci_dev *d, u8 off);
void pci_write_config16(const struct pci_dev *d, u8 off, u16 val);
void pci_write_config32(const struct pci_dev *d, u8 off, u32 val);

/* Turn on memory and I/O decoding for the device's BARs. */
void pci_enable_device(struct pci_dev *d);
/* Let the device master the bus: needed for DMA. */
void pci_set_master(struct pci_dev *d);
/* Offset of capability `id` in config space, or 0 if the device lacks it. */
u8 pci_find_capability(const struct pci_dev *d, u8 id);
/*
 * MSI (drivers/pci_msi.c): switch the device to one message-signalled
 * interrupt aimed at logical CPU `cpu`, and disable its INTx line. Returns
 * the IRQ number for request_irq, or -ENODEV (no MSI capability, or no
 * LAPIC: noapic), -EINVAL (cpu offline), -ENOSPC (no MSI IRQ number left).
 * pci_disable_msi undoes it (after free_irq). pci_msi_cpu: the target CPU
 * of an MSI irq, -1 if irq is not one.
 */
int pci_enable_msi(struct pci_dev *d, int cpu);
void pci_disable_msi(struct pci_dev *d, unsigned int irq);
int pci_msi_cpu(unsigned int irq);
/*
 * Ownership (drivers/pci_owner.c): a kernel driver claims its device at
 * probe (PCI_OWNER_KERNEL, with its name), device_open for a device handle
 * (PCI_OWNER_HANDLE). 0, or -EBUSY if someone owns it already.
 * pci_release gives it back. Any context.
 */
int pci_claim(struct pci_dev *d, u8 owner, const char *driver);
void pci_release(struct pci_dev *d);
/* A short human name for a class triple ("SATA controller (AHCI)"). */
const char *pci_class_name(u8 class, u8 subclass, u8 prog_if);

/*
 * How configuration space is reached. pci_read_config*() use ECAM
 * (drivers/pci_ecam.c) on the buses the ACPI MCFG table covers, unless
 * pci_nommconf is given, and mechanism #1 elsewhere (always on pc).
 * Extended space (offsets 0x100-0xfff, PCIe only) needs ECAM: the _ext
 * accessors read all ones and ignore writes without it.
 */
#define PCI_CFG_SPACE_SIZE      256
#define PCI_CFG_SPACE_EXP_SIZE  4096
u32 pci_read_config_ext32(const struct pci_dev *d, u16 off);
void pci_write_config_ext32(const struct pci_dev *d, u16 off, u32 val);
/* Mechanism #1 and ECAM directly, for comparing them (tests); all ones
 * where the mechanism cannot reach. */
u32 pci_conf1_read32(u8 bus, u8 dev, u8 fn, u8 off);
bool pci_ecam_init(void);
bool pci_ecam_covers(u8 bus);
u32 pci_ecam_read32(u8 bus, u8 dev, u8 fn, u16 off);
void pci_ecam_write32(u8 bus, u8 dev, u8 fn, u16 off, u32 val);
/* "ECAM at 0xb0000000, buses 00-ff (ACPI MCFG)" or "mechanism #1 ...". */
const char *pci_config_mechanism(char *buf, size_t size);

#endif
