/*
 * Single-CPU stand-ins for the cross-CPU calls of <pagoda/smp.h>, until the
 * other CPUs are started: "every online CPU" is this one, so each call runs
 * the function here, with interrupts off as an IPI handler would.
 */
#include <pagoda/smp.h>
#include <pagoda/errno.h>
#include <asm/irqflags.h>

unsigned int num_online_cpus(void)
{
	return 1;
}

bool cpu_online(int cpu)
{
	return cpu == 0;
}

int smp_call_function_single(int cpu, smp_call_func_t fn, void *info, bool wait)
{
	if (cpu != smp_processor_id())
		return -EINVAL;
	unsigned long flags = local_irq_save();
	fn(info);
	local_irq_restore(flags);
	return 0;
}

void smp_call_function(smp_call_func_t fn, void *info, bool wait)
{
}

void on_each_cpu(smp_call_func_t fn, void *info, bool wait)
{
	smp_call_function_single(smp_processor_id(), fn, info, wait);
}

void smp_run_on_all_cpus(void (*fn)(void *arg, int cpu), void *arg)
{
	fn(arg, smp_processor_id());
}
