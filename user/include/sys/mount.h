/* The kernel's mount table (<pagoda/unistd.h> 160-163): absolute paths each
 * naming the endpoint of a file server. The calls are the system calls;
 * the `mount` and `umount` programs are their users. */
#ifndef _SYS_MOUNT_H
#define _SYS_MOUNT_H

#include <stddef.h>
#include <pagoda/fs.h>

int mount(const char *path, int ep, const char *source, const char *fstype, unsigned long flags);
/* Only the table: tell the server first (FS_UNMOUNT; `umount` does). */
int umount(const char *path);
/* The mount covering the absolute, canonical path: a new handle to its
 * endpoint, and the rest of the path in rest. */
int mount_open(const char *path, char *rest, size_t size);
/* The index-th mount; -1 with ENOENT past the last. */
int mount_list(unsigned int index, struct mount_info *mi);
/* Sync everything, then FS_UNMOUNT every writable mount, newest first; a
 * line per mount on stdout ("WHO: unmounted PATH"), a failure on stderr.
 * The number of failures. What poweroff and init --run do before the end. */
int umount_all(const char *who);

#endif
