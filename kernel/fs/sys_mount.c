/*
 * The mount table's system calls, mount, umount, mount_open and
 * mount_list (160-163; their contract is in <uapi/pagoda/unistd.h>):
 * copies in and out around kernel/fs/mount.c.
 */
#include <pagoda/errno.h>
#include <pagoda/ipc.h>
#include <pagoda/mount.h>
#include <pagoda/slab.h>
#include <pagoda/syscalls.h>
#include <pagoda/uaccess.h>
#include <pagoda/string.h>

#define LOOKUP_PATH_MAX 4096            /* mount_open's path, as Linux's PATH_MAX */

/* A string from user space into buf (size bytes): its length, or -EFAULT,
 * -ENAMETOOLONG (it does not fit). */
static long get_string(char *buf, const char __user *u, long size)
{
	long n = strncpy_from_user(buf, u, size);
	if (n >= size)
		return -ENAMETOOLONG;
	return n;
}

/* A mount point's path from user space: checked, or -errno. */
static long get_mount_path(char *buf, const char __user *u)
{
	long n = get_string(buf, u, MOUNT_PATH_MAX);
	if (n < 0)
		return n;
	return mount_path_check(buf);
}

SYSCALL_DEFINE5(mount, const char __user *, upath, int, ep, const char __user *, usource,
		const char __user *, ufstype, unsigned long, flags)
{
	char path[MOUNT_PATH_MAX], source[MOUNT_NAME_MAX], fstype[MOUNT_NAME_MAX];
	long err = get_mount_path(path, upath);
	if (err)
		return err;
	if ((err = get_string(source, usource, sizeof(source))) < 0 ||
	    (err = get_string(fstype, ufstype, sizeof(fstype))) < 0)
		return err;
	if (flags & ~(unsigned long)MOUNT_RDONLY)
		return -EINVAL;
	struct kobj *obj = handle_get(ep, HANDLE_TYPE_ENDPOINT, RIGHT_SEND, &err);
	if (!obj)
		return err;
	/* A loan is one call's: the table would keep it past its end. */
	struct handle_info hi;
	if (handle_info(ep, &hi) || (hi.flags & HANDLE_INFO_LENT)) {
		kobj_put(obj);
		return -EPERM;
	}
	err = mount_add(path, obj, source, fstype, flags);
	return err < 0 ? err : 0;
}

SYSCALL_DEFINE1(umount, const char __user *, upath)
{
	char path[MOUNT_PATH_MAX];
	long err = get_mount_path(path, upath);
	if (err == -ENAMETOOLONG)
		return -ENOENT;                 /* too long to be a mount point */
	return err ? err : mount_remove(path);
}

SYSCALL_DEFINE3(mount_open, const char __user *, upath, char __user *, urest, size_t, size)
{
	char *path = kmalloc(LOOKUP_PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	long err = get_string(path, upath, LOOKUP_PATH_MAX);
	if (err >= 0)
		err = mount_path_check(path);
	if (err)
		goto out;
	const char *rest;
	struct kobj *obj = mount_lookup(path, &rest, &err);
	if (!obj)
		goto out;
	size_t n = strlen(rest) + 1;
	if (n > size) {
		err = -ENAMETOOLONG;
	} else if (copy_to_user(urest, rest, n)) {
		err = -EFAULT;
	} else {
		err = handle_create(obj, MOUNT_HANDLE_RIGHTS);
		obj = NULL;                     /* the handle's now, or dropped */
	}
	if (obj)
		kobj_put(obj);
out:
	kfree(path);
	return err;
}

SYSCALL_DEFINE2(mount_list, unsigned int, index, struct mount_info __user *, umi)
{
	struct mount_info mi;
	int err = mount_info_get(index, &mi);
	if (err)
		return err;
	return copy_to_user(umi, &mi, sizeof(mi)) ? -EFAULT : 0;
}
