/* open() and its flags (Linux's values, <pagoda/fs.h>). A file is a handle
 * to an open file of a file server (docs/user-space.md "Files"). */
#ifndef _FCNTL_H
#define _FCNTL_H

#include <pagoda/fs.h>

/* open(path, flags[, mode]): the lowest free fd, or -1 with errno: the
 * server's (ENOENT, EEXIST, EISDIR, ENOTDIR, EROFS ...), ENOENT (no mount
 * covers the path), ENAMETOOLONG, EMFILE (no free fd). */
int open(const char *path, int flags, ...);
int creat(const char *path, unsigned int mode);

#endif
