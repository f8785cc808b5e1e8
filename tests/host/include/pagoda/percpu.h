/*
 * Host shim for <pagoda/percpu.h>, laid out as the kernel does it: per-CPU
 * variables are gathered in one section (host_percpu; the linker provides
 * __start_/__stop_ symbols for a section named like a C identifier, and
 * neither GCC's nor clang's ASan pads such globals), a constructor copies
 * that template into NR_CPUS areas from malloc, and CPU n's copy of a
 * variable is at its address plus host_per_cpu_offset[n]. per_cpu_ptr()
 * is therefore the same addition as in the kernel, which keeps the
 * callgrind counts of tools/bench comparable. "This CPU" is host_cpu
 * (<pagoda/smp.h>): a test plays several CPUs by switching it.
 * alloc_percpu is the kernel's own (mm/percpu_alloc.c, in its reserve).
 */
#ifndef HOST_SHIM_PAGODA_PERCPU_H
#define HOST_SHIM_PAGODA_PERCPU_H

#include <stdlib.h>
#include <string.h>
#include <pagoda/types.h>

#ifndef NR_CPUS
#define NR_CPUS 8
#endif
#define SMP_CACHE_BYTES 64
#define ____cacheline_aligned __attribute__((aligned(SMP_CACHE_BYTES)))
#define __percpu

#define DEFINE_PER_CPU(type, name) __attribute__((section("host_percpu"))) __typeof__(type) name
#define DEFINE_PER_CPU_ALIGNED(type, name) DEFINE_PER_CPU(type, name) ____cacheline_aligned
#define DEFINE_PER_CPU_PAGE_ALIGNED(type, name) DEFINE_PER_CPU(type, name) __attribute__((aligned(4096)))
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name

extern char __start_host_percpu[] __attribute__((weak));
extern char __stop_host_percpu[] __attribute__((weak));
static unsigned long host_per_cpu_offset[NR_CPUS] __attribute__((unused));
static char *host_per_cpu_areas __attribute__((unused));

/* Each area starts at the template's address modulo a page, so copies keep
 * the template's alignment. */
static void __attribute__((constructor, unused)) host_setup_per_cpu_areas(void)
{
	unsigned long start = (unsigned long)__start_host_percpu;
	unsigned long size = ((unsigned long)__stop_host_percpu - start + 4095) & ~4095UL;
	if (!size)
		return;
	host_per_cpu_areas = malloc(NR_CPUS * size + 4096);
	if (!host_per_cpu_areas)
		abort();
	unsigned long base = (unsigned long)host_per_cpu_areas;
	base += (start - base) & 4095;
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		memcpy((char *)base + cpu * size, __start_host_percpu, __stop_host_percpu - __start_host_percpu);
		host_per_cpu_offset[cpu] = base + cpu * size - start;
	}
}

static void __attribute__((destructor, unused)) host_free_per_cpu_areas(void)
{
	free(host_per_cpu_areas);
}

#define per_cpu_offset(cpu)    (host_per_cpu_offset[cpu])
#define per_cpu_ptr(ptr, cpu)  ((__typeof__(ptr))((unsigned long)(ptr) + per_cpu_offset(cpu)))
#define this_cpu_ptr(ptr)      per_cpu_ptr(ptr, smp_processor_id())
#define per_cpu(var, cpu)      (*per_cpu_ptr(&(var), cpu))
#define this_cpu_read(var)     per_cpu(var, smp_processor_id())
#define this_cpu_read_stable(var) this_cpu_read(var)
#define this_cpu_write(var, v) (per_cpu(var, smp_processor_id()) = (v))
#define this_cpu_add(var, v)   (per_cpu(var, smp_processor_id()) += (v))
#define this_cpu_sub(var, v)   (per_cpu(var, smp_processor_id()) -= (v))
#define this_cpu_inc(var)      this_cpu_add(var, 1)
#define this_cpu_dec(var)      this_cpu_sub(var, 1)

#define PERCPU_DYNAMIC_SIZE 16384
void __percpu *__alloc_percpu(size_t size, size_t align);
#define alloc_percpu(type) \
	((__typeof__(type) __percpu *)__alloc_percpu(sizeof(type), __alignof__(type)))
void free_percpu(void __percpu *ptr);
size_t percpu_dynamic_used(void);

#endif
