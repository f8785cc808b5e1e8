/*
 * IRQ lines and their handlers (irq.h). Each line has a controller (struct
 * irq_chip): the 8259 pair with `noapic` or without a MADT, the I/O APIC
 * otherwise, MSI for lines a PCI device signals by memory write. Handlers
 * and counts are per line; counts are kept per CPU so `irqs` shows where
 * interrupts land.
 */
#include <pagoda/irq.h>
#include <pagoda/apic.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <pagoda/sprintf.h>
#include <asm/processor.h>

#define MAX_ACTIONS IRQ_MAX_HANDLERS     /* handlers sharing one line */

struct irq_action {
	irq_handler_t handler;
	const char *name;
	void *dev;
};

static struct irq_action actions[NR_IRQS][MAX_ACTIONS];
static DEFINE_PER_CPU(unsigned long [NR_IRQS], irq_counts);
static const struct irq_chip *chips[NR_IRQS];
static DEFINE_SPINLOCK(irq_lock);
static bool msi_used[NR_IRQS];
static unsigned int disable_depth[NR_IRQS];     /* under irq_lock */
static int handlers_running[NR_IRQS];           /* CPUs in irq's handlers now */

static void i8259_chip_eoi(unsigned int irq) { i8259_eoi(irq); }
static void i8259_describe(unsigned int irq, char *buf, size_t size)
{
	snprintf(buf, size, "XT-PIC line %u", irq);
}
static const struct irq_chip i8259_chip = {
	"XT-PIC", i8259_mask, i8259_unmask, i8259_chip_eoi, i8259_spurious, i8259_describe,
};

static void ioapic_eoi(unsigned int irq) { lapic_eoi(); }
static const struct irq_chip ioapic_chip = {
	"IO-APIC", io_apic_mask, io_apic_unmask, ioapic_eoi, NULL, io_apic_describe,
};

void irq_set_chip(unsigned int irq, const struct irq_chip *chip)
{
	if (irq < NR_IRQS)
		chips[irq] = chip;
}

int irq_alloc_msi(void)
{
	if (!apic_enabled)
		return -1;
	unsigned long flags;
	spin_lock_irqsave(&irq_lock, flags);
	int irq = -1;
	for (unsigned int i = IRQ_MSI_BASE; i < NR_IRQS && irq < 0; i++)
		if (!msi_used[i])
			msi_used[irq = i] = true;
	spin_unlock_irqrestore(&irq_lock, flags);
	return irq;
}

void irq_free_msi(unsigned int irq)
{
	if (irq >= IRQ_MSI_BASE && irq < NR_IRQS) {
		msi_used[irq] = false;
		chips[irq] = NULL;
	}
}

bool irq_using_ioapic(void)
{
	return apic_enabled;
}

int pci_intx_irq(unsigned int line)
{
	if (line >= NR_ISA_IRQS && !(apic_enabled && line < IRQ_MSI_BASE))
		return -1;
	if (apic_enabled) {
		/* The BIOS wrote the ISA IRQ it routed the PCI interrupt to; the
		 * MADT override for that IRQ (QEMU: level, active high) applies,
		 * else the PCI default: level, active low. */
		u16 f;
		isa_irq_to_gsi(line, &f);
		io_apic_set_level(line, true, f ? (f & 3) == 3 : true);
	}
	return line;
}

