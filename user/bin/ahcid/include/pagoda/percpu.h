/* ahcid: one thread, so one "CPU": a per-CPU variable is a variable. */
#ifndef AHCID_PAGODA_PERCPU_H
#define AHCID_PAGODA_PERCPU_H

#include <pagoda/slab.h>

#define __percpu
#define alloc_percpu(type)      ((type *)kzalloc(sizeof(type), GFP_KERNEL))
#define this_cpu_ptr(p)         (p)

#endif
