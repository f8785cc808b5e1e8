/*
 * Reading (or writing) kernel memory that may not be mapped (or is
 * read-only), without a bug report: for
 * tests that must prove an address faults (a freed vmalloc mapping after
 * the TLB shootdown) and for debuggers. Like Linux's
 * copy_from_kernel_nofault, for one word.
 */
#ifndef PAGODA_NOFAULT_H
#define PAGODA_NOFAULT_H

#include <pagoda/smp.h>

/* 0 and *val = the word at addr, or -EFAULT if reading it faulted (then
 * *val is untouched). Any context. */
int __read_kernel_nofault(unsigned long *val, const void *addr);
static inline int read_kernel_nofault(unsigned long *val, const void *addr)
{
	return __read_kernel_nofault(val, addr);
}

/* 0 after writing val at addr, or -EFAULT if the write faulted (not
 * mapped, or mapped read-only). Any context. */
int __write_kernel_nofault(void *addr, unsigned long val);
static inline int write_kernel_nofault(void *addr, unsigned long val)
{
	return __write_kernel_nofault(addr, val);
}

/* Faults each CPU has taken (and survived) in read_kernel_nofault. */
DECLARE_PER_CPU(unsigned long, nofault_faults);

#endif
