/*
 * usertests, suite ufs: /bin/ext2d through the raw file protocol
 * (<pagoda/fs.h>), as the fd layer will speak it. The ufs boots
 * (tests/manifest.d/ufs.ini) run init, which mounts the runner's disks
 * (sda: a known tree made by tools/ufs_image.py, sdb: the same tree with
 * one block pointer corrupted, sdc: no ext2 at all), then this suite with
 * --run. The host is the judge: the tree's /MANIFEST holds each file's
 * zlib CRC-32 as the host computed it; after the boot `ufs_image.py check`
 * runs e2fsck -fn on sda and wants it marked clean (the suite's last case
 * unmounts it).
 *
 * The mount is found through the kernel's mount table (mount_open), or,
 * on a kernel without one, through init's "sda" handle.
 */
#include "utest.h"
#include <pagoda/fs.h>
#include <pagoda_handles.h>

#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })

/* One request: words in, optional buffer out and in, optional lent memobj.
 * The reply's status (0 or a positive errno) or -errno of the call. */
struct fsreq {
	unsigned long label, w[4];
	const void *send;
	unsigned long send_len;
	void *recv;
	unsigned long recv_cap, recv_len;
	int handle;                     /* out: a handle moved in the reply */
};

static long fs_req(int h, struct fsreq *q)
{
	struct ipc_ext x = { .send_buf = q->send, .send_len = q->send_len, .recv_buf = q->recv,
			     .recv_cap = q->recv_cap, .timeout_ms = IPC_FOREVER };
	struct ipc_msg m = { .tag = q->label, .w = { q->w[0], q->w[1], q->w[2] } };
	if (ipc_call_ext(h, &m, &x) < 0)
		return -errno;
	q->recv_len = x.recv_len;
	q->handle = x.recv_nhandles ? x.recv_handles[0] : -1;
	memcpy(q->w, m.w, sizeof(m.w));
	return (long)(m.tag & IPC_LABEL_MASK);
}

/* The mount at path itself (not "/" covering it), or -1. One handle per
 * mount for the whole suite (forked children inherit it). */
static int mount_of(const char *path)
{
	static struct { const char *path; int h; } known[4];
	for (int i = 0; i < 4 && known[i].path; i++)
		if (!strcmp(known[i].path, path))
			return known[i].h;
	char rest[64];
	long h = syscall6(__NR_mount_open, (long)path, (long)rest, sizeof(rest), 0, 0, 0);
	if (h >= 0 && rest[0]) {
		handle_close((int)h);   /* only "/" covers it: not mounted */
		return -1;
	}
	if (h < 0)
		h = handle_named(strrchr(path, '/') + 1);
	for (int i = 0; i < 4; i++)
		if (!known[i].path) {
			known[i].path = path;
			known[i].h = (int)h;
			break;
		}
	return (int)h;
}

static int sda(struct utest *t)
{
	int h = mount_of("/mnt/sda");
	if (h < 0)
		t->skip = "no /mnt/sda (no mount table entry, no \"sda\" handle)";
	return h;
}

/* FS_OPEN: the open file's handle, or -status. */
static int fs_open(int mnt, const char *path, int flags)
{
	struct fsreq q = { .label = FS_OPEN, .w = { (unsigned long)flags, 0644 }, .send = path,
			   .send_len = strlen(path) + 1 };
	long st = fs_req(mnt, &q);
	if (st)
		return st < 0 ? (int)st : -(int)st;
	return q.handle;
}

static long fs_read(int f, void *buf, size_t n)
{
	struct fsreq q = { .label = FS_READ, .w = { n }, .recv = buf, .recv_cap = n };
	long st = fs_req(f, &q);
	return st ? (st < 0 ? st : -st) : (long)q.w[0];
}

static long fs_stat(int h, unsigned long label, const char *path, int flags, struct fs_stat *s)
{
	struct fsreq q = { .label = label, .w = { (unsigned long)flags }, .send = path,
			   .send_len = path ? strlen(path) + 1 : 0, .recv = s, .recv_cap = sizeof(*s) };
	return fs_req(h, &q);
}

static long fs_stats(int mnt, struct fs_cache_stats *s)
{
	struct fsreq q = { .label = FS_PRIVATE_STATS, .recv = s, .recv_cap = sizeof(*s) };
	return fs_req(mnt, &q);
}

/* A whole file's CRC and length, in reads of chunk bytes. */
static long file_crc(int mnt, const char *path, size_t chunk, unsigned int *crc)
{
	static uint8_t buf[IPC_BUF_MAX];
	int f = fs_open(mnt, path, O_RDONLY);
	if (f < 0)
		return f;
	long total = 0, n;
	*crc = 0;
	while ((n = fs_read(f, buf, chunk)) > 0) {
		*crc = crc32(*crc, buf, (size_t)n);
		total += n;
	}
	handle_close(f);
	return n < 0 ? n : total;
}

/* The host's /MANIFEST: "crc size path" lines. */
static char manifest[32768];

static int load_manifest(int mnt)
{
	if (manifest[0])
		return 0;
	int f = fs_open(mnt, "MANIFEST", O_RDONLY);
	if (f < 0)
		return f;
	long used = 0, n;
	while (used < (long)sizeof(manifest) - 1 &&
	       (n = fs_read(f, manifest + used, sizeof(manifest) - 1 - (size_t)used > IPC_BUF_MAX ?
						   IPC_BUF_MAX : sizeof(manifest) - 1 - (size_t)used)) > 0)
		used += n;
	handle_close(f);
	manifest[used] = 0;
	return 0;
}

static int manifest_entry(const char *path, unsigned int *crc, long *size)
{
	size_t len = strlen(path);
	for (char *l = manifest; *l;) {
		char *nl = strchr(l, '\n');
		char *p = strchr(strchr(l, ' ') + 1, ' ') + 1;
		if ((size_t)(nl - p) == len && !memcmp(p, path, len)) {
			*crc = (unsigned int)strtoul(l, NULL, 16);
			*size = strtol(strchr(l, ' ') + 1, NULL, 10);
			return 0;
		}
		l = nl + 1;
	}
	return -1;
}

static void mounted(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return;
	struct fs_statfs st;
	struct fsreq q = { .label = FS_STATFS, .recv = &st, .recv_cap = sizeof(st) };
	ASSERT_TRUE(t, fs_req(mnt, &q) == 0);
	EXPECT_TRUE(t, !strcmp(st.f_type, "ext2"));
	EXPECT_EQ(t, st.f_bsize, 1024);
	EXPECT_EQ(t, st.f_blocks, 16384);
	EXPECT_TRUE(t, st.f_bfree > 0 && st.f_bfree < st.f_blocks);
	/* in the kernel's table, as ext2d put it there; its files' st_dev */
	struct mount_info mi;
	int found = 0;
	for (unsigned int i = 0; syscall6(__NR_mount_list, i, (long)&mi, 0, 0, 0, 0) == 0; i++)
		if (!strcmp(mi.path, "/mnt/sda")) {
			found = 1;
			EXPECT_TRUE(t, !strcmp(mi.source, "sda") && !strcmp(mi.fstype, "ext2"));
			EXPECT_EQ(t, !!(mi.flags & MOUNT_RDONLY), !!(st.f_flags & FS_RDONLY));
			struct fs_stat s;
			EXPECT_EQ(t, fs_stat(mnt, FS_STAT, "MANIFEST", 0, &s), 0);
			EXPECT_EQ(t, s.st_dev, mi.id);
		}
	EXPECT_EQ(t, found, 1);
	printf("    # ufs: sda: %llu blocks of %u, %llu free, %llu inodes, %s\n", (unsigned long long)st.f_blocks,
	       st.f_bsize, (unsigned long long)st.f_bfree, (unsigned long long)st.f_files,
	       st.f_flags & FS_RDONLY ? "read-only" : "read-write");
}

