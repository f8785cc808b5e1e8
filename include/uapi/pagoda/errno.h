/*
 * Error numbers, the one list for the kernel (include/pagoda/errno.h includes
 * it) and user space. The numbers and names are Linux's (asm-generic/errno-base.h
 * and errno.h), so a student's errno table, strace habits and man pages apply.
 * A system call that fails returns -ENAME in the result register; the user
 * library stores ENAME in errno and returns -1 (docs/user-space.md).
 */
#ifndef _UAPI_PAGODA_ERRNO_H
#define _UAPI_PAGODA_ERRNO_H

#define EPERM            1      /* operation not permitted (a handle lacks a right) */
#define ENOENT           2      /* no such file or directory */
#define ESRCH            3      /* no such process */
#define EINTR            4      /* interrupted system call */
#define EIO              5      /* I/O error */
#define ENXIO            6      /* no such device or address */
#define E2BIG            7      /* argument list too long */
#define ENOEXEC          8      /* exec format error (the ELF checks) */
#define EBADF            9      /* bad handle or file descriptor */
#define ECHILD          10      /* no child processes (wait) */
#define EAGAIN          11      /* try again (process limit: fork) */
#define ENOMEM          12      /* out of memory */
#define EACCES          13      /* permission denied */
#define EFAULT          14      /* bad address (a user pointer) */
#define EBUSY           16      /* device or resource busy */
#define EEXIST          17      /* file exists */
#define EXDEV           18      /* cross-device link */
#define ENODEV          19      /* no such device */
#define ENOTDIR         20      /* not a directory */
#define EISDIR          21      /* is a directory */
#define EINVAL          22      /* invalid argument */
#define ENFILE          23      /* file table overflow */
#define EMFILE          24      /* too many open files (handle table full) */
#define ENOTTY          25      /* not a typewriter */
#define EFBIG           27      /* file too large */
#define ENOSPC          28      /* no space left on device */
#define ESPIPE          29      /* illegal seek */
#define EROFS           30      /* read-only file system */
#define EMLINK          31      /* too many links */
#define EPIPE           32      /* broken pipe (the other end of an endpoint died) */
#define EDOM            33      /* argument out of domain */
#define ERANGE          34      /* result not representable */
#define EDEADLK         35      /* resource deadlock would occur */
#define ENAMETOOLONG    36      /* file name too long */
#define ENOSYS          38      /* no such system call (or a reserved, unimplemented one) */
#define ENOTEMPTY       39      /* directory not empty */
#define ELOOP           40      /* too many symbolic links */
#define EOVERFLOW       75      /* value too large for the type */
#define EMSGSIZE        90      /* message too long (an IPC buffer over IPC_BUF_MAX) */
#define EOPNOTSUPP      95      /* operation not supported */
#define ENOTSUP         EOPNOTSUPP
#define ETIMEDOUT      110      /* timed out (an IPC timeout) */
#define ECONNRESET     104      /* the peer of an IPC call died */
#define EUCLEAN        117      /* structure needs cleaning (a corrupt file system) */

/* A system-call result r is an error iff it is in [-MAX_ERRNO, -1]. */
#define MAX_ERRNO     4095

#endif
