/*
 * CPUs and cross-CPU calls (the contract in docs/smp.md). Per-CPU data is
 * laid out as arrays indexed by smp_processor_id().
 *
 * Until the other CPUs are brought up, kernel/smp_up_stub.c provides
 * single-CPU stand-ins with the same semantics.
 */
#ifndef PAGODA_SMP_H
#define PAGODA_SMP_H

#include <pagoda/types.h>

#define NR_CPUS 8                       /* the most CPUs supported */

/* The running CPU's number, 0..NR_CPUS-1 (the boot CPU is 0). Stable only
 * while the caller cannot migrate (interrupts off); with one CPU, always 0. */
static inline int smp_processor_id(void)
{
	return 0;
}

unsigned int num_online_cpus(void);
bool cpu_online(int cpu);
#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++) if (!cpu_online(cpu)) {} else

typedef void (*smp_call_func_t)(void *info);
/* Run fn(info) on cpu (self: directly, interrupts off). With wait, return
 * after fn has returned there. fn runs in interrupt context, interrupts off. */
int smp_call_function_single(int cpu, smp_call_func_t fn, void *info, bool wait);
/* The same on every other online CPU. */
void smp_call_function(smp_call_func_t fn, void *info, bool wait);
/* The same on every online CPU, this one included (interrupts off here too).
 * May be called with interrupts disabled: while waiting, the caller answers
 * calls sent to itself. Must not be called holding a spinlock that another
 * CPU may spin on with interrupts disabled: that CPU cannot answer. */
void on_each_cpu(smp_call_func_t fn, void *info, bool wait);

/* Run fn(arg, cpu) concurrently on every online CPU in thread context with
 * interrupts enabled (the caller's CPU too); return when all have finished. */
void smp_run_on_all_cpus(void (*fn)(void *arg, int cpu), void *arg);

#endif
