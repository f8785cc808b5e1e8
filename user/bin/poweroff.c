/* poweroff: sync every file system, unmount the writable ones (FS_UNMOUNT:
 * each server marks its file system clean and exits), then power the
 * machine off (reboot, system call 21): QEMU exits with status 0. */
#include <errno.h>
#include <pagoda_fd.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static struct mount_info mounts[MOUNT_MAX];
	unsigned int n = 0;
	if (argc != 1) {
		dprintf(2, "poweroff: extra operand '%s'\nusage: poweroff\n", argv[1]);
		return 2;
	}
	sync();
	while (n < MOUNT_MAX && mount_list(n, &mounts[n]) == 0)
		n++;
	/* The last made first: a mount inside another goes before it. */
	while (n--) {
		char rest[MOUNT_PATH_MAX];
		if (mounts[n].flags & MOUNT_RDONLY)
			continue;               /* nothing to write back */
		int h = mount_open(mounts[n].path, rest, sizeof(rest));
		struct fs_msg m = { .label = FS_UNMOUNT };
		if (h < 0 || fs_call(h, &m) < 0)
			dprintf(2, "poweroff: unmounting %s: %s\n", mounts[n].path, strerror(errno));
		else
			printf("poweroff: unmounted %s\n", mounts[n].path);
		if (h >= 0)
			handle_close(h);
	}
	reboot(RB_POWER_OFF);
	dprintf(2, "poweroff: %s\n", strerror(errno));
	return 1;
}
