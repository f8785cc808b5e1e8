/* df: each mount's size, use and free space in 1 KiB blocks (statfs). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>

int main(int argc, char **argv)
{
	struct mount_info mi;
	int status = 0;
	if (argc != 1) {
		dprintf(2, "df: extra operand '%s'\nusage: df\n", argv[1]);
		return 2;
	}
	printf("Filesystem 1K-blocks Used Available Use%% Mounted on\n");
	for (unsigned int i = 0; mount_list(i, &mi) == 0; i++) {
		struct statfs st;
		if (statfs(mi.path, &st) < 0) {
			dprintf(2, "df: %s: %s\n", mi.path, strerror(errno));
			status = 1;
			continue;
		}
		unsigned long long size = st.f_blocks * st.f_bsize / 1024, avail = st.f_bavail * st.f_bsize / 1024;
		unsigned long long used = (st.f_blocks - st.f_bfree) * st.f_bsize / 1024;
		unsigned long long pct = used + avail ? (used * 100 + used + avail - 1) / (used + avail) : 0;
		printf("%s %llu %llu %llu %llu%% %s\n", mi.source, size, used, avail, pct, mi.path);
	}
	if (errno != ENOENT) {
		dprintf(2, "df: mount_list: %s\n", strerror(errno));
		return 1;
	}
	return status;
}
