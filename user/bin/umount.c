/* umount PATH: ask the file server mounted at PATH to unmount (FS_UNMOUNT:
 * it syncs, marks its file system clean, leaves the mount table and exits). */
#include <errno.h>
#include <limits.h>
#include <pagoda_fd.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	char canon[PATH_MAX], rest[PATH_MAX];
	if (argc != 2) {
		dprintf(2, "umount: %s\nusage: umount PATH\n", argc < 2 ? "missing an operand" : "too many operands");
		return 2;
	}
	int h = fs_path_mount(argv[1], canon, sizeof(canon), rest, sizeof(rest));
	if (h < 0) {
		dprintf(2, "umount: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (rest[0]) {
		dprintf(2, "umount: %s: not a mount point\n", argv[1]);
		return 1;
	}
	struct fs_msg m = { .label = FS_UNMOUNT };
	if (fs_call(h, &m) < 0) {
		dprintf(2, "umount: %s: %s\n", canon, strerror(errno));
		return 1;
	}
	handle_close(h);
	return 0;
}
