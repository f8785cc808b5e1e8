/*
 * umount_all: what a clean power-off needs. Every file system is synced,
 * then each writable one is told FS_UNMOUNT (its server writes back, marks
 * the file system clean and leaves the table), the newest mount first so a
 * mount inside another goes before it. Read-only mounts have nothing to
 * write back and stay. Used by /bin/poweroff and by init before it powers
 * off after --run, so an image a test wrote is clean for e2fsck.
 */
#include <errno.h>
#include <pagoda_fd.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

int umount_all(const char *who)
{
	static struct mount_info mounts[MOUNT_MAX];
	unsigned int n = 0;
	int failed = 0;
	sync();
	while (n < MOUNT_MAX && mount_list(n, &mounts[n]) == 0)
		n++;
	while (n--) {
		char rest[MOUNT_PATH_MAX];
		if (mounts[n].flags & MOUNT_RDONLY)
			continue;
		int h = mount_open(mounts[n].path, rest, sizeof(rest));
		struct fs_msg m = { .label = FS_UNMOUNT };
		if (h < 0 || fs_call(h, &m) < 0) {
			dprintf(2, "%s: unmounting %s: %s\n", who, mounts[n].path, strerror(errno));
			failed++;
		} else {
			printf("%s: unmounted %s\n", who, mounts[n].path);
		}
		if (h >= 0)
			handle_close(h);
	}
	return failed;
}
