/*
 * blk: disks through the block service (<pagoda_blk.h>, docs/block.md "The
 * block service"), from user space, whichever back end serves them.
 *
 *   blk                                        the disks: name, size, back end
 *   blk crc <disk> <sector> <count>            CRC-32 of sectors (the monitor's dcrc)
 *   blk write <disk> <sector> <count> <seed>   write the test pattern (the monitor's dwrite)
 *   blk bench [disk]                           4 KiB QD1 IOPS and 1 MiB MB/s
 *
 * A disk is a handle named in HANDLES: "blk0", "blk1"... as init gives
 * them. A process holding the device root ("devroot": usertests or blk as
 * init) opens disk N itself with blkdev_open (the kernel back end), under
 * the same names.
 */
#include <errno.h>
#include <pagoda_blk.h>
#include <pagoda_handles.h>
#include <pagoda_ipc.h>
#include <pagoda_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define MAX_DISKS   8
#define CHUNK_BYTES (1UL << 20)         /* crc and write go through one 1 MiB buffer */

/* Disk n's endpoint: "blk<n>" from HANDLES, else opened through the device root. */
static int disk_handle(unsigned int n)
{
	char name[16];
	snprintf(name, sizeof(name), "blk%u", n);
	int h = handle_named(name);
	if (h >= 0)
		return h;
	int root = handle_named("devroot");
	return root < 0 ? -1 : blkdev_open(root, n);
}

/* "blk0" or "0": the disk's endpoint, or -1 after saying why. */
static int open_disk(const char *arg, struct blk_info *info)
{
	const char *num = strncmp(arg, "blk", 3) ? arg : arg + 3;
	char *end;
	unsigned long n = strtoul(num, &end, 10);
	if (!*num || *end || n >= MAX_DISKS) {
		printf("blk: no disk '%s' (blk0, blk1...)\n", arg);
		return -1;
	}
	int h = disk_handle((unsigned int)n);
	if (h < 0 || blk_info(h, info)) {
		printf("blk: blk%lu: %s\n", n, errname(errno));
		return -1;
	}
	return h;
}

static int list(void)
{
	int found = 0;
	printf("name      sectors       MiB  max-req  back end\n");
	for (unsigned int n = 0; n < MAX_DISKS; n++) {
		struct blk_info info;
		int h = disk_handle(n);
		if (h < 0 || blk_info(h, &info))
			continue;
		printf("blk%-4u %9lu %9lu  %6uK  %s%s\n", n, info.sectors, info.sectors >> 11,
		       info.max_sectors / 2, info.flags & BLK_INFO_USER ? "user" : "kernel",
		       info.flags & BLK_INFO_NCQ ? ", NCQ" : "");
		found++;
	}
	if (!found)
		printf("no disks (no blk<N> handles and no devroot)\n");
	return 0;
}

/* Parse <sector> <count> against the disk; 0 or -1 after saying why. */
static int parse_range(char **argv, const struct blk_info *info, unsigned long *sector, unsigned long *count)
{
	char *e1, *e2;
	*sector = strtoul(argv[0], &e1, 0);
	*count = strtoul(argv[1], &e2, 0);
	if (*e1 || *e2 || !*count || *sector >= info->sectors || *count > info->sectors - *sector) {
		printf("blk: sectors %s + %s are not on the disk (%lu sectors)\n", argv[0], argv[1], info->sectors);
		return -1;
	}
	return 0;
}

