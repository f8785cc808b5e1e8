/* errno: set by a failing library call (Linux's numbers, <pagoda/errno.h>). */
#ifndef _ERRNO_H
#define _ERRNO_H

#include <pagoda/errno.h>

extern int errno;       /* one thread per process for now: a plain global */

#endif
