/* Paths (path.c, pure: the host tests run it; cwd.c keeps the cwd). */
#ifndef USER_LIB_PATH_H
#define USER_LIB_PATH_H

#include <stddef.h>

/* path made absolute against cwd (itself absolute and canonical) and
 * canonical, lexically as the kernel's mount table wants it: "." and
 * empty components dropped, ".." takes the previous component off ("/.."
 * is "/"), no trailing '/' but "/" itself. 0, or -ENOENT (an empty path)
 * or -ENAMETOOLONG (the result does not fit in size). */
int path_canon(const char *cwd, const char *path, char *out, size_t size);

/* cwd.c: path canonical against the cwd into out, then the mount: its
 * handle (to close), the rest of the path (relative to the mount's root)
 * in rest, and the mount point's length in *mlen (out[0..*mlen) is it,
 * for rename's EXDEV). -1 with errno. */
int path_mount(const char *path, char *out, size_t size, char *rest, size_t rsize, size_t *mlen);

#endif
