/* Time for clock_gettime and nanosleep. 64-bit fields in both builds, so
 * i386 has no 2038 problem and one layout serves every build. */
#ifndef _UAPI_PAGODA_TIME_H
#define _UAPI_PAGODA_TIME_H

#include "types.h"     /* relative: the kernel sees uapi/pagoda/, user space pagoda/ */

#define CLOCK_MONOTONIC 1       /* time since boot (the TSC), never steps; the only clock */

struct timespec {
	__s64 tv_sec;
	__s64 tv_nsec;          /* 0 .. 999999999 */
};

#endif
