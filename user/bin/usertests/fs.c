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
 * on a kernel without one, through init's "sda" handle. This file: the
 * helpers, the read cases and the case table; fs_write.c: the rest.
 */
#include "ufs.h"

#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })


long fs_req(int h, struct fsreq *q)
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
int mount_of(const char *path)
{
	static struct { char path[MOUNT_PATH_MAX]; int h; } known[8];
	for (int i = 0; i < 8 && known[i].path[0]; i++)
		if (!strcmp(known[i].path, path))
			return known[i].h;
	char rest[64];
	long h = syscall6(__NR_mount_open, (long)path, (long)rest, sizeof(rest), 0, 0, 0);
	if (h >= 0 && rest[0]) {
		handle_close((int)h);   /* a mount above it ("/"): not path's own */
		h = -1;
	}
	if (h < 0)
		h = handle_named(strrchr(path, '/') + 1);
	for (int i = 0; i < 8; i++)
		if (!known[i].path[0]) {
			strlcpy(known[i].path, path, sizeof(known[i].path));
			known[i].h = (int)h;
			break;
		}
	return (int)h;
}

int sda(struct utest *t)
{
	int h = mount_of("/mnt/sda");
	if (h < 0)
		t->skip = "no /mnt/sda (no mount table entry, no \"sda\" handle)";
	return h;
}

/* FS_OPEN: the open file's handle, or -status. */
int fs_open(int mnt, const char *path, int flags)
{
	struct fsreq q = { .label = FS_OPEN, .w = { (unsigned long)flags, 0644 }, .send = path,
			   .send_len = strlen(path) + 1 };
	long st = fs_req(mnt, &q);
	if (st)
		return st < 0 ? (int)st : -(int)st;
	return q.handle;
}

long fs_read(int f, void *buf, size_t n)
{
	struct fsreq q = { .label = FS_READ, .w = { n }, .recv = buf, .recv_cap = n };
	long st = fs_req(f, &q);
	return st ? (st < 0 ? st : -st) : (long)q.w[0];
}

long fs_stat(int h, unsigned long label, const char *path, int flags, struct fs_stat *s)
{
	struct fsreq q = { .label = label, .w = { (unsigned long)flags }, .send = path,
			   .send_len = path ? strlen(path) + 1 : 0, .recv = s, .recv_cap = sizeof(*s) };
	return fs_req(h, &q);
}

long fs_stats(int mnt, struct fs_cache_stats *s)
{
	struct fsreq q = { .label = FS_PRIVATE_STATS, .recv = s, .recv_cap = sizeof(*s) };
	return fs_req(mnt, &q);
}

/* A whole file's CRC and length, in reads of chunk bytes. */
long file_crc(int mnt, const char *path, size_t chunk, unsigned int *crc)
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

int load_manifest(int mnt)
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

int manifest_entry(const char *path, unsigned int *crc, long *size)
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
	/* Reads only: the write-back timer may meanwhile write the superblock
	 * mount dirtied (a write bio here failed the PAE boot once). */
	EXPECT_TRUE(t, b.read_bios > a.read_bios);     /* the first read went to the disk */
	EXPECT_EQ(t, c.read_bios, b.read_bios);         /* the second did not */
	EXPECT_TRUE(t, c.hits - b.hits >= 300);
	EXPECT_EQ(t, crc1, crc2);
	printf("    # ufs: 300 KiB twice: %llu read bios, then %llu; %llu cache hits the second time\n",
	       (unsigned long long)(b.read_bios - a.read_bios), (unsigned long long)(c.read_bios - b.read_bios),
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

/* The walk of one mount: every directory listed, every regular file
 * read; what failed, by errno. */
struct walk {
	int files, dirs, euclean, other;
};

static void walk_dir(int mnt, const char *path, int depth, struct walk *w)
{
	static uint8_t buf[IPC_BUF_MAX];
	int d = fs_open(mnt, path, O_RDONLY | O_DIRECTORY);
	if (d < 0) {
		d == -EUCLEAN ? w->euclean++ : w->other++;
		return;
	}
	w->dirs++;
	for (;;) {
		struct fsreq q = { .label = FS_READDIR, .recv = buf, .recv_cap = sizeof(buf) };
		long st = fs_req(d, &q);
		if (st) {
			st == EUCLEAN ? w->euclean++ : w->other++;
			break;
		}
		if (!q.w[0])
			break;
		/* the names first: the walk below reuses buf */
		static char names[64][300];
		static uint8_t types[64];
		int n = 0;
		for (unsigned long off = 0; off < q.w[0] && n < 64;) {
			struct fs_dirent *de = (struct fs_dirent *)(buf + off);
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
				snprintf(names[n], sizeof(names[n]), "%s%s%s", path, *path ? "/" : "", de->d_name);
				types[n++] = de->d_type;
			}
			off += de->d_reclen;
		}
		for (int i = 0; i < n; i++) {
			unsigned int crc;
			if (types[i] == DT_DIR && depth < 12) {
				static char sub[300];
				strcpy(sub, names[i]);
				walk_dir(mnt, sub, depth + 1, w);
			} else if (types[i] == DT_REG) {
				long r = file_crc(mnt, names[i], IPC_BUF_MAX, &crc);
				w->files++;
				if (r < 0)
					r == -EUCLEAN ? w->euclean++ : w->other++;
			}
		}
	}
	handle_close(d);
}

