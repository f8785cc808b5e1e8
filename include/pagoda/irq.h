/*
 * Device interrupts. A driver registers a handler for an IRQ line (0-15 on
 * the legacy PIC); handlers run with interrupts disabled and must not block.
 * Several handlers may share a line: each returns IRQ_HANDLED if its device
 * raised it, IRQ_NONE otherwise.
 */
#ifndef PAGODA_IRQ_H
#define PAGODA_IRQ_H

#include <pagoda/types.h>

#define NR_IRQS 16
#define IRQ_VECTOR_BASE 0x20    /* IRQ n arrives on vector 0x20 + n */

typedef enum { IRQ_NONE = 0, IRQ_HANDLED = 1 } irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(unsigned int irq, void *dev);

/* Install handler on irq and unmask the line. 0, -EINVAL (bad irq or NULL
 * handler) or -ENOMEM (no free action slot). Any context with irqs enabled. */
int request_irq(unsigned int irq, irq_handler_t handler, const char *name, void *dev);
/* Remove the handler registered with dev; the line is masked when none remain. */
void free_irq(unsigned int irq, void *dev);
/* Count of interrupts seen on irq since boot. */
unsigned long irq_count(unsigned int irq);

/* Called from the trap entry for vectors 0x20-0x2f. */
struct pt_regs;
void do_irq(unsigned int irq, struct pt_regs *regs);
void irq_init(void);

/* The interrupt controller: the legacy 8259 pair, remapped (kernel/i8259.c). */
void i8259_init(void);
void i8259_mask(unsigned int irq);
void i8259_unmask(unsigned int irq);
void i8259_eoi(unsigned int irq);
bool i8259_spurious(unsigned int irq);

#endif
