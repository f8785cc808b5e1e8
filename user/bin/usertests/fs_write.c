/*
 * usertests, suite ufs (fs.c has the helpers and the table): the write
 * side on sda, ENOSPC and memory pressure on sdd, several processes, a
 * killed driver and a killed server. What the host checks after the boot
 * is in tools/ufs_image.py (check IMG writes|writes-killed|enospc).
 */
#include "ufs.h"

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

void create_append_overwrite(struct utest *t)
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
void big_write_fsync(struct utest *t)
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

void truncate_shrink_grow(struct utest *t)
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

void rename_unlink_rmdir(struct utest *t)
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
void open_dir_stays_fresh(struct utest *t)
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
 * they are DIRTY_SECONDS (5 s) old. Polled every 100 ms (a poll a second
 * added up to a second to each boot running it), at most 600 times: the
 * test asserts that it happens, not how soon. */
void timer_writes_back(struct utest *t)
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
		usleep(100 * 1000);
		ASSERT_TRUE(t, fs_stats(mnt, &b) == 0);
	} while (b.dirty && ++polls < 600);
	EXPECT_EQ(t, b.dirty, 0);
	EXPECT_TRUE(t, b.written_back >= a.written_back + a.dirty);
	printf("    # ufs: %u dirty blocks written back by the timer after %d ms\n", a.dirty, (polls + 1) * 100);
}

/* An open file loses its name: still read through its handle, freed at
 * the last close (the host finds no orphan inode). */
void unlink_open_file(struct utest *t)
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
void enospc(struct utest *t)
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
	expect_server_gone(t, mnt);
}

/* An ext2d of the suite's own on sdd (block-service disk 4: after ram0,
 * sda, sdb, sdc; the shell's "blk4" handle), started as `mount` starts one
 * by hand, with a cache of 64 KiB: a 1 MiB file written through it must
 * push dirty blocks out before any sync (memory pressure) and read back
 * from the disk. The host dumps /pressure (ufs_image.py check ... enospc). */
#define PRESSURE_BYTES (1UL << 20)

void small_cache_pressure(struct utest *t)
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

void several_processes(struct utest *t)
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
void driver_killed_during_writeback(struct utest *t)
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
void crash_restarts(struct utest *t)
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

