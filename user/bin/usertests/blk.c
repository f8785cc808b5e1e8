/*
 * usertests, suite ublk: the block service (docs/block.md "The block
 * service") through the client library, as any program sees it. usertests
 * runs as init with the device root ("devroot" in HANDLES) and opens the
 * runner's disk itself (blkdev_open: the kernel back end; the first disk
 * of 16 MiB, as the RAM disk comes first); a "blk0" handle in HANDLES
 * (given by init, either back end) is used instead when there is one.
 *
 * The ublk boots (tests/manifest.d/blksvc.ini) attach one 16 MiB disk made
 * with the documented pattern (tools/disk_pattern.py, seed 0), so every
 * read is checked against the pattern computed here, and the writes are
 * checked again on the host image after QEMU exits (`after`). Regions:
 *   [0, 16384)        read only (pattern seed 0)
 *   [16384, +64)      write_read_back, seed 119
 *   [24576, +8192)    multi_mib_write_read, 4 MiB in one request, seed 5
 * Without a disk or a device root the cases skip and say why.
 */
#include "utest.h"
#include <pagoda_blk.h>
#include <pagoda_handles.h>

#define DISK_SECTORS    32768UL         /* the manifest's 16M disk */
#define SMALL_SECTOR    16384UL
#define SMALL_SEED      119u
#define BIG_SECTOR      24576UL
#define BIG_SEED        5u
#define PRISTINE        8192UL          /* [PRISTINE, 16384) keeps the runner's pattern in every boot */

#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })

/* Disk 0's endpoint, or -1 with t->skip set. */
static int disk0(struct utest *t)
{
	int h = handle_named("blk0");
	if (h >= 0)
		return h;
	int root = handle_named("devroot");
	if (root < 0) {
		t->skip = "no blk0 and no devroot handle in HANDLES";
		return -1;
	}
	/* The runner's disk, not the RAM disk the kernel lists first. */
	for (unsigned int i = 0; i < 8; i++) {
		struct blk_info info;
		h = blkdev_open(root, i);
		if (h < 0)
			break;
		if (!blk_info(h, &info) && info.sectors == DISK_SECTORS)
			return h;
		handle_close(h);
	}
	t->skip = "no 16 MiB disk";
	return -1;
}

static int memobj_of(void *addr, size_t len, int prot)
{
	return (int)__syscall_ret(syscall3(__NR_memobj_from_user, addr, len, prot));
}

static void info_matches_disk(struct utest *t)
{
	int h = disk0(t);
	struct blk_info info;
	if (h < 0)
		return;
	ASSERT_TRUE(t, blk_info(h, &info) == 0);
	EXPECT_EQ(t, info.sectors, DISK_SECTORS);
	EXPECT_EQ(t, info.sector_size, 512);
	EXPECT_TRUE(t, info.max_sectors >= 8);
	printf("    # ublk: blk0: %lu sectors, at most %u per request, %s back end\n", info.sectors,
	       info.max_sectors, info.flags & BLK_INFO_USER ? "user" : "kernel");
}

/* Ranges at odd places, through a buffer at an odd (sector-aligned)
 * offset in its pages; the CRC is the one dcrc prints for the range. */
static void read_matches_pattern(struct utest *t)
{
	static const unsigned long ranges[][2] = { { 0, 1 }, { 7, 9 }, { 1000, 200 }, { 16383, 1 } };
	int h = disk0(t);
	if (h < 0)
		return;
	unsigned char *buf = map(64, PROT_READ | PROT_WRITE);
	for (unsigned int i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		unsigned long sector = ranges[i][0], count = ranges[i][1];
		unsigned char *p = buf + 512 * (i + 1);
		EXPECT_EQ(t, E(blk_read_buf(h, p, sector, (unsigned int)count)), 0);
		EXPECT_EQ(t, disk_pattern_mismatches(p, sector, count, 0), 0);
		unsigned char want[512];
		unsigned int crc_want = 0;
		for (unsigned long s = 0; s < count; s++) {
			disk_pattern_fill(want, sector + s, 1, 0);
			crc_want = crc32(crc_want, want, 512);
		}
		EXPECT_EQ(t, crc32(0, p, count * 512), crc_want);
	}
	munmap(buf, 64 * PAGE);
}

static void write_read_back(struct utest *t)
{
	int h = disk0(t);
	if (h < 0)
		return;
	unsigned char *out = map(8, PROT_READ | PROT_WRITE), *in = map(8, PROT_READ | PROT_WRITE);
	disk_pattern_fill(out, SMALL_SECTOR, 64, SMALL_SEED);
	EXPECT_EQ(t, E(blk_write_buf(h, out, SMALL_SECTOR, 64)), 0);
	EXPECT_EQ(t, E(blk_flush(h)), 0);
	EXPECT_EQ(t, E(blk_read_buf(h, in, SMALL_SECTOR, 64)), 0);
	EXPECT_EQ(t, disk_pattern_mismatches(in, SMALL_SECTOR, 64, SMALL_SEED), 0);
	munmap(out, 8 * PAGE);
	munmap(in, 8 * PAGE);
}

