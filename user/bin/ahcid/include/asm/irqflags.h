/* ahcid: no interrupt flag to save (a user process cannot mask interrupts). */
#ifndef AHCID_ASM_IRQFLAGS_H
#define AHCID_ASM_IRQFLAGS_H

static inline unsigned long local_irq_save(void) { return 0; }
static inline void local_irq_restore(unsigned long flags) { (void)flags; }
static inline void cpu_relax(void) { __asm__ __volatile__("pause" ::: "memory"); }

#endif
