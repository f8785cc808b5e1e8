/* utimes: a file's access and modification times (FS_UTIMES), in seconds. */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include <sys/types.h>

struct timeval {
	time_t tv_sec;
	long tv_usec;
};

/* times NULL: now (what touch does). */
int utimes(const char *path, const struct timeval times[2]);

#endif