int request_irq(unsigned int irq, irq_handler_t handler, const char *name, void *dev)
{
	if (irq >= NR_IRQS || !handler || !chips[irq])
		return -EINVAL;
	unsigned long flags;
	spin_lock_irqsave(&irq_lock, flags);
	int ret = -ENOMEM;
	for (int i = 0; i < MAX_ACTIONS; i++) {
		if (!actions[irq][i].handler) {
			actions[irq][i] = (struct irq_action){ handler, name, dev };
			if (!disable_depth[irq])
				chips[irq]->unmask(irq);
			ret = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	return ret;
}

void free_irq(unsigned int irq, void *dev)
{
	if (irq >= NR_IRQS || !chips[irq])
		return;
	unsigned long flags;
	spin_lock_irqsave(&irq_lock, flags);
	bool any = false;
	for (int i = 0; i < MAX_ACTIONS; i++) {
		if (actions[irq][i].handler && actions[irq][i].dev == dev)
			actions[irq][i].handler = NULL;
		any |= actions[irq][i].handler != NULL;
	}
	if (!any) {
		chips[irq]->mask(irq);
		disable_depth[irq] = 0;
	}
	spin_unlock_irqrestore(&irq_lock, flags);
}

void synchronize_irq(unsigned int irq)
{
	if (irq >= NR_IRQS)
		return;
	while (__atomic_load_n(&handlers_running[irq], __ATOMIC_ACQUIRE))
		cpu_relax();
}

void disable_irq_nosync(unsigned int irq)
{
	if (irq >= NR_IRQS || !chips[irq])
		return;
	unsigned long flags;
	spin_lock_irqsave(&irq_lock, flags);
	if (disable_depth[irq]++ == 0)
		chips[irq]->mask(irq);
	spin_unlock_irqrestore(&irq_lock, flags);
}

void enable_irq(unsigned int irq)
{
	if (irq >= NR_IRQS || !chips[irq])
		return;
	unsigned long flags;
	spin_lock_irqsave(&irq_lock, flags);
	if (disable_depth[irq] && --disable_depth[irq] == 0)
		chips[irq]->unmask(irq);
	spin_unlock_irqrestore(&irq_lock, flags);
}

unsigned long irq_count_cpu(unsigned int irq, int cpu)
{
	return irq < NR_IRQS && cpu >= 0 && cpu < NR_CPUS ? per_cpu(irq_counts, cpu)[irq] : 0;
}

unsigned long irq_count(unsigned int irq)
{
	unsigned long n = 0;
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		n += irq_count_cpu(irq, cpu);
	return n;
}

void do_irq(unsigned int irq, struct pt_regs *regs)
{
	const struct irq_chip *chip = chips[irq];
	if (!chip) {
		/* A vector nobody routed: with the 8259 masked, a stray from it. */
		if (apic_enabled)
			lapic_eoi();
		printk(KERN_WARNING "irq %u: interrupt on a line with no controller, ignored\n", irq);
		return;
	}
	if (chip->spurious && chip->spurious(irq))
		return;
	this_cpu_inc(irq_counts[irq]);
	bool handled = false;
	__atomic_add_fetch(&handlers_running[irq], 1, __ATOMIC_ACQ_REL);
	for (int i = 0; i < MAX_ACTIONS; i++) {
		irq_handler_t h = READ_ONCE(actions[irq][i].handler);
		if (h)
			handled |= h(irq, actions[irq][i].dev) == IRQ_HANDLED;
	}
	__atomic_sub_fetch(&handlers_running[irq], 1, __ATOMIC_ACQ_REL);
	chip->eoi(irq);
	if (!handled && irq_count(irq) < 10)
		printk(KERN_WARNING "irq %u: nobody handled it\n", irq);
}

void irq_init(void)
{
	i8259_init();
	if (noapic || !madt.found || !madt.has_ioapic || !boot_cpu.has_apic) {
		if (!noapic && madt.found && !madt.has_ioapic)
			pr_warn("irq: the MADT lists no I/O APIC; using the 8259\n");
		for (unsigned int irq = 0; irq < NR_ISA_IRQS; irq++)
			chips[irq] = &i8259_chip;
		pr_info("irq: legacy 8259 PIC%s\n", noapic ? " (noapic)" : "");
		return;
	}
	lapic_init_this_cpu();
	per_cpu(cpu_info, 0).apic_id = lapic_id();
	io_apic_init();
	for (unsigned int irq = 0; irq < IRQ_MSI_BASE; irq++)
		chips[irq] = &ioapic_chip;
	apic_enabled = true;
}

void irq_describe(unsigned int irq, char *buf, size_t size)
{
	snprintf(buf, size, "-");
	if (irq < NR_IRQS && chips[irq] && chips[irq]->describe)
		chips[irq]->describe(irq, buf, size);
}

int irq_handler_names(unsigned int irq, const char **names, int max)
{
	int n = 0;
	unsigned long flags;
	if (irq >= NR_IRQS)
		return 0;
	spin_lock_irqsave(&irq_lock, flags);
	for (int i = 0; i < MAX_ACTIONS; i++)
		if (actions[irq][i].handler && n < max)
			names[n++] = actions[irq][i].name;
	spin_unlock_irqrestore(&irq_lock, flags);
	return n;
}