static unsigned char *chunk_buffer(void)
{
	void *p = mmap(NULL, CHUNK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* The sectors, read a request (at most 1 MiB) at a time. */
static int crc(char **argv)
{
	struct blk_info info;
	unsigned long sector, count;
	int h = open_disk(argv[0], &info);
	unsigned char *buf = chunk_buffer();
	if (h < 0 || !buf || parse_range(argv + 1, &info, &sector, &count))
		return 1;
	unsigned int crc = 0, step = CHUNK_BYTES / 512 < info.max_sectors ? CHUNK_BYTES / 512 : info.max_sectors;
	for (unsigned long done = 0; done < count; done += step) {
		unsigned int n = count - done < step ? (unsigned int)(count - done) : step;
		if (blk_read_buf(h, buf, sector + done, n)) {
			printf("blk crc: %s: error %s at sector %lu\n", argv[0], errname(errno), sector + done);
			return 1;
		}
		crc = crc32(crc, buf, (size_t)n * 512);
	}
	printf("blk crc %s %lu %lu: crc32 %08x\n", argv[0], sector, count, crc);
	return 0;
}

static int write_pattern(char **argv)
{
	struct blk_info info;
	unsigned long sector, count;
	char *end;
	unsigned long seed = strtoul(argv[3], &end, 0);
	int h = open_disk(argv[0], &info);
	unsigned char *buf = chunk_buffer();
	if (*end || h < 0 || !buf || parse_range(argv + 1, &info, &sector, &count))
		return 1;
	unsigned int step = CHUNK_BYTES / 512 < info.max_sectors ? CHUNK_BYTES / 512 : info.max_sectors;
	for (unsigned long done = 0; done < count; done += step) {
		unsigned int n = count - done < step ? (unsigned int)(count - done) : step;
		disk_pattern_fill(buf, sector + done, n, (unsigned int)seed);
		if (blk_write_buf(h, buf, sector + done, n)) {
			printf("blk write: %s: error %s at sector %lu\n", argv[0], errname(errno), sector + done);
			return 1;
		}
	}
	if (blk_flush(h)) {
		printf("blk write: %s: flush: %s\n", argv[0], errname(errno));
		return 1;
	}
	printf("blk write %s %lu %lu seed %lu: ok\n", argv[0], sector, count, seed);
	return 0;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* Sequential reads of size bytes, one at a time (QD1), into one memory
 * object made once (as a server would): the cost of the protocol and the
 * disk, not of pinning. Prints IOPS and MB/s rows for tools/bench. */
static int bench_reads(int h, const struct blk_info *info, int mo, unsigned int size, unsigned long total,
		       const char *key)
{
	unsigned int count = size / 512;
	unsigned long sector = 0, n = total / size;
	unsigned long long t0 = now_ns();
	for (unsigned long i = 0; i < n; i++) {
		if (sector + count > info->sectors)
			sector = 0;
		if (blk_read(h, mo, 0, sector, count)) {
			printf("PAGODA-ERROR blk bench: read at %lu: %s\n", sector, errname(errno));
			return 1;
		}
		sector += count;
	}
	unsigned long long ns = now_ns() - t0;
	ns = ns ? ns : 1;
	const char *backend = info->flags & BLK_INFO_USER ? "user" : "kernel";
	printf("PAGODA blk.user_%s_%s.iops %llu IOPS\n", backend, key, (unsigned long long)n * 1000000000ULL / ns);
	unsigned long long kbs = (unsigned long long)n * size * 1000000ULL / ns;        /* bytes per ms */
	printf("PAGODA blk.user_%s_%s.mbs %llu.%02llu MB/s\n", backend, key, kbs / 1000, kbs % 1000 / 10);
	return 0;
}

static int bench(const char *disk)
{
	struct blk_info info;
	int h = open_disk(disk, &info);
	unsigned char *buf = chunk_buffer();
	if (h < 0 || !buf)
		return 1;
	int mo = memobj_from_user(buf, CHUNK_BYTES, PROT_READ | PROT_WRITE);
	if (mo < 0) {
		printf("PAGODA-ERROR blk bench: memobj_from_user: %s\n", errname(errno));
		return 1;
	}
	int r = bench_reads(h, &info, mo, 4096, 8UL << 20, "4K") ||
		bench_reads(h, &info, mo, 1UL << 20, 32UL << 20, "1M");
	handle_close(mo);
	return r;
}

int main(int argc, char **argv)
{
	if (argc == 1)
		return list();
	if (!strcmp(argv[1], "crc") && argc == 5)
		return crc(argv + 2);
	if (!strcmp(argv[1], "write") && argc == 6)
		return write_pattern(argv + 2);
	if (!strcmp(argv[1], "bench") && argc <= 3)
		return bench(argc == 3 ? argv[2] : "blk0");
	printf("usage: blk | blk crc <disk> <sector> <count> | blk write <disk> <sector> <count> <seed> |"
	       " blk bench [disk]\n");
	return 2;
}
