/*
 * Device interrupts. A driver registers a handler for an IRQ number;
 * handlers run with interrupts disabled and must not block. Several
 * handlers may share a line: each returns IRQ_HANDLED if its device raised
 * it, IRQ_NONE otherwise.
 *
 * IRQ numbers: 0-15 are the ISA lines (through the I/O APIC, after the
 * MADT's overrides, or through the legacy 8259 with `noapic`), 16-23 the
 * I/O APIC's PCI pins (GSI 16-23), 24-31 message-signalled interrupts
 * (drivers/pci_msi.c). IRQ n always arrives on vector IRQ_VECTOR_BASE + n.
 */
#ifndef PAGODA_IRQ_H
#define PAGODA_IRQ_H

#include <pagoda/types.h>

#define NR_IRQS 32
#define NR_ISA_IRQS 16
#define IRQ_MSI_BASE 24
#define IRQ_VECTOR_BASE 0x20    /* IRQ n arrives on vector 0x20 + n */

typedef enum { IRQ_NONE = 0, IRQ_HANDLED = 1 } irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(unsigned int irq, void *dev);

/* Install handler on irq and unmask the line. 0, -EINVAL (bad irq, NULL
 * handler, or a line this interrupt controller does not have) or -ENOMEM
 * (no free action slot). Any context with irqs enabled. */
int request_irq(unsigned int irq, irq_handler_t handler, const char *name, void *dev);
/* Remove the handler registered with dev; the line is masked when none remain. */
void free_irq(unsigned int irq, void *dev);
/* Wait until no CPU runs a handler of irq: after free_irq, before freeing
 * what the handler used (Linux's synchronize_irq). Not from irq's handler. */
void synchronize_irq(unsigned int irq);
/* Mask irq at its controller without waiting for a handler running
 * elsewhere (Linux's disable_irq_nosync: callable from irq's own handler),
 * and undo it. They nest: the line is unmasked when every disable has its
 * enable. free_irq of the last handler forgets the count. Any context. */
void disable_irq_nosync(unsigned int irq);
void enable_irq(unsigned int irq);
/* Count of interrupts seen on irq since boot: in all, and on one CPU. */
unsigned long irq_count(unsigned int irq);
unsigned long irq_count_cpu(unsigned int irq, int cpu);

/* For `irqs` (read-only): the line's route as its controller describes it
 * ("-" when it has none); the names of its handlers, at most max, and how
 * many there are (at most IRQ_MAX_HANDLERS). A snapshot taken under the
 * irq lock; any context but an interrupt handler of this line's CPU. */
#define IRQ_MAX_HANDLERS 4
void irq_describe(unsigned int irq, char *buf, size_t size);
int irq_handler_names(unsigned int irq, const char **names, int max);

/* The controller behind a line: the 8259, the I/O APIC, or MSI. */
struct irq_chip {
	const char *name;
	void (*mask)(unsigned int irq);
	void (*unmask)(unsigned int irq);
	void (*eoi)(unsigned int irq);
	bool (*spurious)(unsigned int irq);     /* may be NULL */
	void (*describe)(unsigned int irq, char *buf, size_t size);    /* for `irqs`; may be NULL */
};
/* Give irq a controller (MSI setup). */
void irq_set_chip(unsigned int irq, const struct irq_chip *chip);
/* A free MSI irq number (24-31), or -1. */
int irq_alloc_msi(void);
void irq_free_msi(unsigned int irq);
/* True when PCI INTx should be level-triggered through the I/O APIC. */
bool irq_using_ioapic(void);
/* PCI INTx: the irq number for a device's interrupt line register, with
 * the I/O APIC pin set up level-triggered. -1 if the line is not routed. */
int pci_intx_irq(unsigned int line);

/* Called from the trap entry for vectors 0x20-0x3f. */
struct pt_regs;
void do_irq(unsigned int irq, struct pt_regs *regs);
/* Pick the controller (I/O APIC when the MADT has one and no `noapic`)
 * and set it up. Boot CPU, after acpi_madt_init. */
void irq_init(void);

/* The interrupt controller: the legacy 8259 pair, remapped (kernel/x86/i8259.c). */
void i8259_init(void);
void i8259_mask(unsigned int irq);
void i8259_unmask(unsigned int irq);
void i8259_eoi(unsigned int irq);
bool i8259_spurious(unsigned int irq);

#endif
