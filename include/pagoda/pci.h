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
};

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
/* A short human name for a class triple ("SATA controller (AHCI)"). */
const char *pci_class_name(u8 class, u8 subclass, u8 prog_if);

#endif
