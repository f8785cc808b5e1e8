/*
 * The I/O APIC: a register window (select at +0x00, data at +0x10) onto a
 * table of redirection entries, one per input pin (GSI - gsi_base). Each
 * entry says which vector to send to which LAPIC, edge or level, active high
 * or low, masked or not. ISA IRQ n is on pin n unless the MADT overrides it
 * (the PIT's IRQ 0 is on pin 2 on PCs); PCI INTx lines are level-triggered.
 * IRQ number irq always arrives on vector IRQ_VECTOR_BASE + irq, and every
 * line goes to the boot CPU. Once this is live the 8259s are fully masked.
 */
#include <pagoda/apic.h>
#include <asm/fixmap.h>
#include <pagoda/irq.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/spinlock.h>
#include <pagoda/sprintf.h>
#include <asm/io.h>

#define IOREGSEL 0x00
#define IOWIN    0x10
#define IOAPIC_VER 0x01
#define IOREDTBL(pin) (0x10 + 2 * (pin))

#define RTE_POLARITY_LOW (1u << 13)
#define RTE_LEVEL        (1u << 15)
#define RTE_MASKED       (1u << 16)

#define MAX_PINS 24

static volatile u32 *ioapic;
static unsigned int nr_pins;
static DEFINE_SPINLOCK(ioapic_lock);
static int irq_pin[NR_IRQS];            /* pin an irq uses, -1: none */
static u32 rte_lo[MAX_PINS];            /* our copy of each entry's low word */

static u32 ioapic_read(u32 reg)
{
	ioapic[IOREGSEL / 4] = reg;
	return ioapic[IOWIN / 4];
}

static void ioapic_write(u32 reg, u32 v)
{
	ioapic[IOREGSEL / 4] = reg;
	ioapic[IOWIN / 4] = v;
}

u32 isa_irq_to_gsi(unsigned int irq, u16 *flags)
{
	*flags = 0;
	for (int i = 0; i < madt.nr_overrides; i++) {
		if (madt.overrides[i].bus == 0 && madt.overrides[i].source_irq == irq) {
			*flags = madt.overrides[i].flags;
			return madt.overrides[i].gsi;
		}
	}
	return irq;
}

static void write_rte(unsigned int pin)
{
	ioapic_write(IOREDTBL(pin) + 1, per_cpu(cpu_info, 0).apic_id << 24);    /* physical destination */
	ioapic_write(IOREDTBL(pin), rte_lo[pin]);
}

static void route(unsigned int irq, u32 gsi, bool level, bool low)
{
	if (gsi < madt.ioapic_gsi_base || gsi - madt.ioapic_gsi_base >= nr_pins) {
		pr_warn("ioapic: IRQ %u -> GSI %u is outside the I/O APIC's pins; left unrouted\n", irq, gsi);
		return;
	}
	unsigned int pin = gsi - madt.ioapic_gsi_base;
	irq_pin[irq] = pin;
	rte_lo[pin] = RTE_MASKED | (IRQ_VECTOR_BASE + irq) | (level ? RTE_LEVEL : 0) |
		      (low ? RTE_POLARITY_LOW : 0);
	write_rte(pin);
}

void io_apic_init(void)
{
	set_fixmap(FIX_IO_APIC_BASE, madt.ioapic_addr, PAGE_KERNEL_IO);
	ioapic = (volatile u32 *)(fix_to_virt(FIX_IO_APIC_BASE) + (unsigned long)(madt.ioapic_addr & ~PAGE_MASK));
	nr_pins = ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
	if (nr_pins > MAX_PINS)
		nr_pins = MAX_PINS;
	for (unsigned int pin = 0; pin < nr_pins; pin++) {
		rte_lo[pin] = RTE_MASKED;
		write_rte(pin);
	}
	for (unsigned int irq = 0; irq < NR_IRQS; irq++)
		irq_pin[irq] = -1;
	/* ISA: edge, active high unless an override says otherwise
	 * ("conforming" means the bus default: for ISA, edge and high). */
	for (unsigned int irq = 0; irq < 16; irq++) {
		if (irq == 2)
			continue;               /* the 8259 cascade: no device */
		u16 f;
		u32 gsi = isa_irq_to_gsi(irq, &f);
		route(irq, gsi, ((f >> 2) & 3) == 3, (f & 3) == 3);
	}
	/* Pins 16-23 (q35's PIRQ A-H): PCI, level, active low (the PCI default;
	 * QEMU's IOAPIC ignores the polarity bit anyway). */
	for (unsigned int irq = 16; irq < NR_IRQS && irq < nr_pins + madt.ioapic_gsi_base; irq++)
		route(irq, irq, true, true);

	/* The 8259s stay initialised (remapped to 0x20-0x2f, so a stray
	 * interrupt from them is recognisable) but fully masked. */
	outb(0xff, 0x21);
	outb(0xff, 0xa1);
	pr_info("ioapic: %u pins at %#llx, all lines to APIC id %u; 8259 masked\n", nr_pins,
		(unsigned long long)madt.ioapic_addr, per_cpu(cpu_info, 0).apic_id);
}

int io_apic_get_route(unsigned int irq, u32 *lo, u32 *hi)
{
	if (irq >= NR_IRQS || irq_pin[irq] < 0 || !ioapic)
		return -1;
	unsigned long flags;
	spin_lock_irqsave(&ioapic_lock, flags);
	*lo = ioapic_read(IOREDTBL(irq_pin[irq]));
	*hi = ioapic_read(IOREDTBL(irq_pin[irq]) + 1);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return irq_pin[irq];
}

unsigned int io_apic_pins(void)
{
	return nr_pins;
}

static void set_mask(unsigned int irq, bool masked)
{
	if (irq >= NR_IRQS || irq_pin[irq] < 0)
		return;
	unsigned long flags;
	spin_lock_irqsave(&ioapic_lock, flags);
	unsigned int pin = irq_pin[irq];
	rte_lo[pin] = masked ? rte_lo[pin] | RTE_MASKED : rte_lo[pin] & ~RTE_MASKED;
	write_rte(pin);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

void io_apic_mask(unsigned int irq) { set_mask(irq, true); }
void io_apic_unmask(unsigned int irq) { set_mask(irq, false); }

void io_apic_set_level(unsigned int irq, bool level, bool low)
{
	if (irq >= NR_IRQS || irq_pin[irq] < 0)
		return;
	unsigned long flags;
	spin_lock_irqsave(&ioapic_lock, flags);
	unsigned int pin = irq_pin[irq];
	rte_lo[pin] &= ~(RTE_LEVEL | RTE_POLARITY_LOW);
	rte_lo[pin] |= (level ? RTE_LEVEL : 0) | (low ? RTE_POLARITY_LOW : 0);
	write_rte(pin);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

void io_apic_describe(unsigned int irq, char *buf, size_t size)
{
	if (irq >= NR_IRQS || irq_pin[irq] < 0) {
		snprintf(buf, size, "-");
		return;
	}
	unsigned long flags;
	spin_lock_irqsave(&ioapic_lock, flags);
	u32 lo = ioapic_read(IOREDTBL(irq_pin[irq]));           /* what the chip holds */
	u32 hi = ioapic_read(IOREDTBL(irq_pin[irq]) + 1);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	snprintf(buf, size, "IO-APIC pin %d %s %s%s -> APIC %u", irq_pin[irq],
		 lo & RTE_LEVEL ? "level" : "edge", lo & RTE_POLARITY_LOW ? "low" : "high",
		 lo & RTE_MASKED ? " masked" : "", hi >> 24);
}
