/*
 * fsbench: the file-system rows of `make bench`, the same operations as the
 * Linux peer's run_fs (tools/bench/linux/peer.c) so the columns compare: a
 * 64 MiB file written and fsync'ed, read back cold (after the server has
 * dropped its cache) and cached in 1 MiB read()s, as dd or cat would; then
 * 1000 files of 4 KiB created (one sync at the end) and read back cold.
 * One line "PAGODA <key> <value> <unit>" each (tools/bench/side_by_side.py).
 *
 *   fsbench DIR      DIR: an empty ext2 mount (tools/bench/user_bench.sh
 *                    boots with a fresh 128 MiB image as sda)
 */
#include <errno.h>
#include <pagoda/fs.h>
#include <pagoda_handles.h>
#include <pagoda_ipc.h>
#include <sys/mount.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int failed;

/* The cold rows' "echo 3 > drop_caches": the server of dir writes back
 * and forgets its clean blocks (FS_PRIVATE_DROP, ext2d's own request). */
static int drop_caches(const char *dir)
{
	char rest[MOUNT_PATH_MAX];
	int h = mount_open(dir, rest, sizeof(rest));
	if (h < 0)
		return -1;
	struct ipc_msg m = { .tag = FS_PRIVATE_DROP };
	int r = ipc_call(h, &m);
	handle_close(h);
	if (!r && (m.tag & IPC_LABEL_MASK)) {
		errno = (int)(m.tag & IPC_LABEL_MASK);
		r = -1;
	}
	return r;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static void die(const char *what)
{
	printf("PAGODA-ERROR %s: %s\n", what, strerror(errno));
	exit(1);
}

/* value / 100 with two decimals, so no floating point is needed */
static void report(const char *key, unsigned long long centi, const char *unit)
{
	printf("PAGODA %s %llu.%02llu %s\n", key, centi / 100, centi % 100, unit);
}

static void report_mbs(const char *key, unsigned long long bytes, unsigned long long ns)
{
	/* bytes/ns * 1e9 / 1e6 = bytes * 1000 / ns MB/s; times 100 for two decimals */
	report(key, ns ? bytes * 100000ULL / ns : 0, "MB/s");
}

static unsigned long long read_file(const char *path, char *buf, size_t chunk)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	unsigned long long total = 0;
	ssize_t r;
	while ((r = read(fd, buf, chunk)) > 0)
		total += (unsigned long long)r;
	if (r < 0)
		die("read");
	close(fd);
	return total;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		dprintf(2, "usage: fsbench DIR\n");
		return 2;
	}
	const char *dir = argv[1];
	const size_t chunk = 1 << 20, big = 64u << 20;
	const int files = 1000;
	char path[256], *buf = malloc(chunk);
	if (!buf)
		die("malloc");
	memset(buf, 0x5a, chunk);

	snprintf(path, sizeof(path), "%s/big", dir);
	unsigned long long t = now_ns();
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	for (size_t done = 0; done < big; done += chunk)
		if (write(fd, buf, chunk) != (ssize_t)chunk)
			die("write");
	if (fsync(fd))
		die("fsync");
	close(fd);
	report_mbs("fs.write_sync_64M.mbs", big, now_ns() - t);

	if (drop_caches(dir))
		die("drop_caches");
	t = now_ns();
	unsigned long long got = read_file(path, buf, chunk);
	report_mbs("fs.read_64M_cold.mbs", got, now_ns() - t);
	t = now_ns();
	got = read_file(path, buf, chunk);
	report_mbs("fs.read_64M_cached.mbs", got, now_ns() - t);

	snprintf(path, sizeof(path), "%s/small", dir);
	if (mkdir(path, 0755) && errno != EEXIST)
		die(path);
	t = now_ns();
	for (int i = 0; i < files; i++) {
		snprintf(path, sizeof(path), "%s/small/f%04d", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, 4096) != 4096)
			die(path);
		close(fd);
	}
	sync();
	report("fs.create_1000x4K.us", (now_ns() - t) / 10 / files, "us/file");

	if (drop_caches(dir))
		die("drop_caches");
	t = now_ns();
	for (int i = 0; i < files; i++) {
		snprintf(path, sizeof(path), "%s/small/f%04d", dir, i);
		if (read_file(path, buf, chunk) != 4096)
			die("short small file");
	}
	report("fs.read_1000x4K_cold.us", (now_ns() - t) / 10 / files, "us/file");
	free(buf);
	return failed;
}
