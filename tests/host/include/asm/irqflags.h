/*
 * Host shim for <asm/irqflags.h>: a host program has no interrupt flag.
 * Saving returns 0 and restoring does nothing, so the kernel's
 * spin_lock_irqsave and per-CPU sections compile and run unchanged.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

static inline unsigned long local_irq_save(void) { return 0; }
static inline void local_irq_restore(unsigned long flags) { (void)flags; }
static inline void local_irq_disable(void) { }
static inline void local_irq_enable(void) { }
static inline int irqs_disabled(void) { return 0; }
static inline void arch_cpu_relax(void) { }

#endif
