/*
 * CPUs. Pagoda runs on the boot CPU only for now, but per-CPU data is
 * already laid out as arrays indexed by smp_processor_id(), so bringing up
 * the other CPUs later changes this header, not its users.
 */
#ifndef PAGODA_SMP_H
#define PAGODA_SMP_H

#define NR_CPUS 4

/* The running CPU's number, 0..NR_CPUS-1. Stable only while the caller
 * cannot migrate (interrupts off); with one CPU, always 0. */
static inline int smp_processor_id(void)
{
	return 0;
}

#endif