/* 8 MiB read in 4 MiB requests into one memory object, the same as read
 * in 64 KiB requests, and the pattern where no other test writes (the
 * ktests of an all.* boot write near sector 4096); a 4 MiB write in one
 * request, read back. */
static void multi_mib_write_read(struct utest *t)
{
	int h = disk0(t);
	struct blk_info info;
	if (h < 0)
		return;
	ASSERT_TRUE(t, blk_info(h, &info) == 0 && info.max_sectors >= 8192);
	unsigned char *buf = map(2048, PROT_READ | PROT_WRITE);
	int mo = memobj_of(buf, 2048 * PAGE, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, mo >= 0);
	EXPECT_EQ(t, E(blk_read(h, mo, 0, 0, 8192)), 0);
	EXPECT_EQ(t, E(blk_read(h, mo, 4 << 20, 8192, 8192)), 0);
	EXPECT_EQ(t, disk_pattern_mismatches(buf + PRISTINE * 512, PRISTINE, 16384 - PRISTINE, 0), 0);
	static unsigned char small[128 * 512];
	unsigned long differ = 0;
	for (unsigned long s = 0; s < 16384; s += 128) {
		EXPECT_EQ(t, E(blk_read_buf(h, small, s, 128)), 0);
		differ += memcmp(small, buf + s * 512, sizeof(small)) != 0;
	}
	EXPECT_EQ(t, differ, 0);
	disk_pattern_fill(buf, BIG_SECTOR, 8192, BIG_SEED);
	EXPECT_EQ(t, E(blk_write(h, mo, 0, BIG_SECTOR, 8192)), 0);
	memset(buf, 0, 4 << 20);
	EXPECT_EQ(t, E(blk_read(h, mo, 4 << 20, BIG_SECTOR, 8192)), 0);
	EXPECT_EQ(t, disk_pattern_mismatches(buf + (4 << 20), BIG_SECTOR, 8192, BIG_SEED), 0);
	EXPECT_EQ(t, E(blk_flush(h)), 0);
	handle_close(mo);
	munmap(buf, 2048 * PAGE);
}

/* Every error of the protocol, and nothing read or written by them. */
static void protocol_errors(struct utest *t)
{
	int h = disk0(t);
	if (h < 0)
		return;
	unsigned char *buf = map(4, PROT_READ | PROT_WRITE);
	int mo = memobj_of(buf, 4 * PAGE, PROT_READ | PROT_WRITE);
	int ro = memobj_of(buf, 4 * PAGE, PROT_READ);
	ASSERT_TRUE(t, mo >= 0 && ro >= 0);
	int wo = handle_dup(mo, RIGHT_WRITE | RIGHT_TRANSFER);
	ASSERT_TRUE(t, wo >= 0);
	/* Ranges: past the disk, past the memory object, count 0 or too big. */
	EXPECT_EQ(t, E(blk_read(h, mo, 0, DISK_SECTORS, 1)), -EINVAL);
	EXPECT_EQ(t, E(blk_read(h, mo, 0, DISK_SECTORS - 1, 2)), -EINVAL);
	EXPECT_EQ(t, E(blk_read(h, mo, 0, ~0UL, 2)), -EINVAL);
	EXPECT_EQ(t, E(blk_read(h, mo, 0, 0, 0)), -EINVAL);
	EXPECT_EQ(t, E(blk_read(h, mo, 0, 0, 33)), -EINVAL);            /* 16.5 KiB > 16 KiB */
	EXPECT_EQ(t, E(blk_read(h, mo, 4 * PAGE - 512, 0, 2)), -EINVAL);
	EXPECT_EQ(t, E(blk_read(h, mo, ~0UL - 100, 0, 1)), -EINVAL);
	EXPECT_EQ(t, E(blk_read(h, mo, 0, 0, 0x10000001UL)), -EINVAL);
	EXPECT_EQ(t, E(blk_write(h, mo, 1, 0, 1)), -EINVAL);              /* DMA alignment */
	/* Rights: a read writes the memory, a write reads it. */
	EXPECT_EQ(t, E(blk_read(h, ro, 0, 0, 1)), -EPERM);
	EXPECT_EQ(t, E(blk_write(h, wo, 0, SMALL_SECTOR, 1)), -EPERM);
	/* Handles: forged, closed, the wrong type lent, none lent. */
	EXPECT_EQ(t, E(blk_read(h, 0x7fff1234, 0, 0, 1)), -EBADF);
	EXPECT_EQ(t, E(blk_info(0x7fff1234, &(struct blk_info){ 0 })), -EBADF);
	EXPECT_EQ(t, E(blk_read(h, h, 0, 0, 1)), -EBADF);
	struct ipc_msg m = { .tag = BLK_READ, .w = { 0, 1, 0 } };
	EXPECT_EQ(t, E(ipc_call(h, &m)), 0);
	EXPECT_EQ(t, m.tag & IPC_LABEL_MASK, EINVAL);
	m = (struct ipc_msg){ .tag = 99 };
	EXPECT_EQ(t, E(ipc_call(h, &m)), 0);
	EXPECT_EQ(t, m.tag & IPC_LABEL_MASK, EINVAL);
	/* blkdev_open: no such disk, a root that is no device, a forged one. */
	int root = handle_named("devroot");
	if (root >= 0)
		EXPECT_EQ(t, E(blkdev_open(root, 7)), -ENODEV);
	if (root >= 0)
		EXPECT_EQ(t, E(blkdev_open(root, 0x80000000u)), -ENODEV);
	EXPECT_EQ(t, E(blkdev_open(h, 0)), -EBADF);
	EXPECT_EQ(t, E(blkdev_open(0x7fff1234, 0)), -EBADF);
	/* The lent handles are still the caller's, the endpoint still works. */
	EXPECT_EQ(t, E(blk_read(h, mo, 0, 0, 1)), 0);
	EXPECT_EQ(t, disk_pattern_mismatches(buf, 0, 1, 0), 0);
	handle_close(wo);
	EXPECT_EQ(t, E(handle_close(wo)), -EBADF);
	EXPECT_EQ(t, E(blk_write(h, wo, 0, SMALL_SECTOR, 1)), -EBADF);
	handle_close(ro);
	handle_close(mo);
	munmap(buf, 4 * PAGE);
}

