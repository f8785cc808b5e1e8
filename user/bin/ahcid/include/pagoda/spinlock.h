/*
 * ahcid's locks do nothing, and that is correct: the server is one thread,
 * and its "interrupt handler" is a function it calls itself after a
 * notification, never in the middle of the driver's own code. The kernel
 * build needs the real locks because its handler can run on another CPU
 * at any instruction.
 */
#ifndef AHCID_PAGODA_SPINLOCK_H
#define AHCID_PAGODA_SPINLOCK_H

#include <asm/irqflags.h>

typedef struct {
	int unused;
} spinlock_t;

#define spin_lock_init(l)               ((void)(l))
#define spin_lock(l)                    ((void)(l))
#define spin_unlock(l)                  ((void)(l))
#define spin_lock_irqsave(l, flags)     ((void)(l), (flags) = local_irq_save())

#endif
