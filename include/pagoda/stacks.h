/*
 * The kernel's stacks, so a backtrace can stay inside the stack it walks and
 * a fault handler can tell a stack overflow from any other bad access.
 */
#ifndef PAGODA_STACKS_H
#define PAGODA_STACKS_H

#include <pagoda/types.h>

struct stack_info {
	const char *name;
	unsigned long bottom, top;      /* [bottom, top) */
	unsigned long guard;            /* unmapped page below bottom, or 0 */
};

/* The stack that contains addr, or NULL: the registered ones (boot, CPU,
 * double-fault stacks), then the running task's (and the one `bt <pid>`
 * walks). */
const struct stack_info *stack_lookup(unsigned long addr);
/* The stack whose guard page contains addr, or NULL. */
const struct stack_info *stack_guard_lookup(unsigned long addr);
void stack_register(const char *name, unsigned long bottom, unsigned long top, unsigned long guard);

extern char boot_stack_guard[], boot_stack[], boot_stack_top[];

#endif
