/* Fixed-width types. The freestanding compiler headers are allowed in the kernel. */
#ifndef PAGODA_TYPES_H
#define PAGODA_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;   /* not uint64_t: %llu prints it on both builds */
typedef int8_t   s8;
typedef int16_t  s16;
typedef int32_t  s32;
typedef long long s64;

/* A physical address is 64 bits on both builds: i386 RAM can sit above 4 GiB (PAE). */
typedef u64 phys_addr_t;

#ifndef __ssize_t_defined
typedef long ssize_t;
#define __ssize_t_defined
#endif

#endif