/* The first read of "big" (2 MiB), 1 KiB at a time: readahead must turn
 * it into few large bios. */
static void readahead_large_bios(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return;
	struct fs_cache_stats a, b;
	ASSERT_TRUE(t, load_manifest(mnt) == 0);
	ASSERT_TRUE(t, fs_stats(mnt, &a) == 0);
	unsigned int crc, want;
	long size;
	ASSERT_TRUE(t, manifest_entry("big", &want, &size) == 0);
	EXPECT_EQ(t, file_crc(mnt, "big", 1024, &crc), size);
	EXPECT_EQ(t, crc, want);
	ASSERT_TRUE(t, fs_stats(mnt, &b) == 0);
	unsigned long long bios = b.read_bios - a.read_bios, ra = b.readahead - a.readahead;
	printf("    # ufs: 2 MiB in 1 KiB reads: %llu bios, largest %u sectors, %llu blocks read ahead\n", bios,
	       b.max_bio_sectors, ra);
	EXPECT_TRUE(t, bios > 0 && bios < 2048 / 16);  /* 2048 blocks: 16 at least a bio on average */
	EXPECT_TRUE(t, b.max_bio_sectors >= 128);      /* 64 KiB */
	EXPECT_TRUE(t, ra >= 1024);
}

static void second_read_no_io(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return;
	struct fs_cache_stats a, b, c;
	unsigned int crc1, crc2;
	ASSERT_TRUE(t, fs_stats(mnt, &a) == 0);
	EXPECT_EQ(t, file_crc(mnt, "again", IPC_BUF_MAX, &crc1), 300 << 10);
	ASSERT_TRUE(t, fs_stats(mnt, &b) == 0);
	EXPECT_EQ(t, file_crc(mnt, "again", IPC_BUF_MAX, &crc2), 300 << 10);
	ASSERT_TRUE(t, fs_stats(mnt, &c) == 0);
	EXPECT_TRUE(t, b.bios > a.bios);               /* the first read went to the disk */
	EXPECT_EQ(t, c.bios, b.bios);                   /* the second did not */
	EXPECT_TRUE(t, c.hits - b.hits >= 300);
	EXPECT_EQ(t, crc1, crc2);
	printf("    # ufs: 300 KiB twice: %llu bios, then %llu; %llu cache hits the second time\n",
	       (unsigned long long)(b.bios - a.bios), (unsigned long long)(c.bios - b.bios),
	       (unsigned long long)(c.hits - b.hits));
}

static void every_file_crc(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return;
	ASSERT_TRUE(t, load_manifest(mnt) == 0);
	int files = 0, bad = 0;
	static char path[300];
	for (char *l = manifest; *l;) {
		char *nl = strchr(l, '\n');
		unsigned int want = (unsigned int)strtoul(l, NULL, 16), crc;
		long size = strtol(strchr(l, ' ') + 1, NULL, 10);
		char *p = strchr(strchr(l, ' ') + 1, ' ') + 1;
		memcpy(path, p, (size_t)(nl - p));
		path[nl - p] = 0;
		/* odd chunk sizes: reads across block boundaries */
		long n = file_crc(mnt, path, files % 2 ? IPC_BUF_MAX : 1000, &crc);
		struct fs_stat st;
		long s = fs_stat(mnt, FS_STAT, path, 0, &st);
		if (n != size || crc != want || s || (long)st.st_size != size || !S_ISREG(st.st_mode)) {
			printf("    # ufs: %s: %ld bytes, crc %08x, stat %ld size %llu; the host: %ld, %08x\n", path, n,
			       crc, s, (unsigned long long)st.st_size, size, want);
			bad++;
		}
		files++;
		l = nl + 1;
	}
	EXPECT_EQ(t, bad, 0);
	EXPECT_TRUE(t, files > 160);
	printf("    # ufs: %d files read, %d with the host's CRC\n", files, files - bad);
}

