/*
 * Per-CPU areas (<pagoda/percpu.h>): the boot-time copy of the template
 * into every CPU's area, and each CPU's offset. alloc_percpu is in
 * percpu_alloc.c.
 */
#include <pagoda/percpu.h>
#include <pagoda/smp.h>
#include <pagoda/string.h>

unsigned long __per_cpu_offset[NR_CPUS];
DEFINE_PER_CPU(unsigned long, this_cpu_off);

extern char __per_cpu_areas[];

void setup_per_cpu_areas(void)
{
	unsigned long size = __per_cpu_end - __per_cpu_start;
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		char *area = __per_cpu_areas + cpu * size;
		memcpy(area, __per_cpu_start, size);
		__per_cpu_offset[cpu] = (unsigned long)area - (unsigned long)__per_cpu_start;
		per_cpu(this_cpu_off, cpu) = __per_cpu_offset[cpu];
		per_cpu(cpu_number, cpu) = cpu;
	}
}
