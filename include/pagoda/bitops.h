/* Bit counting (Linux: hweight32 and friends, "Hamming weight"). */
#ifndef PAGODA_BITOPS_H
#define PAGODA_BITOPS_H

#include <pagoda/types.h>

/* The number of bits set in w. Any context. (lib/hweight.c: plain C, so
 * that the i386 build needs no libgcc helper and no POPCNT instruction.) */
unsigned int hweight32(u32 w);
unsigned int hweight64(u64 w);
static inline unsigned int hweight_long(unsigned long w)
{
	return sizeof(w) == 8 ? hweight64(w) : hweight32((u32)w);
}

#endif
