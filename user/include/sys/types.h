/* The POSIX integer types of the file calls. off_t is 64-bit on every
 * build: the file protocol's offsets are (<pagoda/fs.h>). */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>

typedef long ssize_t;
typedef int pid_t;
typedef long long off_t;
typedef unsigned int mode_t;
typedef unsigned long long ino_t;
typedef unsigned int dev_t;
typedef long long time_t;

#endif
