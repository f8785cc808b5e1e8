/*
 * usertests, suite uroot: the initramfs served read-only at "/" by the
 * kernel (kernel/fs/rootfs.c): found through mount_open like any mount,
 * spoken to in the file protocol (<pagoda/fs.h>) with raw IPC, so what is
 * tested is the server, not the library. /bin/hello read through it
 * matches its FS_FSTAT size, in pieces, at offsets and through a lent
 * memory object, and runs with execve_memobj; directories list the
 * archive and the mount points; writes are EROFS, missing names ENOENT;
 * fork shares an open file's offset; closing gives every object back.
 */
#include "utest.h"
#include <pagoda/fs.h>
#include <sys/mount.h>

/* One request: the reply's label (0 or a positive errno), or -errno of
 * the call itself. The path (or data) goes in the buffer; the reply's
 * words to w, its buffer to rbuf (rcap bytes, *rlen its length), a
 * handle that came to *hout. lend: a memory object lent for the call. */
struct req {
	const void *sbuf;
	size_t slen;
	unsigned long w[3];
	void *rbuf;
	size_t rcap, rlen;
	int lend, hout;
};

static long fs_call(int h, unsigned long label, struct req *r)
{
	struct ipc_ext x = { .send_buf = r->sbuf, .send_len = r->slen, .recv_buf = r->rbuf,
			     .recv_cap = r->rcap, .timeout_ms = IPC_FOREVER };
	struct ipc_msg m = { .tag = label, .w = { r->w[0], r->w[1], r->w[2] } };
	if (r->lend) {
		m.tag |= IPC_TAG_LEND;
		x.send_handles[0] = r->lend;
		x.send_nhandles = 1;
	}
	r->hout = 0;
	if (ipc_call_ext(h, &m, &x) < 0)
		return -errno;
	memcpy(r->w, m.w, sizeof(r->w));
	r->rlen = x.recv_len;
	if (x.recv_nhandles)
		r->hout = x.recv_handles[0];
	return (long)(m.tag & IPC_LABEL_MASK);
}

/* A path request to the root's handle with path (NUL-terminated). */
static long path_call(int root, unsigned long label, const char *path, struct req *r)
{
	r->sbuf = path;
	r->slen = strlen(path) + 1;
	return fs_call(root, label, r);
}

static int root_handle(void)
{
	char rest[8];
	return mount_open("/", rest, sizeof(rest));
}

/* FS_OPEN: the open file's handle, or -status. */
static int open_at(int root, const char *path, unsigned long flags)
{
	struct req r = { .w = { flags } };
	long st = path_call(root, FS_OPEN, path, &r);
	if (st)
		return st > 0 ? (int)-st : (int)st;
	return r.hout ? r.hout : -1000;
}

static long fstat_of(int f, struct fs_stat *st)
{
	struct req r = { .rbuf = st, .rcap = sizeof(*st) };
	long s = fs_call(f, FS_FSTAT, &r);
	return s ? s : r.rlen == sizeof(*st) ? 0 : -1000;
}

static bool root_mount_info(struct mount_info *out)
{
	for (unsigned int i = 0; mount_list(i, out) == 0; i++)
		if (!strcmp(out->path, "/"))
			return true;
	return false;
}

static void root_is_mounted(struct utest *t)
{
	struct mount_info mi;
	ASSERT_TRUE(t, root_mount_info(&mi));
	EXPECT_EQ(t, strcmp(mi.source, "initramfs"), 0);
	EXPECT_EQ(t, strcmp(mi.fstype, "initramfs"), 0);
	EXPECT_EQ(t, mi.flags, MOUNT_RDONLY);
	EXPECT_TRUE(t, mi.id > 0);
	char rest[32];
	int h = mount_open("/bin/hello", rest, sizeof(rest));
	ASSERT_TRUE(t, h > 0);
	EXPECT_EQ(t, strcmp(rest, "bin/hello"), 0);
	struct req r = { 0 };
	struct fs_statfs sf;
	r.rbuf = &sf;
	r.rcap = sizeof(sf);
	EXPECT_EQ(t, fs_call(h, FS_STATFS, &r), 0);
	EXPECT_EQ(t, r.rlen, sizeof(sf));
	EXPECT_EQ(t, sf.f_flags, FS_RDONLY);
	EXPECT_EQ(t, strcmp(sf.f_type, "initrd"), 0);
	EXPECT_EQ(t, sf.f_bsize, 4096);
	EXPECT_TRUE(t, sf.f_files > 2 && sf.f_blocks > 0);
	handle_close(h);
}

