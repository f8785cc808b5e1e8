/*
 * mount: list the mount table as Linux does, "source on path type fstype
 * (ro|rw)". mount [-o cache=KIB] DISK PATH: start /bin/ext2d for disk DISK
 * (the number of the block service's disk, blkN as `blk` lists them; its
 * block cache KIB KiB, else ext2d's default) to serve PATH, and wait
 * until it is in the table (or has died). ext2d reaches the disk through
 * the handle we pass it as "blk": our "blkN" (init gives the shell one
 * per disk), or else "devroot" if we hold the device root.
 */
#include <errno.h>
#include <limits.h>
#include <pagoda_handles.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#define WAIT_ROUNDS 400         /* 20 s in 50 ms naps: a server reading a big disk's bitmaps */

static int list(void)
{
	struct mount_info mi;
	unsigned int i;
	for (i = 0; mount_list(i, &mi) == 0; i++)
		printf("%s on %s type %s (%s)\n", mi.source, mi.path, mi.fstype,
		       mi.flags & MOUNT_RDONLY ? "ro" : "rw");
	if (errno != ENOENT) {
		dprintf(2, "mount: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

static int mounted(const char *path)
{
	struct mount_info mi;
	for (unsigned int i = 0; mount_list(i, &mi) == 0; i++)
		if (!strcmp(mi.path, path))
			return 1;
	return 0;
}

#define USAGE "usage: mount [[-o cache=KIB] DISK PATH]\n"

int main(int argc, char **argv)
{
	if (argc == 1)
		return list();
	char cache[24] = "";
	if (argc > 2 && !strcmp(argv[1], "-o")) {
		char *end;
		unsigned long kb = strncmp(argv[2], "cache=", 6) ? 0 : strtoul(argv[2] + 6, &end, 10);
		if (!kb || *end) {
			dprintf(2, "mount: bad option '%s' (cache=KIB is the one there is)\n" USAGE, argv[2]);
			return 2;
		}
		snprintf(cache, sizeof(cache), "%lu", kb);
		argv += 2;
		argc -= 2;
	}
	if (argc != 3) {
		dprintf(2, "mount: %s\n" USAGE, argc < 3 ? "missing PATH" : "too many operands");
		return 2;
	}
	char disk[16], *end;
	long n = strtol(argv[1], &end, 10);
	if (!*argv[1] || *end || n < 0) {
		dprintf(2, "mount: bad disk '%s' (a number: blkN as `blk` lists them)\n" USAGE, argv[1]);
		return 2;
	}
	if (argv[2][0] != '/') {
		dprintf(2, "mount: %s: the mount point must be an absolute path\n", argv[2]);
		return 2;
	}
	snprintf(disk, sizeof(disk), "%ld", n);
	char *args[] = { "ext2d", "--disk", disk, "--mount", argv[2], cache[0] ? "--cache-kb" : NULL, cache, NULL };
	static char handles[128];
	char blk[16], *envp[] = { "PATH=/bin", handles, NULL };
	struct handle_name names[2];
	int nn = 0, h;
	snprintf(blk, sizeof(blk), "blk%ld", n);
	if ((h = handle_named(blk)) > 0)
		names[nn++] = (struct handle_name){ "blk", h };
	else if ((h = handle_named("devroot")) > 0)
		names[nn++] = (struct handle_name){ "devroot", h };
	else {
		dprintf(2, "mount: no handle for disk %s (neither \"%s\" nor \"devroot\" in HANDLES)\n", argv[1], blk);
		return 1;
	}
	if ((h = handle_named("console")) > 0)
		names[nn++] = (struct handle_name){ "console", h };
	if (handles_format(handles, sizeof(handles), names, nn) < 0) {
		dprintf(2, "mount: HANDLES: %s\n", strerror(errno));
		return 1;
	}
	int pid = fork();
	if (pid == 0) {
		execve("/bin/ext2d", args, envp);
		dprintf(2, "mount: /bin/ext2d: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		dprintf(2, "mount: fork: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < WAIT_ROUNDS; i++) {
		int status;
		if (mounted(argv[2]))
			return 0;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			dprintf(2, "mount: ext2d for disk %s ended (status %d) without mounting %s\n", argv[1],
				WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), argv[2]);
			return 1;
		}
		usleep(50000);
	}
	dprintf(2, "mount: %s did not appear in the mount table\n", argv[2]);
	return 1;
}
