/*
 * usertests, suite ufs: lab 9's boot (docs/labs/lab9-read-path.md), the
 * block map through ext2d. sda is made by `ufs_image.py bmap`: the ufs
 * tree (its files reach the double indirect block: every_file_crc) and
 * /bmap/triple, a sparse file whose data lies in the triple indirect
 * block's reach (64 MiB on), too long to read whole: the host lists its
 * pieces in /BMAP ("crc offset length path"), read here with FS_PREAD.
 * bmap_write writes a new file at the first block of each level; the host
 * checks it after the boot (e2fsck -fn, debugfs: ufs_image.py check IMG bmap).
 */
#include "ufs.h"

/* The first block of each level with 1 KiB blocks (256 pointers a block):
 * direct, single, double, double's 2nd indirect, triple, triple's 2nd
 * double-level block. The host's list is ufs_image.py's BMAP_WRITES. */
static const unsigned long long written[] = { 0, 12, 268, 268 + 256, 65804, 65804 + 65536 };

static long fs_pread(int f, void *buf, size_t n, unsigned long long off)
{
	struct fsreq q = { .label = FS_PREAD, .w = { n, FS_OFF_LO(off), FS_OFF_HI(off) }, .recv = buf,
			   .recv_cap = n };
	long st = fs_req(f, &q);
	return st ? (st < 0 ? st : -st) : (long)q.w[0];
}

static long fs_pwrite(int f, const void *buf, size_t n, unsigned long long off)
{
	struct fsreq q = { .label = FS_PWRITE, .w = { n, FS_OFF_LO(off), FS_OFF_HI(off) }, .send = buf,
			   .send_len = n };
	long st = fs_req(f, &q);
	return st ? (st < 0 ? st : -st) : (long)q.w[0];
}

/* sda's handle if it is ufs_image.py bmap's disk; else -1, the case skipped
 * (the other ufs boots run ufs.* on disks without /BMAP). */
static int bmap_disk(struct utest *t)
{
	int mnt = sda(t);
	struct fs_stat st;
	if (mnt >= 0 && fs_stat(mnt, FS_STAT, "BMAP", 0, &st)) {
		t->skip = "no /BMAP on sda (not ufs_image.py bmap's disk)";
		mnt = -1;
	}
	return mnt;
}

void bmap_pieces(struct utest *t)
{
	int mnt = bmap_disk(t);
	if (mnt < 0)
		return;
	static char list[4096], path[256];
	static uint8_t buf[IPC_BUF_MAX];
	int f = fs_open(mnt, "BMAP", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	long n = fs_read(f, list, sizeof(list) - 1);
	handle_close(f);
	ASSERT_TRUE(t, n > 0);
	list[n] = 0;
	int pieces = 0, bad = 0;
	for (char *l = list; *l;) {
		char *nl = strchr(l, '\n');
		unsigned int want = (unsigned int)strtoul(l, &l, 16), crc;
		unsigned long long off = strtoul(l, &l, 10);   /* under 4 GiB */
		size_t len = strtoul(l, &l, 10);
		l++;
		memcpy(path, l, (size_t)(nl - l));
		path[nl - l] = 0;
		f = fs_open(mnt, path, O_RDONLY);
		long got = f < 0 ? f : fs_pread(f, buf, len, off);
		crc = got > 0 ? crc32(0, buf, (size_t)got) : 0;
		if (got != (long)len || crc != want) {
			printf("    # ufs: %s at %llu: %ld bytes, crc %08x; the host: %zu, %08x\n", path, off, got, crc,
			       len, want);
			bad++;
		}
		if (f > 0)
			handle_close(f);
		pieces++;
		l = nl + 1;
	}
	EXPECT_EQ(t, bad, 0);
	EXPECT_TRUE(t, pieces >= 5);
	printf("    # ufs: %d pieces of sparse files read, %d with the host's CRC\n", pieces, pieces - bad);
}

void bmap_write(struct utest *t)
{
	int mnt = bmap_disk(t);
	if (mnt < 0)
		return;
	int f = fs_open(mnt, "bmap/written", O_CREAT | O_EXCL | O_RDWR);
	ASSERT_TRUE(t, f > 0);
	char want[32], got[32];
	for (unsigned int i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		int n = snprintf(want, sizeof(want), "block %llu\n", written[i]);
		EXPECT_EQ(t, fs_pwrite(f, want, (size_t)n, written[i] * 1024), n);
		EXPECT_EQ(t, fs_pread(f, got, (size_t)n, written[i] * 1024), n);
		EXPECT_TRUE(t, !memcmp(want, got, (size_t)n));
	}
	handle_close(f);
}
