/* poweroff: sync every file system, unmount the writable ones (FS_UNMOUNT:
 * each server marks its file system clean and exits), then power the
 * machine off (reboot, system call 21): QEMU exits with status 0. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 1) {
		dprintf(2, "poweroff: extra operand '%s'\nusage: poweroff\n", argv[1]);
		return 2;
	}
	umount_all("poweroff");
	reboot(RB_POWER_OFF);
	dprintf(2, "poweroff: %s\n", strerror(errno));
	return 1;
}
