/* The most CPUs the kernel supports. Its own header, so that linker.ld can
 * size the per-CPU areas with it (<pagoda/percpu.h>). */
#ifndef PAGODA_THREADS_H
#define PAGODA_THREADS_H

#define NR_CPUS 8

#endif
