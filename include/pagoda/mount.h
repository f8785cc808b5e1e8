/*
 * The kernel's mount table (issue #16, docs/filesystem.md "The mount
 * table"): at most MOUNT_MAX absolute paths, each naming the endpoint of
 * a server that speaks the file protocol (<uapi/pagoda/fs.h>) for
 * everything under it. The kernel walks no path past a mount point: it
 * hands the client the endpoint and the rest of the path. The system
 * calls (mount, umount, mount_open, mount_list: <uapi/pagoda/unistd.h>)
 * are thin wrappers over this API, which the kernel uses itself to mount
 * the initramfs at "/".
 *
 * A mount holds a reference to its endpoint's kobj, counted as an open
 * send handle (the endpoint's server is not told "no senders" while it is
 * mounted); mount_remove drops it. Ids count up from 1 and are never
 * reused in a boot.
 *
 * Calling context: process context, may sleep, unless said otherwise.
 */
#ifndef PAGODA_MOUNT_H
#define PAGODA_MOUNT_H

#include <pagoda/types.h>
#include <uapi/pagoda/fs.h>

struct kobj;

/* The rights of a handle mount_open gives out. */
#define MOUNT_HANDLE_RIGHTS (RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER)

/* ---- paths (kernel/fs/mount_path.c: pure, any context) ---- */

/* 0 if path is a mount point's name: absolute, no empty, "." or ".."
 * component, no trailing '/' but "/" itself; -EINVAL otherwise. Its length
 * is the caller's to check. */
int mount_path_check(const char *path);
/* If mount point mnt covers path (mnt is path or a leading run of its
 * components; "/" covers every absolute path): the rest of path after it,
 * without a leading '/' ("" for mnt itself). Else NULL. */
const char *mount_path_rest(const char *mnt, const char *path);

/* ---- the table (kernel/fs/mount.c) ---- */

/* Mount endpoint obj at path, taking over the caller's reference to obj
 * (kept on success, dropped on failure). path: mount_path_check'ed, at
 * most MOUNT_PATH_MAX - 1 bytes; source and fstype at most MOUNT_NAME_MAX
 * - 1 (longer: -ENAMETOOLONG), flags MOUNT_RDONLY. The new mount's id, or
 * -EINVAL, -ENAMETOOLONG, -EBUSY (path is mounted), -ENOSPC (MOUNT_MAX). */
int mount_add(const char *path, struct kobj *obj, const char *source, const char *fstype,
	      unsigned long flags);
/* Take path out of the table and drop its reference: 0 or -ENOENT. */
int mount_remove(const char *path);
/* The mount with the longest path covering path (absolute): its endpoint
 * with a reference (kobj_put it, or give it to handle_create with
 * MOUNT_HANDLE_RIGHTS, counted as opened), and *rest inside path; NULL
 * and -ENOENT in *err if no mount covers it. Any context. */
struct kobj *mount_lookup(const char *path, const char **rest, long *err);
/* The index-th mount in the order they were made: 0 or -ENOENT. Any context. */
int mount_info_get(unsigned int index, struct mount_info *mi);
/* If obj is mounted: its path into buf (the monitor's `handles`). Any context. */
bool mount_path_of(const struct kobj *obj, char *buf, size_t size);
/* Print the table (the monitor's `mounts`). Any context. */
void show_mounts(void);

/* Boot: serve the initramfs read-only at "/" (kernel/fs/rootfs.c; source
 * and fstype "initramfs", MOUNT_RDONLY), if there is one. */
void rootfs_mount(void);

#endif
