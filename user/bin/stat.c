/* stat FILE...: what the server says of each (lstat: a link itself), in
 * the shape of GNU stat's default output. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *type_name(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "regular file";
	case S_IFDIR: return "directory";
	case S_IFLNK: return "symbolic link";
	case S_IFIFO: return "fifo";
	case S_IFCHR: return "character special file";
	case S_IFBLK: return "block special file";
	case S_IFSOCK: return "socket";
	}
	return "unknown";
}

int main(int argc, char **argv)
{
	int status = 0;
	if (argc == 1) {
		dprintf(2, "stat: missing an operand\nusage: stat FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		char target[PATH_MAX];
		if (lstat(argv[i], &st) < 0) {
			dprintf(2, "stat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		ssize_t n = S_ISLNK(st.st_mode) ? readlink(argv[i], target, sizeof(target) - 1) : -1;
		if (n >= 0)
			target[n] = '\0';
		printf("  File: %s%s%s\n", argv[i], n >= 0 ? " -> " : "", n >= 0 ? target : "");
		printf("  Size: %lld\tBlocks: %llu\tIO Block: %u\t%s\n", st.st_size, st.st_blocks,
		       st.st_blksize, type_name(st.st_mode));
		printf("Device: %u\tInode: %llu\tLinks: %u\n", st.st_dev, st.st_ino, st.st_nlink);
		printf("Access: (%04o)\tUid: %u\tGid: %u\n", st.st_mode & 07777, st.st_uid, st.st_gid);
		printf("Access: %lld\nModify: %lld\nChange: %lld\n", st.st_atime, st.st_mtime, st.st_ctime);
	}
	return status;
}