/* The corrupt-image boot (ufs.ini's ufs_corrupt.*): each mount named by
 * the setting ufs_walk=sda,sdb... holds one image of tools/ext2_corrupt.py
 * that mounts but breaks a file or a directory. Walking it all must meet
 * EUCLEAN (and nothing else), twice alike, with the same server alive
 * after it. Without the setting: skipped. */
static void corrupt_walk(struct utest *t)
{
	const char *list = NULL;
	for (char **a = usertests_args; *a; a++)
		if (!strncmp(*a, "ufs_walk=", 9))
			list = *a + 9;
	if (!list) {
		t->skip = "no ufs_walk=sdX,... setting";
		return;
	}
	char name[8], path[16];
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		p += len + (p[len] == ',');
		snprintf(path, sizeof(path), "/mnt/%s", name);
		int mnt = mount_of(path);
		if (mnt < 0) {
			printf("    # ufs: %s is not mounted\n", path);
			t->failures++;
			continue;
		}
		struct fs_cache_stats a, b;
		struct walk w1 = { 0 }, w2 = { 0 };
		ASSERT_TRUE(t, fs_stats(mnt, &a) == 0);
		walk_dir(mnt, "", 0, &w1);
		walk_dir(mnt, "", 0, &w2);
		ASSERT_TRUE(t, fs_stats(mnt, &b) == 0);
		printf("    # ufs: %s: %d directories, %d files; %d EUCLEAN, %d other errors\n", path, w1.dirs,
		       w1.files, w1.euclean, w1.other);
		EXPECT_TRUE(t, w1.euclean >= 1);
		EXPECT_EQ(t, w1.other, 0);
		EXPECT_TRUE(t, w1.files > 10);
		EXPECT_EQ(t, w2.euclean, w1.euclean);
		EXPECT_EQ(t, w2.files, w1.files);
		EXPECT_EQ(t, b.server_pid, a.server_pid);       /* it never crashed */
	}
}

/* Does this kernel tell a server that a minted handle's last copy is
 * gone? (IPC_LABEL_NO_SENDERS: the `kipc` branch.) */
int kernel_has_no_senders(void)
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

void expect_server_gone(struct utest *t, int mnt)
{
	struct fs_statfs st;
	struct fsreq q = { .label = FS_STATFS, .recv = &st, .recv_cap = sizeof(st) };
	EXPECT_EQ(t, fs_req(mnt, &q), -EPIPE);
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
	/* Everything the suite did on a healthy disk, readahead included
	 * (whose failures no reader sees), without one bio refused. */
	struct fs_cache_stats st;
	ASSERT_TRUE(t, fs_stats(mnt, &st) == 0);
	EXPECT_EQ(t, st.bio_errors, 0);
	q = (struct fsreq){ .label = FS_UNMOUNT };
	EXPECT_EQ(t, fs_req(mnt, &q), 0);
	expect_server_gone(t, mnt);
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
	{ "bmap_pieces", bmap_pieces },         /* skips without ufs_image.py bmap's /BMAP */
	{ "memobj_reads", memobj_reads },
	{ "mmap_file_crc", mmap_file_crc },
	{ "readdir_stat_links", readdir_stat_links },
	{ "errors", errors },
	{ "corrupt_image", corrupt_image },
	{ "corrupt_walk", corrupt_walk },
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
	{ "bmap_write", bmap_write },
	{ "unmount", unmount },
	{ NULL, NULL },
};