/* /bin/hello's bytes, read through the root with 1000-byte reads, into
 * *buf (malloc'd); its size, or -1. */
static long read_all(struct utest *t, int f, unsigned char **buf)
{
	struct fs_stat st;
	if (fstat_of(f, &st))
		return -1;
	*buf = malloc(st.st_size + 1);
	long total = 0;
	for (int calls = 0; calls < 10000; calls++) {
		struct req r = { .w = { 1000 }, .rbuf = *buf + total, .rcap = 1000 };
		if (total + 1000 > (long)st.st_size + 1)
			r.rcap = (size_t)(st.st_size + 1 - total);
		long s = fs_call(f, FS_READ, &r);
		EXPECT_EQ(t, s, 0);
		if (s || !r.w[0])
			break;
		EXPECT_EQ(t, r.rlen, r.w[0]);
		total += (long)r.w[0];
	}
	EXPECT_EQ(t, total, (long)st.st_size);
	return total;
}

static void read_hello(struct utest *t)
{
	int root = root_handle();
	ASSERT_TRUE(t, root > 0);
	int f = open_at(root, "bin/hello", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	struct fs_stat st;
	ASSERT_TRUE(t, fstat_of(f, &st) == 0);
	EXPECT_TRUE(t, S_ISREG(st.st_mode));
	EXPECT_TRUE(t, st.st_size > 1000);
	struct mount_info mi;
	EXPECT_TRUE(t, root_mount_info(&mi));
	EXPECT_EQ(t, st.st_dev, mi.id);
	EXPECT_EQ(t, st.st_blksize, 4096);
	/* FS_STAT of the path says the same. */
	struct fs_stat st2;
	struct req r = { .rbuf = &st2, .rcap = sizeof(st2) };
	EXPECT_EQ(t, path_call(root, FS_STAT, "bin/hello", &r), 0);
	EXPECT_EQ(t, st2.st_size, st.st_size);
	EXPECT_EQ(t, st2.st_ino, st.st_ino);

	unsigned char *all = NULL;
	long size = read_all(t, f, &all);
	ASSERT_TRUE(t, size == (long)st.st_size);
	EXPECT_EQ(t, memcmp(all, "\177ELF", 4), 0);
	/* At the end: 0. */
	unsigned char b[16];
	r = (struct req){ .w = { 16 }, .rbuf = b, .rcap = 16 };
	EXPECT_EQ(t, fs_call(f, FS_READ, &r), 0);
	EXPECT_EQ(t, r.w[0], 0);
	/* FS_PREAD at an offset; the file offset stays at the end. */
	r = (struct req){ .w = { 8, FS_OFF_LO(size - 5), FS_OFF_HI(size - 5) }, .rbuf = b, .rcap = 16 };
	EXPECT_EQ(t, fs_call(f, FS_PREAD, &r), 0);
	EXPECT_EQ(t, r.w[0], 5);                        /* cut at the end */
	EXPECT_EQ(t, memcmp(b, all + size - 5, 5), 0);
	/* FS_LSEEK: SEEK_END, SEEK_SET, SEEK_CUR, and a negative result. */
	r = (struct req){ .w = { 0, 0, SEEK_END } };
	EXPECT_EQ(t, fs_call(f, FS_LSEEK, &r), 0);
	EXPECT_EQ(t, r.w[0], (unsigned long)size);
	r = (struct req){ .w = { 4, 0, SEEK_SET } };
	EXPECT_EQ(t, fs_call(f, FS_LSEEK, &r), 0);
	r = (struct req){ .w = { 4, 0, SEEK_CUR } };
	EXPECT_EQ(t, fs_call(f, FS_LSEEK, &r), 0);
	EXPECT_EQ(t, r.w[0], 8);
	r = (struct req){ .w = { 4 }, .rbuf = b, .rcap = 16 };
	EXPECT_EQ(t, fs_call(f, FS_READ, &r), 0);
	EXPECT_EQ(t, r.w[0], 4);
	EXPECT_EQ(t, memcmp(b, all + 8, 4), 0);
	r = (struct req){ .w = { FS_OFF_LO(-100LL), FS_OFF_HI(-100LL), SEEK_CUR } };
	EXPECT_EQ(t, fs_call(f, FS_LSEEK, &r), EINVAL);
	r = (struct req){ .w = { 0, 0, 7 } };
	EXPECT_EQ(t, fs_call(f, FS_LSEEK, &r), EINVAL);

	/* The whole file in one request, into a lent memory object. */
	size_t mosize = ((size_t)size + PAGE - 1) & ~(PAGE - 1);
	int mo = memobj_create(mosize);
	ASSERT_TRUE(t, mo > 0);
	r = (struct req){ .w = { 0, 0, SEEK_SET } };
	EXPECT_EQ(t, fs_call(f, FS_LSEEK, &r), 0);
	r = (struct req){ .w = { (unsigned long)size }, .lend = mo };
	EXPECT_EQ(t, fs_call(f, FS_READ, &r), 0);
	EXPECT_EQ(t, r.w[0], (unsigned long)size);
	unsigned char *p = memobj_map(mo, NULL, mosize, PROT_READ, 0);
	ASSERT_TRUE(t, p != MAP_FAILED);
	EXPECT_EQ(t, memcmp(p, all, (size_t)size), 0);
	/* More than the object holds, or a loan we may not write. */
	r = (struct req){ .w = { mosize + 1, 0, 0 }, .lend = mo };
	EXPECT_EQ(t, fs_call(f, FS_PREAD, &r), EINVAL);
	int ro = handle_dup(mo, RIGHT_READ | RIGHT_TRANSFER);
	r = (struct req){ .w = { 16, 0, 0 }, .lend = ro };
	EXPECT_EQ(t, fs_call(f, FS_PREAD, &r), EPERM);
	handle_close(ro);

	/* The bytes read through "/" run: hello (exit 0), and usertests'
	 * --argv-sum helper, whose exit code is its arguments' (3 * 10 + 3). */
	int pid = fork();
	if (!pid) {
		char *argv[] = { "hello", "via-memobj", NULL };
		execve_memobj(mo, (unsigned long)size, argv, no_env);
		_exit(100);
	}
	int ws = -1;
	EXPECT_EQ(t, waitpid(pid, &ws, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	munmap(p, mosize);
	handle_close(mo);
	free(all);
	handle_close(f);

	f = open_at(root, "bin/usertests", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	ASSERT_TRUE(t, fstat_of(f, &st) == 0);
	mosize = ((size_t)st.st_size + PAGE - 1) & ~(PAGE - 1);
	mo = memobj_create(mosize);
	ASSERT_TRUE(t, mo > 0);
	unsigned long done = 0;
	while (done < st.st_size) {
		/* FS_IO_MAX at a time, into the object's start: copy along. */
		r = (struct req){ .w = { FS_IO_MAX < mosize ? FS_IO_MAX : mosize, FS_OFF_LO(done), 0 }, .lend = mo };
		ASSERT_TRUE(t, fs_call(f, FS_PREAD, &r) == 0 && r.w[0] > 0);
		if (done) {
			/* Only one request is needed for programs under 1 MiB. */
			EXPECT_TRUE(t, 0);
			break;
		}
		done += r.w[0];
	}
	EXPECT_EQ(t, done, st.st_size);
	pid = fork();
	if (!pid) {
		char *argv[] = { "usertests", "--argv-sum", "abc", NULL };
		execve_memobj(mo, done, argv, no_env);
		_exit(100);
	}
	EXPECT_EQ(t, waitpid(pid, &ws, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(ws));
	EXPECT_EQ(t, WEXITSTATUS(ws), 33);
	handle_close(mo);
	handle_close(f);
	handle_close(root);
}

/* Every entry of directory path, read with a small buffer (several
 * requests); "name/type," each into out. */
static void list_dir(struct utest *t, int root, const char *path, char *out, size_t size)
{
	out[0] = '\0';
	int d = open_at(root, path, O_RDONLY | O_DIRECTORY);
	EXPECT_TRUE(t, d > 0);
	if (d <= 0)
		return;
	unsigned char buf[128] __attribute__((aligned(8)));
	for (int calls = 0; calls < 200; calls++) {
		struct req r = { .rbuf = buf, .rcap = sizeof(buf) };
		long s = fs_call(d, FS_READDIR, &r);
		EXPECT_EQ(t, s, 0);
		if (s || !r.w[0])
			break;
		EXPECT_EQ(t, r.rlen, r.w[0]);
		for (size_t off = 0; off < r.w[0];) {
			struct fs_dirent *e = (struct fs_dirent *)(buf + off);
			EXPECT_EQ(t, e->d_reclen % 8, 0);
			EXPECT_EQ(t, strlen(e->d_name), e->d_namelen);
			size_t n = strlen(out);
			snprintf(out + n, size - n, "%s/%d,", e->d_name, e->d_type);
			if (!e->d_reclen)
				break;
			off += e->d_reclen;
		}
	}
	handle_close(d);
}

static void readdir_lists_archive_and_mounts(struct utest *t)
{
	int root = root_handle();
	ASSERT_TRUE(t, root > 0);
	static char names[4096];
	list_dir(t, root, "", names, sizeof(names));
	EXPECT_TRUE(t, strstr(names, "./4,") == names);
	EXPECT_TRUE(t, strstr(names, ",../4,") != NULL);
	EXPECT_TRUE(t, strstr(names, ",bin/4,") != NULL);
	EXPECT_TRUE(t, strstr(names, "t_root") == NULL);
	list_dir(t, root, "bin", names, sizeof(names));
	EXPECT_TRUE(t, strstr(names, ",hello/8,") != NULL);
	EXPECT_TRUE(t, strstr(names, ",usertests/8,") != NULL);
	EXPECT_TRUE(t, strstr(names, ",sh/8,") != NULL);

	/* Mount points appear as directories: /t_root/x and /t_root/y/z. */
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	ASSERT_TRUE(t, mount("/t_root/x", ep, "t", "test", 0) == 0);
	ASSERT_TRUE(t, mount("/t_root/y/z", ep, "t", "test", 0) == 0);
	list_dir(t, root, "", names, sizeof(names));
	EXPECT_TRUE(t, strstr(names, ",t_root/4,") != NULL);
	const char *once = strstr(names, "t_root");
	EXPECT_TRUE(t, once && !strstr(once + 1, "t_root"));   /* two mounts, one name */
	list_dir(t, root, "t_root", names, sizeof(names));
	EXPECT_EQ(t, strcmp(names, "./4,../4,x/4,y/4,"), 0);
	list_dir(t, root, "t_root/y", names, sizeof(names));
	EXPECT_EQ(t, strcmp(names, "./4,../4,z/4,"), 0);
	struct fs_stat st;
	struct req r = { .rbuf = &st, .rcap = sizeof(st) };
	EXPECT_EQ(t, path_call(root, FS_STAT, "t_root/y", &r), 0);
	EXPECT_TRUE(t, S_ISDIR(st.st_mode));
	/* Under an archive directory: listed there, and "bin" still once. */
	ASSERT_TRUE(t, mount("/bin/t_mnt", ep, "t", "test", 0) == 0);
	list_dir(t, root, "", names, sizeof(names));
	once = strstr(names, ",bin/4,");
	EXPECT_TRUE(t, once && !strstr(once + 1, ",bin/"));
	list_dir(t, root, "bin", names, sizeof(names));
	EXPECT_TRUE(t, strstr(names, ",t_mnt/4,") != NULL);
	EXPECT_TRUE(t, strstr(names, ",hello/8,") != NULL);
	EXPECT_EQ(t, umount("/bin/t_mnt"), 0);
	EXPECT_EQ(t, umount("/t_root/x"), 0);
	EXPECT_EQ(t, umount("/t_root/y/z"), 0);
	handle_close(ep);
	r = (struct req){ .rbuf = &st, .rcap = sizeof(st) };
	EXPECT_EQ(t, path_call(root, FS_STAT, "t_root", &r), ENOENT);

	/* A directory is no file, a file no directory; a record must fit. */
	int f = open_at(root, "bin/hello", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	unsigned char buf[64];
	r = (struct req){ .rbuf = buf, .rcap = sizeof(buf) };
	EXPECT_EQ(t, fs_call(f, FS_READDIR, &r), ENOTDIR);
	handle_close(f);
	int d = open_at(root, "bin", O_RDONLY);
	ASSERT_TRUE(t, d > 0);
	r = (struct req){ .w = { 16 }, .rbuf = buf, .rcap = sizeof(buf) };
	EXPECT_EQ(t, fs_call(d, FS_READ, &r), EISDIR);
	r = (struct req){ .rbuf = buf, .rcap = 8 };
	EXPECT_EQ(t, fs_call(d, FS_READDIR, &r), EINVAL);
	handle_close(d);
	EXPECT_EQ(t, open_at(root, "bin/hello", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	handle_close(root);
}

static void writes_are_erofs(struct utest *t)
{
	int root = root_handle();
	ASSERT_TRUE(t, root > 0);
	EXPECT_EQ(t, open_at(root, "bin/hello", O_WRONLY), -EROFS);
	EXPECT_EQ(t, open_at(root, "bin/hello", O_RDWR), -EROFS);
	EXPECT_EQ(t, open_at(root, "bin/hello", O_RDONLY | O_TRUNC), -EROFS);
	EXPECT_EQ(t, open_at(root, "bin/new", O_RDONLY | O_CREAT), -EROFS);
	EXPECT_EQ(t, open_at(root, "bin/hello", O_RDONLY | O_CREAT | O_EXCL), -EEXIST);
	struct req r = { .w = { 0755 } };
	EXPECT_EQ(t, path_call(root, FS_MKDIR, "newdir", &r), EROFS);
	r = (struct req){ 0 };
	EXPECT_EQ(t, path_call(root, FS_UNLINK, "bin/hello", &r), EROFS);
	EXPECT_EQ(t, path_call(root, FS_RMDIR, "bin", &r), EROFS);
	static const char two[] = "bin/hello\0bin/hi";
	r = (struct req){ .sbuf = two, .slen = sizeof(two) };
	EXPECT_EQ(t, fs_call(root, FS_RENAME, &r), EROFS);
	r = (struct req){ .sbuf = two, .slen = sizeof(two) };
	EXPECT_EQ(t, fs_call(root, FS_SYMLINK, &r), EROFS);
	int f = open_at(root, "bin/hello", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	r = (struct req){ .sbuf = "x", .slen = 1 };
	EXPECT_EQ(t, fs_call(f, FS_WRITE, &r), EBADF);          /* open read-only */
	r = (struct req){ .w = { 0, 0 } };
	EXPECT_EQ(t, fs_call(f, FS_TRUNCATE, &r), EROFS);
	r = (struct req){ .w = { FS_TIME_NOW, FS_TIME_NOW } };
	EXPECT_EQ(t, fs_call(f, FS_UTIMES, &r), EROFS);
	/* and the file is as it was */
	struct fs_stat st;
	EXPECT_EQ(t, fstat_of(f, &st), 0);
	EXPECT_TRUE(t, st.st_size > 0);
	handle_close(f);
	handle_close(root);
}

static void missing_names_and_wrong_handles(struct utest *t)
{
	int root = root_handle();
	ASSERT_TRUE(t, root > 0);
	EXPECT_EQ(t, open_at(root, "nope", O_RDONLY), -ENOENT);
	EXPECT_EQ(t, open_at(root, "bin/nope", O_RDONLY), -ENOENT);
	EXPECT_EQ(t, open_at(root, "bin/hello/x", O_RDONLY), -ENOENT);
	EXPECT_EQ(t, open_at(root, "bi", O_RDONLY), -ENOENT);
	struct fs_stat st;
	struct req r = { .rbuf = &st, .rcap = sizeof(st) };
	EXPECT_EQ(t, path_call(root, FS_STAT, "nope", &r), ENOENT);
	/* A path without its NUL. */
	r = (struct req){ .sbuf = "bin", .slen = 3, .rbuf = &st, .rcap = sizeof(st) };
	EXPECT_EQ(t, fs_call(root, FS_STAT, &r), EINVAL);
	/* No room for the stat: the reply is cut, as from any server, and
	 * recv_len says how long it was. */
	r = (struct req){ 0 };
	EXPECT_EQ(t, path_call(root, FS_STAT, "bin", &r), 0);
	EXPECT_EQ(t, r.rlen, sizeof(st));
	/* File requests to the mount, path requests to a file, no request. */
	r = (struct req){ .w = { 16 } };
	EXPECT_EQ(t, fs_call(root, FS_READ, &r), EBADF);
	int f = open_at(root, "bin/hello", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	r = (struct req){ 0 };
	EXPECT_EQ(t, path_call(f, FS_OPEN, "bin/hello", &r), EBADF);
	EXPECT_EQ(t, fs_call(f, 999, &r), EINVAL);
	EXPECT_EQ(t, fs_call(root, 999, &r), EINVAL);
	handle_close(f);
	handle_close(root);
}

/* fork shares the open file and its offset; the last close frees it. */
static void fork_shares_offset(struct utest *t)
{
	int root = root_handle();
	ASSERT_TRUE(t, root > 0);
	struct leak_mark mark;
	int f = open_at(root, "bin/hello", O_RDONLY);   /* warm-up */
	handle_close(f);
	leak_mark(&mark);
	f = open_at(root, "bin/hello", O_RDONLY);
	ASSERT_TRUE(t, f > 0);
	int pid = fork();
	if (!pid) {
		unsigned char b[10];
		struct req r = { .w = { 10 }, .rbuf = b, .rcap = 10 };
		_exit(fs_call(f, FS_READ, &r) == 0 && r.w[0] == 10 ? 0 : 1);
	}
	int ws = -1;
	EXPECT_EQ(t, waitpid(pid, &ws, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	struct req r = { .w = { 0, 0, SEEK_CUR } };
	EXPECT_EQ(t, fs_call(f, FS_LSEEK, &r), 0);
	EXPECT_EQ(t, r.w[0], 10);                       /* the child's read moved ours */
	handle_close(f);
	expect_no_leak(t, &mark);
	handle_close(root);
}

const struct ucase root_cases[] = {
	{ "root_is_mounted", root_is_mounted },
	{ "read_hello", read_hello },
	{ "readdir_lists_archive_and_mounts", readdir_lists_archive_and_mounts },
	{ "writes_are_erofs", writes_are_erofs },
	{ "missing_names_and_wrong_handles", missing_names_and_wrong_handles },
	{ "fork_shares_offset", fork_shares_offset },
	{ NULL, NULL },
};