/* i386 with 3 GiB or more: user pages come from highmem first. The
 * memory object's pages are counted out of the highmem zone's free pages
 * (sysinfo), then the disk reads into them. */
static void highmem_read(struct utest *t)
{
	int h = disk0(t);
	if (h < 0)
		return;
	struct sysinfo before, after;
	ASSERT_TRUE(t, sysinfo(&before) == 0);
	if (before.free_high_pages < 4096) {
		t->skip = "no highmem to speak of (x86_64, or under 1 GiB)";
		return;
	}
	unsigned char *buf = map(1024, PROT_READ | PROT_WRITE);
	int mo = memobj_of(buf, 1024 * PAGE, PROT_READ | PROT_WRITE);       /* faulted in, pinned */
	ASSERT_TRUE(t, mo >= 0 && sysinfo(&after) == 0);
	printf("    # ublk: the buffer took %llu highmem pages of 1024\n",
	       (unsigned long long)(before.free_high_pages - after.free_high_pages));
	EXPECT_TRUE(t, before.free_high_pages - after.free_high_pages >= 512);
	EXPECT_EQ(t, E(blk_read(h, mo, 0, PRISTINE, 8192)), 0);
	EXPECT_EQ(t, disk_pattern_mismatches(buf, PRISTINE, 8192, 0), 0);
	handle_close(mo);
	munmap(buf, 1024 * PAGE);
}

/* Readers in several processes at once on one endpoint (fork shares it),
 * each over its own range, many requests each. */
static void many_readers(struct utest *t)
{
	enum { READERS = 6, ROUNDS = 24, COUNT = 40 };
	int h = disk0(t);
	if (h < 0)
		return;
	int pids[READERS];
	for (int r = 0; r < READERS; r++) {
		pids[r] = fork();
		if (pids[r] == 0) {
			static unsigned char buf[COUNT * 512 + 512];
			for (int i = 0; i < ROUNDS; i++) {
				unsigned long sector = PRISTINE + (unsigned long)(r * 2000 + i * 53) %
							      (16384 - PRISTINE - COUNT);
				memset(buf, 0xee, sizeof(buf));
				if (blk_read_buf(h, buf + 512, sector, COUNT))
					_exit(100 + errno);
				if (disk_pattern_mismatches(buf + 512, sector, COUNT, 0) || buf[0] != 0xee)
					_exit(1);
			}
			_exit(0);
		}
		ASSERT_TRUE(t, pids[r] > 0);
	}
	for (int r = 0; r < READERS; r++) {
		int status = -1;
		EXPECT_EQ(t, waitpid(pids[r], &status, 0), pids[r]);
		EXPECT_EQ(t, status, 0);
	}
}

const struct ucase blk_cases[] = {
	{ "info_matches_disk", info_matches_disk },
	{ "read_matches_pattern", read_matches_pattern },
	{ "write_read_back", write_read_back },
	{ "multi_mib_write_read", multi_mib_write_read },
	{ "protocol_errors", protocol_errors },
	{ "highmem_read", highmem_read },
	{ "many_readers", many_readers },
	{ 0 }
};
