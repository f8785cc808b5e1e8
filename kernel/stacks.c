/* The registry of kernel stacks (stacks.h). The boot stack is always there. */
#include <pagoda/stacks.h>
#include <pagoda/compiler.h>
#include <pagoda/sched.h>
#include <pagoda/smp.h>

#define MAX_STACKS (3 * NR_CPUS + 4)     /* each CPU: its stack, a double-fault stack */
static struct stack_info stacks[MAX_STACKS] = {
	{ "boot stack", (unsigned long)boot_stack, (unsigned long)boot_stack_top,
	  (unsigned long)boot_stack_guard },
};
static int nr_stacks = 1;

void stack_register(const char *name, unsigned long bottom, unsigned long top, unsigned long guard)
{
	if (nr_stacks < MAX_STACKS)
		stacks[nr_stacks++] = (struct stack_info){ name, bottom, top, guard };
}

const struct stack_info *stack_lookup(unsigned long addr)
{
	for (int i = 0; i < nr_stacks; i++)
		if (addr >= stacks[i].bottom && addr < stacks[i].top)
			return &stacks[i];
	return task_stack_lookup(addr);     /* a kernel thread's vmalloc stack */
}

const struct stack_info *stack_guard_lookup(unsigned long addr)
{
	for (int i = 0; i < nr_stacks; i++)
		if (stacks[i].guard && addr >= stacks[i].guard && addr < stacks[i].guard + 4096)
			return &stacks[i];
	return task_stack_guard_lookup(addr);
}