/* 1 MiB per request through a lent memory object (FS_IO_MEMOBJ). */
static void memobj_reads(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return;
	unsigned int want;
	long size;
	ASSERT_TRUE(t, load_manifest(mnt) == 0 && manifest_entry("big", &want, &size) == 0);
	int mo = memobj_create(FS_IO_MAX);
	ASSERT_TRUE(t, mo > 0);
	const uint8_t *p = memobj_map(mo, NULL, FS_IO_MAX, PROT_READ, 0);
	ASSERT_TRUE(t, p != MAP_FAILED);
	int f = fs_open(mnt, "big", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	unsigned int crc = 0;
	long total = 0;
	int calls = 0;
	for (;;) {
		/* FS_IO_MEMOBJ: the loan says it (w3 is the ipc_ext's address) */
		struct ipc_ext x = { .send_handles = { mo }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
		struct ipc_msg m = { .tag = FS_READ | IPC_TAG_LEND, .w = { FS_IO_MAX } };
		ASSERT_TRUE(t, ipc_call_ext(f, &m, &x) == 0);
		ASSERT_TRUE(t, (m.tag & IPC_LABEL_MASK) == 0);
		if (!m.w[0])
			break;
		crc = crc32(crc, p, m.w[0]);
		total += (long)m.w[0];
		calls++;
	}
	handle_close(f);
	EXPECT_EQ(t, total, size);
	EXPECT_EQ(t, crc, want);
	EXPECT_EQ(t, calls, 2);
	munmap((void *)p, FS_IO_MAX);
	handle_close(mo);
}

static void readdir_stat_links(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return;
	int d = fs_open(mnt, "wide", O_RDONLY | O_DIRECTORY);
	ASSERT_TRUE(t, d > 0);
	static uint8_t buf[IPC_BUF_MAX];
	int entries = 0, regular = 0, dots = 0, calls = 0;
	for (;;) {
		struct fsreq q = { .label = FS_READDIR, .recv = buf, .recv_cap = sizeof(buf) };
		ASSERT_TRUE(t, fs_req(d, &q) == 0);
		if (!q.w[0])
			break;
		calls++;
		for (unsigned long off = 0; off < q.w[0];) {
			struct fs_dirent *de = (struct fs_dirent *)(buf + off);
			entries++;
			regular += de->d_type == DT_REG;
			dots += !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
			EXPECT_EQ(t, strlen(de->d_name), de->d_namelen);
			off += de->d_reclen;
		}
	}
	EXPECT_EQ(t, entries, 152);
	EXPECT_EQ(t, regular, 150);
	EXPECT_EQ(t, dots, 2);
	EXPECT_TRUE(t, calls > 1);                      /* more than a buffer's worth */
	/* a rewind reads them again */
	struct fsreq q = { .label = FS_LSEEK, .w = { 0, 0, SEEK_SET } };
	EXPECT_EQ(t, fs_req(d, &q), 0);
	q = (struct fsreq){ .label = FS_READDIR, .recv = buf, .recv_cap = sizeof(buf) };
	EXPECT_EQ(t, fs_req(d, &q), 0);
	EXPECT_TRUE(t, q.w[0] > 0);
	handle_close(d);

	struct fs_stat st;
	EXPECT_EQ(t, fs_stat(mnt, FS_STAT, "link", FS_NOFOLLOW, &st), 0);
	EXPECT_TRUE(t, S_ISLNK(st.st_mode));
	EXPECT_EQ(t, fs_stat(mnt, FS_STAT, "link", 0, &st), 0);
	EXPECT_TRUE(t, S_ISREG(st.st_mode));
	EXPECT_EQ(t, st.st_size, 1);
	EXPECT_EQ(t, st.st_blksize, 1024);
	EXPECT_EQ(t, fs_stat(mnt, FS_STAT, "", 0, &st), 0);
	EXPECT_TRUE(t, S_ISDIR(st.st_mode));
	EXPECT_EQ(t, st.st_ino, 2);
	char target[64];
	q = (struct fsreq){ .label = FS_READLINK, .send = "link", .send_len = 5, .recv = target,
			    .recv_cap = sizeof(target) };
	EXPECT_EQ(t, fs_req(mnt, &q), 0);
	EXPECT_EQ(t, q.w[0], 12);
	EXPECT_TRUE(t, !memcmp(target, "files/size-1", 12));
	unsigned int crc;
	EXPECT_EQ(t, file_crc(mnt, "d0/d1/d2/d3/d4/d5/../d5/d6/d7/d8/d9/bottom", 100, &crc), 11);
	EXPECT_EQ(t, crc, crc32(0, "the bottom\n", 11));
}

static void errors(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return;
	EXPECT_EQ(t, fs_open(mnt, "no-such-file", O_RDONLY), -ENOENT);
	EXPECT_EQ(t, fs_open(mnt, "files/size-1/x", O_RDONLY), -ENOTDIR);
	EXPECT_EQ(t, fs_open(mnt, "files/size-1", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	EXPECT_EQ(t, fs_open(mnt, "link", O_RDONLY | O_NOFOLLOW), -ELOOP);
	EXPECT_EQ(t, fs_open(mnt, "empty", O_RDWR), -EISDIR);
	char name[300];
	memset(name, 'n', 256);
	name[256] = 0;
	EXPECT_EQ(t, fs_open(mnt, name, O_RDONLY), -ENAMETOOLONG);
	name[255] = 0;
	int f = fs_open(mnt, name, O_RDONLY);
	EXPECT_TRUE(t, f > 0);
	if (f > 0)
		handle_close(f);
	char buf[16];
	int d = fs_open(mnt, "empty", O_RDONLY);
	ASSERT_TRUE(t, d > 0);
	EXPECT_EQ(t, fs_read(d, buf, sizeof(buf)), -EISDIR);
	handle_close(d);
	/* a file request on the mount, a path request on a file */
	struct fsreq q = { .label = FS_READ, .w = { 16 }, .recv = buf, .recv_cap = sizeof(buf) };
	EXPECT_EQ(t, fs_req(mnt, &q), EBADF);
	f = fs_open(mnt, "files/size-1025", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	q = (struct fsreq){ .label = FS_STATFS };
	EXPECT_EQ(t, fs_req(f, &q), EBADF);
	q = (struct fsreq){ .label = 999 };             /* no request at all */
	EXPECT_EQ(t, fs_req(f, &q), EINVAL);
	EXPECT_EQ(t, fs_req(mnt, &q), EINVAL);
	/* lseek and pread */
	q = (struct fsreq){ .label = FS_LSEEK, .w = { FS_OFF_LO(-1LL), FS_OFF_HI(-1LL), SEEK_SET } };
	EXPECT_EQ(t, fs_req(f, &q), EINVAL);
	q = (struct fsreq){ .label = FS_LSEEK, .w = { FS_OFF_LO(-3LL), FS_OFF_HI(-3LL), SEEK_END } };
	EXPECT_EQ(t, fs_req(f, &q), 0);
	EXPECT_EQ(t, FS_OFF(q.w[0], q.w[1]), 1022);
	EXPECT_EQ(t, fs_read(f, buf, sizeof(buf)), 3);
	EXPECT_EQ(t, fs_read(f, buf, sizeof(buf)), 0);  /* the end */
	unsigned int crc;
	file_crc(mnt, "files/size-1025", IPC_BUF_MAX, &crc);
	static uint8_t whole[1025];
	q = (struct fsreq){ .label = FS_PREAD, .w = { sizeof(whole), 0, 0 }, .recv = whole, .recv_cap = sizeof(whole) };
	EXPECT_EQ(t, fs_req(f, &q), 0);
	EXPECT_EQ(t, q.w[0], 1025);
	EXPECT_EQ(t, crc32(0, whole, 1025), crc);
	struct fs_stat st;
	EXPECT_EQ(t, fs_stat(f, FS_FSTAT, NULL, 0, &st), 0);
	EXPECT_EQ(t, st.st_size, 1025);
	handle_close(f);
}

/* sdb: the tree with files/size-4097's first block pointer aimed at the
 * group descriptors. The read fails with EUCLEAN; the server goes on. */
static void corrupt_image(struct utest *t)
{
	int mnt = mount_of("/mnt/sdb");
	if (mnt < 0) {
		t->skip = "no /mnt/sdb";
		return;
	}
	unsigned int crc;
	EXPECT_EQ(t, file_crc(mnt, "files/size-4097", IPC_BUF_MAX, &crc), -EUCLEAN);
	EXPECT_EQ(t, file_crc(mnt, "files/size-1", IPC_BUF_MAX, &crc), 1);
	EXPECT_EQ(t, file_crc(mnt, "files/size-4097", IPC_BUF_MAX, &crc), -EUCLEAN);
	EXPECT_EQ(t, file_crc(mnt, "again", IPC_BUF_MAX, &crc), 300 << 10);
}

/* Does this kernel tell a server that a minted handle's last copy is
 * gone? (IPC_LABEL_NO_SENDERS: the `kipc` branch.) */
static int kernel_has_no_senders(void)
{
	int ep = endpoint_create();
	int h = handle_mint(ep, RIGHT_SEND, 7);
	handle_close(h);
	struct ipc_msg m;
	struct ipc_ext x = { .timeout_ms = IPC_POLL };
	int r = ipc_recv_ext(ep, &m, &x);
	handle_close(ep);
	return r == 0 && (m.tag & IPC_LABEL_MASK) == IPC_LABEL_NO_SENDERS;
}

/* More opens than the server's open-file table: each close must free its
 * entry (IPC_LABEL_NO_SENDERS), else ENFILE. */
static void closed_files_freed(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return;
	if (!kernel_has_no_senders()) {
		t->skip = "the kernel sends no IPC_LABEL_NO_SENDERS yet";
		return;
	}
	int failed = 0;
	for (int i = 0; i < 600 && !failed; i++) {
		int f = fs_open(mnt, "files/size-1", O_RDONLY);
		if (f < 0)
			failed = f;
		else
			handle_close(f);
	}
	EXPECT_EQ(t, failed, 0);
}

/* sdb has a read-only-compatible feature the library does not know
 * (dir_nlink): mounted read-only, every change is EROFS. */
static void read_only_refuses_writes(struct utest *t)
{
	int mnt = mount_of("/mnt/sdb");
	if (mnt < 0) {
		t->skip = "no /mnt/sdb";
		return;
	}
	struct fs_statfs st;
	struct fsreq q = { .label = FS_STATFS, .recv = &st, .recv_cap = sizeof(st) };
	ASSERT_TRUE(t, fs_req(mnt, &q) == 0);
	EXPECT_TRUE(t, st.f_flags & FS_RDONLY);
	struct mount_info mi;
	for (unsigned int i = 0; syscall6(__NR_mount_list, i, (long)&mi, 0, 0, 0, 0) == 0; i++)
		if (!strcmp(mi.path, "/mnt/sdb"))
			EXPECT_TRUE(t, mi.flags & MOUNT_RDONLY);
	EXPECT_EQ(t, fs_open(mnt, "files/size-1", O_WRONLY), -EROFS);
	EXPECT_EQ(t, fs_open(mnt, "files/size-1", O_RDONLY | O_TRUNC), -EROFS);
	EXPECT_EQ(t, fs_open(mnt, "new", O_RDWR | O_CREAT), -EROFS);
	q = (struct fsreq){ .label = FS_MKDIR, .w = { 0755 }, .send = "newdir", .send_len = 7 };
	EXPECT_EQ(t, fs_req(mnt, &q), EROFS);
	q = (struct fsreq){ .label = FS_UNLINK, .send = "big", .send_len = 4 };
	EXPECT_EQ(t, fs_req(mnt, &q), EROFS);
	q = (struct fsreq){ .label = FS_RENAME, .send = "big\0big2", .send_len = 9 };
	EXPECT_EQ(t, fs_req(mnt, &q), EROFS);
	int f = fs_open(mnt, "files/size-1", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	q = (struct fsreq){ .label = FS_WRITE, .send = "x", .send_len = 1 };
	EXPECT_EQ(t, fs_req(f, &q), EBADF);             /* opened for reading */
	q = (struct fsreq){ .label = FS_UTIMES, .w = { 1, 2 } };
	EXPECT_EQ(t, fs_req(f, &q), EROFS);
	handle_close(f);
	unsigned int crc;
	EXPECT_EQ(t, file_crc(mnt, "big", IPC_BUF_MAX, &crc), 2L << 20);        /* reads go on */
}

/* ---- the write side: what the host checks after the boot
 * (tools/ufs_image.py check-writes: e2fsck -fn, then debugfs dumps) ---- */

/* The bytes of the written files: byte i of the pattern. The host computes
 * the same (ufs_image.py pattern). */
static uint8_t pat(unsigned long i)
{
	return (uint8_t)((i ^ (i >> 8) ^ (i >> 16)) * 31);
}

static void fill_pat(uint8_t *b, unsigned long off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = pat(off + i);
}

static long fs_write(int f, const void *buf, size_t n)
{
	struct fsreq q = { .label = FS_WRITE, .w = { n }, .send = buf, .send_len = n };
	long st = fs_req(f, &q);
	return st ? (st < 0 ? st : -st) : (long)q.w[0];
}

static long fs_pwrite(int f, const void *buf, size_t n, uint64_t off)
{
	struct fsreq q = { .label = FS_PWRITE, .w = { n, FS_OFF_LO(off), FS_OFF_HI(off) }, .send = buf,
			   .send_len = n };
	long st = fs_req(f, &q);
	return st ? (st < 0 ? st : -st) : (long)q.w[0];
}

static long fs_path_req(int mnt, unsigned long label, const char *a, const char *b, unsigned long w0)
{
	static char buf[600];
	size_t la = strlen(a) + 1, lb = b ? strlen(b) + 1 : 0;
	memcpy(buf, a, la);
	if (b)
		memcpy(buf + la, b, lb);
	struct fsreq q = { .label = label, .w = { w0 }, .send = buf, .send_len = la + lb };
	return fs_req(mnt, &q);
}

/* Make path with content (O_CREAT | O_EXCL): 0 or the error. */
static long put_file(int mnt, const char *path, const char *content)
{
	int f = fs_open(mnt, path, O_CREAT | O_EXCL | O_WRONLY);
	if (f < 0)
		return f;
	long n = fs_write(f, content, strlen(content));
	handle_close(f);
	return n == (long)strlen(content) ? 0 : n;
}

static int rw_sda(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return -1;
	struct fs_statfs st;
	struct fsreq q = { .label = FS_STATFS, .recv = &st, .recv_cap = sizeof(st) };
	if (fs_req(mnt, &q) || (st.f_flags & FS_RDONLY)) {
		t->skip = "mounted read-only";
		return -1;
	}
	return mnt;
}

static void create_append_overwrite(struct utest *t)
{
	int mnt = rw_sda(t);
	if (mnt < 0)
		return;
	EXPECT_EQ(t, fs_path_req(mnt, FS_MKDIR, "made", NULL, 0755), 0);
	EXPECT_EQ(t, fs_path_req(mnt, FS_MKDIR, "made", NULL, 0755), EEXIST);
	EXPECT_EQ(t, put_file(mnt, "made/small", "hello\n"), 0);
	EXPECT_EQ(t, put_file(mnt, "made/small", "again\n"), -EEXIST);
	int f = fs_open(mnt, "made/small", O_WRONLY | O_APPEND);
	ASSERT_TRUE(t, f > 0);
	EXPECT_EQ(t, fs_write(f, "world\n", 6), 6);
	handle_close(f);
	f = fs_open(mnt, "made/small", O_RDWR);
	ASSERT_TRUE(t, f > 0);
	EXPECT_EQ(t, fs_pwrite(f, "XY", 2, 2), 2);
	char buf[32] = { 0 };
	EXPECT_EQ(t, fs_read(f, buf, sizeof(buf)), 12);
	EXPECT_TRUE(t, !memcmp(buf, "heXYo\nworld\n", 12));
	handle_close(f);
	struct fs_stat s;
	EXPECT_EQ(t, fs_stat(mnt, FS_STAT, "made/small", 0, &s), 0);
	EXPECT_EQ(t, s.st_size, 12);
	EXPECT_TRUE(t, S_ISREG(s.st_mode) && (s.st_mode & 07777) == 0644);
	EXPECT_EQ(t, s.st_nlink, 1);
	/* a written file in a directory listed before: the new entry shows */
	EXPECT_EQ(t, fs_stat(mnt, FS_STAT, "made", 0, &s), 0);
	EXPECT_EQ(t, s.st_nlink, 2);
}

#define BIG_BYTES ((2UL << 20) + 100)

/* 2 MiB through lent memory objects, then 100 bytes more: the cache holds
 * them dirty until FS_FSYNC, which writes them in few large bios. */
static void big_write_fsync(struct utest *t)
{
	int mnt = rw_sda(t);
	if (mnt < 0)
		return;
	struct fs_cache_stats a, b, c;
	ASSERT_TRUE(t, fs_stats(mnt, &a) == 0);
	int f = fs_open(mnt, "made/big", O_CREAT | O_EXCL | O_RDWR);
	ASSERT_TRUE(t, f > 0);
	int mo = memobj_create(FS_IO_MAX);
	ASSERT_TRUE(t, mo > 0);
	uint8_t *p = memobj_map(mo, NULL, FS_IO_MAX, PROT_READ | PROT_WRITE, 0);
	ASSERT_TRUE(t, p != MAP_FAILED);
	for (unsigned long off = 0; off < (2UL << 20); off += FS_IO_MAX) {
		fill_pat(p, off, FS_IO_MAX);
		struct ipc_ext x = { .send_handles = { mo }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
		struct ipc_msg m = { .tag = FS_WRITE | IPC_TAG_LEND, .w = { FS_IO_MAX } };
		ASSERT_TRUE(t, ipc_call_ext(f, &m, &x) == 0);
		EXPECT_EQ(t, m.tag & IPC_LABEL_MASK, 0);
		EXPECT_EQ(t, m.w[0], FS_IO_MAX);
	}
	uint8_t tail[100];
	fill_pat(tail, 2UL << 20, sizeof(tail));
	EXPECT_EQ(t, fs_write(f, tail, sizeof(tail)), 100);
	ASSERT_TRUE(t, fs_stats(mnt, &b) == 0);
	EXPECT_TRUE(t, b.dirty >= 2048);                /* write-back: nothing on the disk yet */
	struct fsreq q = { .label = FS_FSYNC };
	EXPECT_EQ(t, fs_req(f, &q), 0);
	ASSERT_TRUE(t, fs_stats(mnt, &c) == 0);
	EXPECT_EQ(t, c.dirty, 0);
	unsigned long long wb = c.write_bios - b.write_bios;
	printf("    # ufs: 2 MiB written: %u blocks dirty, fsync wrote %llu in %llu bios (largest %u sectors)\n",
	       b.dirty, (unsigned long long)(c.written_back - b.written_back), wb, c.max_bio_sectors);
	EXPECT_TRUE(t, c.written_back - b.written_back >= 2048);
	EXPECT_TRUE(t, wb > 0 && wb < 2048 / 16);
	/* read back through the cache */
	unsigned int crc = 0, want = 0;
	for (unsigned long off = 0; off < BIG_BYTES; off += FS_IO_MAX) {
		size_t n = BIG_BYTES - off < FS_IO_MAX ? BIG_BYTES - off : FS_IO_MAX;
		fill_pat(p, off, n);
		want = crc32(want, p, n);
	}
	handle_close(f);
	EXPECT_EQ(t, file_crc(mnt, "made/big", IPC_BUF_MAX, &crc), (long)BIG_BYTES);
	EXPECT_EQ(t, crc, want);
	munmap(p, FS_IO_MAX);
	handle_close(mo);
}

static void truncate_shrink_grow(struct utest *t)
{
	int mnt = rw_sda(t);
	if (mnt < 0)
		return;
	int f = fs_open(mnt, "made/trunc", O_CREAT | O_EXCL | O_RDWR);
	ASSERT_TRUE(t, f > 0);
	static uint8_t buf[IPC_BUF_MAX];
	for (unsigned long off = 0; off < 10000; off += IPC_BUF_MAX) {
		size_t n = 10000 - off < IPC_BUF_MAX ? 10000 - off : IPC_BUF_MAX;
		fill_pat(buf, off, n);
		EXPECT_EQ(t, fs_write(f, buf, n), (long)n);
	}
	struct fsreq q = { .label = FS_TRUNCATE, .w = { 3000, 0 } };
	EXPECT_EQ(t, fs_req(f, &q), 0);
	struct fs_stat s;
	EXPECT_EQ(t, fs_stat(f, FS_FSTAT, NULL, 0, &s), 0);
	EXPECT_EQ(t, s.st_size, 3000);
	q = (struct fsreq){ .label = FS_TRUNCATE, .w = { 100000, 0 } };
	EXPECT_EQ(t, fs_req(f, &q), 0);
	EXPECT_EQ(t, fs_pwrite(f, "end", 3, 99997), 3);
	q = (struct fsreq){ .label = FS_PREAD, .w = { 16, 2990, 0 }, .recv = buf, .recv_cap = 16 };
	EXPECT_EQ(t, fs_req(f, &q), 0);
	uint8_t want[16];
	fill_pat(want, 2990, 10);
	memset(want + 10, 0, 6);
	EXPECT_TRUE(t, !memcmp(buf, want, 16));         /* the old tail is gone: zeros */
	EXPECT_EQ(t, fs_stat(f, FS_FSTAT, NULL, 0, &s), 0);
	EXPECT_EQ(t, s.st_size, 100000);
	EXPECT_TRUE(t, s.st_blocks < 100000 / 512);     /* a hole in the middle */
	handle_close(f);
	int d = fs_open(mnt, "made", O_RDONLY);
	q = (struct fsreq){ .label = FS_TRUNCATE, .w = { 0, 0 } };
	EXPECT_EQ(t, fs_req(d, &q), EBADF);             /* opened for reading */
	handle_close(d);
}

static void rename_unlink_rmdir(struct utest *t)
{
	int mnt = rw_sda(t);
	if (mnt < 0)
		return;
	struct fs_stat s;
	EXPECT_EQ(t, fs_path_req(mnt, FS_RENAME, "made/small", "moved", 0), 0);
	EXPECT_EQ(t, fs_stat(mnt, FS_STAT, "made/small", 0, &s), ENOENT);
	EXPECT_EQ(t, fs_stat(mnt, FS_STAT, "moved", 0, &s), 0);
	EXPECT_EQ(t, s.st_size, 12);
	EXPECT_EQ(t, put_file(mnt, "made/victim", "victim\n"), 0);
	EXPECT_EQ(t, put_file(mnt, "made/winner", "winner\n"), 0);
	EXPECT_EQ(t, fs_path_req(mnt, FS_RENAME, "made/winner", "made/victim", 0), 0);
	unsigned int crc;
	EXPECT_EQ(t, file_crc(mnt, "made/victim", 100, &crc), 7);
	EXPECT_EQ(t, crc, crc32(0, "winner\n", 7));
	EXPECT_EQ(t, fs_path_req(mnt, FS_UNLINK, "files/size-0", NULL, 0), 0);
	EXPECT_EQ(t, fs_open(mnt, "files/size-0", O_RDONLY), -ENOENT);
	EXPECT_EQ(t, fs_path_req(mnt, FS_UNLINK, "wide", NULL, 0), EISDIR);
	EXPECT_EQ(t, fs_path_req(mnt, FS_RMDIR, "made", NULL, 0), ENOTEMPTY);
	EXPECT_EQ(t, fs_path_req(mnt, FS_RMDIR, "empty", NULL, 0), 0);
	EXPECT_EQ(t, fs_path_req(mnt, FS_MKDIR, "made/sub", NULL, 0700), 0);
	EXPECT_EQ(t, fs_path_req(mnt, FS_MKDIR, "made/sub/subsub", NULL, 0755), 0);
	EXPECT_EQ(t, fs_path_req(mnt, FS_RMDIR, "made/sub", NULL, 0), ENOTEMPTY);
	EXPECT_EQ(t, fs_path_req(mnt, FS_SYMLINK, "../moved", "made/link", 0), 0);
	EXPECT_EQ(t, file_crc(mnt, "made/link", 100, &crc), 12);
	/* a directory across directories: its subtree goes along */
	EXPECT_EQ(t, fs_path_req(mnt, FS_RENAME, "d0/d1", "made/d1", 0), 0);
	EXPECT_EQ(t, file_crc(mnt, "made/d1/d2/d3/d4/d5/d6/d7/d8/d9/bottom", 100, &crc), 11);
	EXPECT_EQ(t, fs_path_req(mnt, FS_RENAME, "made", "made/sub/x", 0), EINVAL);
	/* an open directory is not removed under its reader */
	int d = fs_open(mnt, "made/sub/subsub", O_RDONLY);
	ASSERT_TRUE(t, d > 0);
	EXPECT_EQ(t, fs_path_req(mnt, FS_RMDIR, "made/sub/subsub", NULL, 0), EBUSY);
	handle_close(d);
}

/* A directory open while entries are made in it: its reader sees them,
 * and a change through its handle (FS_UTIMES writes the inode) does not
 * put back an old size or block map (e2fsck on the host would see it). */
static void open_dir_stays_fresh(struct utest *t)
{
	int mnt = rw_sda(t);
	if (mnt < 0)
		return;
	EXPECT_EQ(t, fs_path_req(mnt, FS_MKDIR, "made/grow", NULL, 0755), 0);
	int d = fs_open(mnt, "made/grow", O_RDONLY | O_DIRECTORY);
	ASSERT_TRUE(t, d > 0);
	char name[96];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "made/grow/a-rather-long-name-to-fill-blocks-quickly-%02d", i);
		EXPECT_EQ(t, put_file(mnt, name, "x"), 0);
	}
	EXPECT_EQ(t, fs_path_req(mnt, FS_MKDIR, "made/grow/sub", NULL, 0755), 0);
	struct fsreq q = { .label = FS_UTIMES, .w = { 1700000000, 1700000100 } };
	EXPECT_EQ(t, fs_req(d, &q), 0);
	static uint8_t buf[IPC_BUF_MAX];
	int entries = 0;
	for (;;) {
		q = (struct fsreq){ .label = FS_READDIR, .recv = buf, .recv_cap = sizeof(buf) };
		ASSERT_TRUE(t, fs_req(d, &q) == 0);
		if (!q.w[0])
			break;
		for (unsigned long off = 0; off < q.w[0]; off += ((struct fs_dirent *)(buf + off))->d_reclen)
			entries++;
	}
	EXPECT_EQ(t, entries, 43);
	struct fs_stat s;
	EXPECT_EQ(t, fs_stat(d, FS_FSTAT, NULL, 0, &s), 0);
	EXPECT_EQ(t, s.st_mtime, 1700000100);
	EXPECT_EQ(t, s.st_nlink, 3);
	EXPECT_TRUE(t, s.st_size > 1024);
	handle_close(d);
}

/* Nobody syncs: the server's timer writes the dirty blocks back once
 * they are DIRTY_SECONDS (5 s) old. Polled once a second, at most 60
 * times: the test asserts that it happens, not how soon. */
static void timer_writes_back(struct utest *t)
{
	int mnt = rw_sda(t);
	if (mnt < 0)
		return;
	struct fs_cache_stats a, b;
	EXPECT_EQ(t, put_file(mnt, "made/timer", "written back by the timer\n"), 0);
	ASSERT_TRUE(t, fs_stats(mnt, &a) == 0);
	EXPECT_TRUE(t, a.dirty > 0);
	int polls = 0;
	do {
		sleep(1);
		ASSERT_TRUE(t, fs_stats(mnt, &b) == 0);
	} while (b.dirty && ++polls < 60);
	EXPECT_EQ(t, b.dirty, 0);
	EXPECT_TRUE(t, b.written_back >= a.written_back + a.dirty);
	printf("    # ufs: %u dirty blocks written back by the timer after %d s\n", a.dirty, polls + 1);
}

/* An open file loses its name: still read through its handle, freed at
 * the last close (the host finds no orphan inode). */
static void unlink_open_file(struct utest *t)
{
	int mnt = rw_sda(t);
	if (mnt < 0)
		return;
	unsigned int want, crc = 0;
	long size;
	ASSERT_TRUE(t, load_manifest(mnt) == 0 && manifest_entry("again", &want, &size) == 0);
	int f = fs_open(mnt, "again", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	struct fs_statfs before, after;
	struct fsreq q = { .label = FS_STATFS, .recv = &before, .recv_cap = sizeof(before) };
	ASSERT_TRUE(t, fs_req(mnt, &q) == 0);
	EXPECT_EQ(t, fs_path_req(mnt, FS_UNLINK, "again", NULL, 0), 0);
	EXPECT_EQ(t, fs_open(mnt, "again", O_RDONLY), -ENOENT);
	static uint8_t buf[IPC_BUF_MAX];
	long n, total = 0;
	while ((n = fs_read(f, buf, sizeof(buf))) > 0) {
		crc = crc32(crc, buf, (size_t)n);
		total += n;
	}
	EXPECT_EQ(t, total, size);
	EXPECT_EQ(t, crc, want);
	struct fs_stat s;
	EXPECT_EQ(t, fs_stat(f, FS_FSTAT, NULL, 0, &s), 0);
	EXPECT_EQ(t, s.st_nlink, 0);
	handle_close(f);
	/* the close is a message (no senders): any later request follows it */
	q = (struct fsreq){ .label = FS_STATFS, .recv = &after, .recv_cap = sizeof(after) };
	ASSERT_TRUE(t, fs_req(mnt, &q) == 0);
	if (kernel_has_no_senders())
		EXPECT_TRUE(t, after.f_bfree >= before.f_bfree + 300);  /* its blocks came back */
}

/* sdd: a small empty file system filled up: ENOSPC, then room again. */
static void enospc(struct utest *t)
{
	int mnt = mount_of("/mnt/sdd");
	if (mnt < 0) {
		t->skip = "no /mnt/sdd";
		return;
	}
	int f = fs_open(mnt, "fill", O_CREAT | O_WRONLY);
	ASSERT_TRUE(t, f > 0);
	static uint8_t buf[IPC_BUF_MAX];
	long n = 0, total = 0;
	for (int i = 0; i < 4096 && (n = fs_write(f, buf, sizeof(buf))) == (long)sizeof(buf); i++)
		total += n;
	if (n > 0) {
		total += n;
		n = fs_write(f, buf, sizeof(buf));
	}
	EXPECT_EQ(t, n, -ENOSPC);
	handle_close(f);
	struct fs_statfs st;
	struct fsreq q = { .label = FS_STATFS, .recv = &st, .recv_cap = sizeof(st) };
	ASSERT_TRUE(t, fs_req(mnt, &q) == 0);
	printf("    # ufs: sdd full after %ld bytes; %llu blocks free\n", total, (unsigned long long)st.f_bfree);
	EXPECT_TRUE(t, total > (1L << 20));
	EXPECT_EQ(t, fs_path_req(mnt, FS_MKDIR, "dir", NULL, 0755), ENOSPC);
	EXPECT_EQ(t, fs_path_req(mnt, FS_UNLINK, "fill", NULL, 0), 0);
	EXPECT_EQ(t, put_file(mnt, "after", "room again\n"), 0);
	q = (struct fsreq){ .label = FS_UNMOUNT };
	EXPECT_EQ(t, fs_req(mnt, &q), 0);
}

/* An ext2d of the suite's own on sdd (block-service disk 4: after ram0,
 * sda, sdb, sdc; the shell's "blk4" handle), started as `mount` starts one
 * by hand, with a cache of 64 KiB: a 1 MiB file written through it must
 * push dirty blocks out before any sync (memory pressure) and read back
 * from the disk. The host dumps /pressure (ufs_image.py check ... enospc). */
#define PRESSURE_BYTES (1UL << 20)

static void small_cache_pressure(struct utest *t)
{
	if (handle_named("blk4") < 0) {
		t->skip = "no blk4 handle (sdd, blk=kernel)";
		return;
	}
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "ext2d", "--disk", "4", "--mount", "/mnt/small", "--cache-kb", "64", NULL };
		execve("/bin/ext2d", argv, environ);
		_exit(127);
	}
	ASSERT_TRUE(t, pid > 0);
	int mnt = -1;
	char rest[16];
	for (int i = 0; i < 2000 && mnt < 0; i++) {
		long h = syscall6(__NR_mount_open, (long)"/mnt/small", (long)rest, sizeof(rest), 0, 0, 0);
		if (h >= 0 && !rest[0])
			mnt = (int)h;
		else if (h >= 0)
			handle_close((int)h);
		if (mnt < 0)
			usleep(10000);
	}
	ASSERT_TRUE(t, mnt > 0);
	struct fs_cache_stats a, b, c;
	ASSERT_TRUE(t, fs_stats(mnt, &a) == 0);
	EXPECT_EQ(t, a.slots, 64);
	int f = fs_open(mnt, "pressure", O_CREAT | O_EXCL | O_RDWR);
	ASSERT_TRUE(t, f > 0);
	static uint8_t buf[IPC_BUF_MAX];
	unsigned int want = 0, crc;
	for (unsigned long off = 0; off < PRESSURE_BYTES; off += IPC_BUF_MAX) {
		fill_pat(buf, off, IPC_BUF_MAX);
		want = crc32(want, buf, IPC_BUF_MAX);
		EXPECT_EQ(t, fs_write(f, buf, IPC_BUF_MAX), IPC_BUF_MAX);
	}
	handle_close(f);
	ASSERT_TRUE(t, fs_stats(mnt, &b) == 0);
	EXPECT_TRUE(t, b.written_back >= 1024 - 64);    /* no sync yet: the clock made room */
	EXPECT_TRUE(t, b.dirty <= 64);
	EXPECT_EQ(t, file_crc(mnt, "pressure", IPC_BUF_MAX, &crc), (long)PRESSURE_BYTES);
	EXPECT_EQ(t, crc, want);
	ASSERT_TRUE(t, fs_stats(mnt, &c) == 0);
	EXPECT_TRUE(t, c.read_bios > b.read_bios);      /* read back from the disk */
	printf("    # ufs: 1 MiB through a 64-block cache: %llu blocks written back before any sync, "
	       "%llu read bios to read it back\n", (unsigned long long)(b.written_back - a.written_back),
	       (unsigned long long)(c.read_bios - b.read_bios));
	struct fsreq q = { .label = FS_UNMOUNT };
	EXPECT_EQ(t, fs_req(mnt, &q), 0);
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	handle_close(mnt);
}

/* Four processes at once on sda: three read "big" (one file, one open
 * each), one writes files of its own, while the parent syncs; the
 * single-threaded server answers them in turn and each gets its own
 * bytes. */
static void child_reads_big(void)
{
	int mnt = mount_of("/mnt/sda");
	unsigned int want, crc;
	long size;
	if (mnt < 0 || load_manifest(mnt) || manifest_entry("big", &want, &size))
		_exit(2);
	_exit(file_crc(mnt, "big", 3000, &crc) == size && crc == want ? 0 : 1);
}

static void child_writes(void)
{
	int mnt = mount_of("/mnt/sda");
	static uint8_t buf[IPC_BUF_MAX];
	char name[32];
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "made/par-%d", i);
		int f = fs_open(mnt, name, O_CREAT | O_EXCL | O_RDWR);
		if (f < 0)
			_exit(1);
		for (unsigned long off = 0; off < 5 * IPC_BUF_MAX; off += IPC_BUF_MAX) {
			fill_pat(buf, off + (unsigned long)i, IPC_BUF_MAX);
			if (fs_write(f, buf, IPC_BUF_MAX) != IPC_BUF_MAX)
				_exit(1);
		}
		handle_close(f);
	}
	_exit(0);
}

static void several_processes(struct utest *t)
{
	if (rw_sda(t) < 0)
		return;
	int pids[4];
	for (int i = 0; i < 4; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			if (i == 3)
				child_writes();
			child_reads_big();
		}
		ASSERT_TRUE(t, pids[i] > 0);
	}
	/* syncs in the middle of the writes: each must leave the disk whole */
	int mnt0 = sda(t);
	for (int i = 0; i < 20; i++) {
		struct fsreq q = { .label = FS_SYNC };
		EXPECT_EQ(t, fs_req(mnt0, &q), 0);
	}
	for (int i = 0; i < 4; i++) {
		int status;
		EXPECT_EQ(t, waitpid(pids[i], &status, 0), pids[i]);
		EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	int mnt = sda(t);
	unsigned int crc;
	EXPECT_EQ(t, file_crc(mnt, "made/par-7", IPC_BUF_MAX, &crc), 5 * IPC_BUF_MAX);
}

#define KILLED_BYTES (4UL << 20)

static int pid_of(const char *comm)
{
	struct proc_stat st;
	for (int pid = 1; proc_stat(pid, &st, PROC_STAT_NEXT) > 0; pid = st.pid + 1)
		if (!strcmp(st.comm, comm))
			return st.pid;
	return -1;
}

static void child_writes_killed(void)
{
	int mnt = mount_of("/mnt/sda");
	int f = fs_open(mnt, "made/killed", O_CREAT | O_EXCL | O_WRONLY);
	int mo = memobj_create(FS_IO_MAX);
	uint8_t *p = memobj_map(mo, NULL, FS_IO_MAX, PROT_READ | PROT_WRITE, 0);
	if (f < 0 || mo < 0 || p == MAP_FAILED)
		_exit(2);
	for (unsigned long off = 0; off < KILLED_BYTES; off += FS_IO_MAX) {
		fill_pat(p, off, FS_IO_MAX);
		struct ipc_ext x = { .send_handles = { mo }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
		struct ipc_msg m = { .tag = FS_WRITE | IPC_TAG_LEND, .w = { FS_IO_MAX } };
		if (ipc_call_ext(f, &m, &x) || (m.tag & IPC_LABEL_MASK) || m.w[0] != FS_IO_MAX)
			_exit(3);
	}
	struct fsreq q = { .label = FS_FSYNC };
	_exit(fs_req(f, &q) ? 4 : 0);
}

/* blk=user: ahcid killed while 4 MiB of dirty blocks go to the disk. The
 * block library sends the bios again to the restarted driver; the file is
 * whole (read back here, dumped on the host: made/killed) and the image
 * clean. Where the kill lands is up to the scheduler; every place must
 * give the same result. */
static void driver_killed_during_writeback(struct utest *t)
{
	int mnt = rw_sda(t);
	if (mnt < 0)
		return;
	int ahcid = pid_of("ahcid");
	if (ahcid < 0) {
		t->skip = "no ahcid (blk=kernel)";
		return;
	}
	struct fs_cache_stats a, b;
	ASSERT_TRUE(t, fs_stats(mnt, &a) == 0);
	int child = fork();
	if (child == 0)
		child_writes_killed();
	ASSERT_TRUE(t, child > 0);
	/* kill once the writes are in the cache: the fsync is next */
	for (int i = 0; i < 100000; i++) {
		if (fs_stats(mnt, &b) || b.dirty >= KILLED_BYTES / 1024)
			break;
	}
	EXPECT_EQ(t, kill(ahcid, SIGKILL), 0);
	int status;
	EXPECT_EQ(t, waitpid(child, &status, 0), child);
	EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_TRUE(t, fs_stats(mnt, &b) == 0);
	EXPECT_EQ(t, b.dirty, 0);
	unsigned int crc, want = 0;
	static uint8_t buf[IPC_BUF_MAX];
	for (unsigned long off = 0; off < KILLED_BYTES; off += IPC_BUF_MAX) {
		fill_pat(buf, off, IPC_BUF_MAX);
		want = crc32(want, buf, IPC_BUF_MAX);
	}
	EXPECT_EQ(t, file_crc(mnt, "made/killed", IPC_BUF_MAX, &crc), (long)KILLED_BYTES);
	EXPECT_EQ(t, crc, want);
	printf("    # ufs: ahcid %d killed under the write-back; %u bios sent again\n", ahcid,
	       b.blk_retried - a.blk_retried);
}

/* A crashed server is restarted by init on the same endpoint: the mount's
 * handle works again; an open file of the old one does not (EBADF: the
 * badge's generation is the old server's pid). */
static void crash_restarts(struct utest *t)
{
	int mnt = mount_of("/mnt/sdb");
	if (mnt < 0) {
		t->skip = "no /mnt/sdb";
		return;
	}
	struct fs_cache_stats a, b;
	int f = fs_open(mnt, "files/size-1", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	ASSERT_TRUE(t, fs_stats(mnt, &a) == 0);
	ASSERT_TRUE(t, a.server_pid > 1);
	EXPECT_EQ(t, kill((int)a.server_pid, SIGKILL), 0);
	ASSERT_TRUE(t, fs_stats(mnt, &b) == 0);         /* waits for the new server */
	EXPECT_TRUE(t, b.server_pid != a.server_pid);
	char c;
	EXPECT_EQ(t, fs_read(f, &c, 1), -EBADF);
	handle_close(f);
	unsigned int crc;
	EXPECT_EQ(t, file_crc(mnt, "files/size-1", 100, &crc), 1);
	printf("    # ufs: ext2d %u killed, %u serves /mnt/sdb\n", a.server_pid, b.server_pid);
}

/* Last: FS_UNMOUNT syncs, marks the file system clean (the host checks)
 * and the server exits; init does not restart it. */
static void unmount(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return;
	struct fsreq q = { .label = FS_SYNC };
	EXPECT_EQ(t, fs_req(mnt, &q), 0);
	q = (struct fsreq){ .label = FS_UNMOUNT };
	EXPECT_EQ(t, fs_req(mnt, &q), 0);
	/* out of the table */
	struct mount_info mi;
	int listed = 0;
	for (unsigned int i = 0; syscall6(__NR_mount_list, i, (long)&mi, 0, 0, 0, 0) == 0; i++)
		listed += !strcmp(mi.path, "/mnt/sda");
	EXPECT_EQ(t, listed, 0);
}

const struct ucase fs_cases[] = {
	{ "mounted", mounted },
	{ "readahead_large_bios", readahead_large_bios },       /* first: "big" must be cold */
	{ "second_read_no_io", second_read_no_io },
	{ "every_file_crc", every_file_crc },
	{ "memobj_reads", memobj_reads },
	{ "readdir_stat_links", readdir_stat_links },
	{ "errors", errors },
	{ "corrupt_image", corrupt_image },
	{ "closed_files_freed", closed_files_freed },
	{ "read_only_refuses_writes", read_only_refuses_writes },
	{ "create_append_overwrite", create_append_overwrite },
	{ "big_write_fsync", big_write_fsync },
	{ "truncate_shrink_grow", truncate_shrink_grow },
	{ "rename_unlink_rmdir", rename_unlink_rmdir },
	{ "open_dir_stays_fresh", open_dir_stays_fresh },
	{ "unlink_open_file", unlink_open_file },
	{ "timer_writes_back", timer_writes_back },
	{ "enospc", enospc },
	{ "small_cache_pressure", small_cache_pressure },
	{ "several_processes", several_processes },
	{ "driver_killed_during_writeback", driver_killed_during_writeback },
	{ "crash_restarts", crash_restarts },
	{ "unmount", unmount },
	{ NULL, NULL },
};
