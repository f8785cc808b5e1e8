/*
 * Message-signalled interrupts (PCI MSI capability, id 0x05). Instead of
 * pulling an interrupt line, the device writes `data` to `address`; on x86
 * the address 0xfee00000 | (APIC id << 12) is the LAPIC of the CPU that
 * should take it and the data's low byte is the vector. No I/O APIC, no
 * sharing, no level-triggered ack: each MSI gets its own IRQ number
 * (24-31) and EOI goes to the local APIC. One message per device here.
 */
#include <pagoda/pci.h>
#include <pagoda/apic.h>
#include <pagoda/errno.h>
#include <pagoda/irq.h>
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>

#define MSI_FLAGS        2      /* message control */
#define MSI_FLAGS_ENABLE 0x0001
#define MSI_FLAGS_QSIZE  0x0070 /* messages enabled (log2): 0 = one */
#define MSI_FLAGS_64BIT  0x0080
#define MSI_FLAGS_MASKBIT 0x0100
#define MSI_ADDR_LO      4
#define MSI_ADDR_HI      8      /* 64-bit capable only */
#define MSI_DATA_32      8
#define MSI_DATA_64      12
#define MSI_MASK_32      12
#define MSI_MASK_64      16

struct msi_desc {
	struct pci_dev *dev;
	u8 cap;
	bool is64, maskable;
	int cpu;
};
static struct msi_desc msi[NR_IRQS];

static u8 mask_reg(const struct msi_desc *m)
{
	return m->cap + (m->is64 ? MSI_MASK_64 : MSI_MASK_32);
}

static void msi_set_mask(unsigned int irq, bool masked)
{
	const struct msi_desc *m = &msi[irq];
	if (m->dev && m->maskable)
		pci_write_config32(m->dev, mask_reg(m), masked ? 1 : 0);
}
static void msi_mask(unsigned int irq) { msi_set_mask(irq, true); }
static void msi_unmask(unsigned int irq) { msi_set_mask(irq, false); }
static void msi_eoi(unsigned int irq) { lapic_eoi(); }

static void msi_describe(unsigned int irq, char *buf, size_t size)
{
	const struct msi_desc *m = &msi[irq];
	snprintf(buf, size, "MSI %02x:%02x.%x -> APIC %u (CPU %d)", m->dev->bus, m->dev->dev,
		 m->dev->fn, per_cpu(cpu_info, m->cpu).apic_id, m->cpu);
}

static const struct irq_chip msi_chip = {
	"PCI-MSI", msi_mask, msi_unmask, msi_eoi, NULL, msi_describe,
};

int pci_enable_msi(struct pci_dev *d, int cpu)
{
	u8 cap = pci_find_capability(d, PCI_CAP_ID_MSI);
	if (!cap)
		return -ENODEV;
	if (!irq_using_ioapic())
		return -ENODEV;         /* noapic: no LAPIC to write to */
	if (!cpu_online(cpu))
		return -EINVAL;
	int irq = irq_alloc_msi();
	if (irq < 0)
		return -ENOSPC;
	u16 flags = pci_read_config16(d, cap + MSI_FLAGS);
	struct msi_desc *m = &msi[irq];
	*m = (struct msi_desc){ d, cap, flags & MSI_FLAGS_64BIT, flags & MSI_FLAGS_MASKBIT, cpu };
	/* Physical destination, fixed delivery, edge: the message is the vector alone. */
	pci_write_config32(d, cap + MSI_ADDR_LO, 0xfee00000u | (per_cpu(cpu_info, cpu).apic_id << 12));
	if (m->is64) {
		pci_write_config32(d, cap + MSI_ADDR_HI, 0);
		pci_write_config16(d, cap + MSI_DATA_64, IRQ_VECTOR_BASE + irq);
	} else {
		pci_write_config16(d, cap + MSI_DATA_32, IRQ_VECTOR_BASE + irq);
	}
	irq_set_chip(irq, &msi_chip);
	msi_mask(irq);                          /* request_irq unmasks */
	flags = (flags & ~MSI_FLAGS_QSIZE) | MSI_FLAGS_ENABLE;
	pci_write_config16(d, cap + MSI_FLAGS, flags);
	/* With MSI on, the device must not also pull its INTx line. */
	pci_write_config16(d, PCI_COMMAND, pci_read_config16(d, PCI_COMMAND) | PCI_COMMAND_INTX_DISABLE);
	return irq;
}

void pci_disable_msi(struct pci_dev *d, unsigned int irq)
{
	if (irq >= NR_IRQS || msi[irq].dev != d)
		return;
	u8 cap = msi[irq].cap;
	pci_write_config16(d, cap + MSI_FLAGS, pci_read_config16(d, cap + MSI_FLAGS) & ~MSI_FLAGS_ENABLE);
	pci_write_config16(d, PCI_COMMAND, pci_read_config16(d, PCI_COMMAND) & ~PCI_COMMAND_INTX_DISABLE);
	msi[irq].dev = NULL;
	irq_free_msi(irq);
}

int pci_msi_cpu(unsigned int irq)
{
	return irq < NR_IRQS && msi[irq].dev ? msi[irq].cpu : -1;
}
