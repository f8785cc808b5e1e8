/*
 * Host shim for <pagoda/smp.h>: a host test is one thread, but it can play
 * several CPUs in turn. host_cpu is "the running CPU" (tests switch it to
 * allocate on one CPU and free on another); host_nr_cpus CPUs are online,
 * and a call "on each CPU" runs the function once as each of them.
 */
#ifndef HOST_SHIM_PAGODA_SMP_H
#define HOST_SHIM_PAGODA_SMP_H

#include <pagoda/types.h>

#define NR_CPUS 8
#include <pagoda/percpu.h>

static int host_cpu __attribute__((unused));
static unsigned int host_nr_cpus __attribute__((unused)) = 1;

static inline int smp_processor_id(void) { return host_cpu; }
static inline unsigned int num_online_cpus(void) { return host_nr_cpus; }
static inline bool cpu_online(int cpu) { return cpu >= 0 && (unsigned int)cpu < host_nr_cpus; }
#define for_each_online_cpu(cpu) for ((cpu) = 0; (unsigned int)(cpu) < host_nr_cpus; (cpu)++)

typedef void (*smp_call_func_t)(void *info);

static inline int smp_call_function_single(int cpu, smp_call_func_t fn, void *info, bool wait)
{
	int self = host_cpu;
	host_cpu = cpu;
	fn(info);
	host_cpu = self;
	return 0;
}

static inline void on_each_cpu(smp_call_func_t fn, void *info, bool wait)
{
	for (unsigned int cpu = 0; cpu < host_nr_cpus; cpu++)
		smp_call_function_single((int)cpu, fn, info, wait);
}

static inline void smp_call_function(smp_call_func_t fn, void *info, bool wait)
{
	for (unsigned int cpu = 0; cpu < host_nr_cpus; cpu++)
		if ((int)cpu != host_cpu)
			smp_call_function_single((int)cpu, fn, info, wait);
}

#endif
