#ifndef _TIME_H
#define _TIME_H

#include <pagoda/time.h>

typedef int clockid_t;

int clock_gettime(clockid_t clock, struct timespec *tp);
int nanosleep(const struct timespec *req, struct timespec *rem);

#endif
