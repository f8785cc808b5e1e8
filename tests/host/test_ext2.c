/*
 * The ext2 library (fs/ext2/) on images made by the host's mke2fs from
 * generated trees (ext2_images.py): every geometry's whole tree walked
 * through the library and compared with the tree on disk (each file's
 * bytes, size, mode, links, owner and mtime, each symlink's target, each
 * directory's listing) and with debugfs's listing (inode numbers); path
 * walks with links, loops and errors; then images with one structure
 * broken, each giving its error and a message naming the culprit, and a
 * walk of each that must end without a crash (ASan/UBSan).
 */
#define _GNU_SOURCE	/* SEEK_DATA, SEEK_HOLE */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hosttest.h"

/* Paths here are short; gcc cannot know, and would fail the build. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "ext2_lib.h"

#include "ext2_host.h"   /* the image in memory, its callbacks, load() */

static char tree_root[4096];

/* The read side's tests mount read-only: no write_block. */
static const struct ext2_ops img_ops = { .read_block = img_read, .log = img_log, .alloc = img_alloc, .free = img_free };

static void unload(struct image *im)
{
	free(im->data);
	free(im->fs);
}

static uint32_t path_ino(struct image *im, const char *path, int flags)
{
	uint32_t ino = 0;
	int ret = ext2_namei(im->fs, EXT2_ROOT_INO, path, flags, &ino);
	CHECKF(ret == 0, "namei %s: %d", path, ret);
	return ino;
}

/* ---- the whole tree against the host's ---- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Bytes [off, end) of the host file and through the library, equal. */
static int compare_range(struct image *im, const struct ext2_inode_info *in, int fd,
			 const char *host, uint64_t off, uint64_t end, size_t chunk)
{
	static uint8_t want[1 << 20], got[1 << 20];
	while (off < end) {
		size_t n = end - off < chunk ? (size_t)(end - off) : chunk;
		ssize_t h = pread(fd, want, n, (off_t)off);
		long r = ext2_read(im->fs, in, off, got, n);
		if (h != (ssize_t)n || r != (long)n || memcmp(want, got, n)) {
			CHECKF(0, "%s: at %llu host read %zd, ext2_read %ld of %zu, or the bytes differ",
			       host, (unsigned long long)off, h, r, n);
			return 0;
		}
		off += n;
	}
	return 1;
}

/*
 * The whole file where the host has data; in a hole (SEEK_HOLE), its first
 * and last bytes and some in between, so a 4 GiB sparse file costs little.
 */
static void compare_file(struct image *im, const struct ext2_inode_info *in, const char *host)
{
	int fd = open(host, O_RDONLY);
	CHECKF(fd >= 0, "open %s", host);
	if (fd < 0)
		return;
	struct stat hs;
	fstat(fd, &hs);
	uint64_t size = (uint64_t)hs.st_size, off = 0;
	CHECK_EQ(in->size, size);
	/* Odd chunk sizes so reads start and end inside blocks too. */
	static const size_t chunks[] = { 1 << 20, 777, 4096 + 3 };
	size_t chunk = chunks[(in->ino + in->size) % 3];
	int ok = 1;
	while (ok && off < size) {
		off_t data = lseek(fd, (off_t)off, SEEK_DATA);
		uint64_t hole_end = data < 0 ? size : (uint64_t)data;
		if (hole_end > off) {	/* a hole: samples */
			uint64_t len = hole_end - off, step = len / 7 + 1;
			for (uint64_t at = off; ok && at < hole_end; at += step)
				ok = compare_range(im, in, fd, host, at, at + 1 + (hole_end - at - 1) % 4099, chunk);
			ok = ok && compare_range(im, in, fd, host, hole_end - (len < 100 ? len : 100), hole_end, chunk);
			off = hole_end;
			continue;
		}
		off_t hole = lseek(fd, (off_t)off, SEEK_HOLE);
		uint64_t data_end = hole < 0 ? size : (uint64_t)hole;
		ok = compare_range(im, in, fd, host, off, data_end, chunk);
		off = data_end;
	}
	/* nothing past the end */
	uint8_t b[4];
	CHECK_EQ(ext2_read(im->fs, in, size, b, 4), 0);
	CHECK_EQ(ext2_read(im->fs, in, size + 12345, b, 4), 0);
	/* a small read across the first block boundary */
	if (size > im->fs->block_size + 2) {
		uint8_t a[4];
		CHECK_EQ(pread(fd, a, 4, im->fs->block_size - 2), 4);
		CHECK_EQ(ext2_read(im->fs, in, im->fs->block_size - 2, b, 4), 4);
		CHECK(!memcmp(a, b, 4));
	}
	close(fd);
}

static int walked_files, walked_dirs, walked_links;

static void compare_dir(struct image *im, const char *host, const char *path, uint32_t ino, uint32_t parent)
{
	struct ext2_inode_info dir;
	CHECK_EQ(ext2_iget(im->fs, ino, &dir), 0);
	walked_dirs++;

	char *names[512];
	uint32_t inos[512];
	uint8_t types[512];
	int n = 0, dot = 0, dotdot = 0, ret;
	uint64_t pos = 0;
	struct ext2_dirent de;
	while ((ret = ext2_readdir(im->fs, &dir, &pos, &de)) > 0) {
		if (!strcmp(de.name, ".")) {
			dot++;
			CHECK_EQ(de.ino, ino);
			continue;
		}
		if (!strcmp(de.name, "..")) {
			dotdot++;
			CHECK_EQ(de.ino, parent);
			continue;
		}
		if (!strcmp(de.name, "lost+found") && ino == EXT2_ROOT_INO)
			continue;	/* mke2fs's own, not in the tree */
		CHECK(n < 512);
		if (n == 512)
			break;
		CHECK_EQ(de.name_len, strlen(de.name));
		inos[n] = de.ino;
		types[n] = de.file_type;
		names[n++] = strdup(de.name);
	}
	CHECKF(ret == 0, "readdir %s: %d", path, ret);
	CHECK_EQ(dot, 1);
	CHECK_EQ(dotdot, 1);

	/* the host's listing, sorted; ours sorted alongside */
	char *hnames[512];
	int hn = 0;
	DIR *d = opendir(host);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && hn < 512)
			hnames[hn++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(hnames, hn, sizeof(char *), cmp_names);
	CHECKF(n == hn, "%s: %d entries through ext2, %d on the host", path, n, hn);

	for (int h = 0; h < hn; h++) {
		int i;
		for (i = 0; i < n && strcmp(names[i], hnames[h]); i++)
			;
		CHECKF(i < n, "%s: %s missing", path, hnames[h]);
		if (i == n)
			continue;
		char hp[8192], p[8192];
		snprintf(hp, sizeof(hp), "%s/%s", host, hnames[h]);
		snprintf(p, sizeof(p), "%s/%s", strcmp(path, "/") ? path : "", hnames[h]);
		struct stat hs;
		CHECK_EQ(lstat(hp, &hs), 0);
		struct ext2_stat st;
		CHECK_EQ(ext2_stat(im->fs, inos[i], &st), 0);
		CHECKF(st.mode == hs.st_mode, "%s: mode 0%o, host 0%o", p, st.mode, hs.st_mode);
		CHECKF(S_ISDIR(hs.st_mode) || st.nlink == hs.st_nlink, "%s: %u links, host %lu", p,
		       st.nlink, (unsigned long)hs.st_nlink);
		CHECK_EQ(st.uid, hs.st_uid);
		CHECK_EQ(st.gid, hs.st_gid);
		CHECK_EQ(st.mtime, hs.st_mtime);
		if (!S_ISDIR(hs.st_mode))
			CHECKF(st.size == (uint64_t)hs.st_size, "%s: size %llu, host %lld", p,
			       (unsigned long long)st.size, (long long)hs.st_size);
		if (im->fs->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE) {
			static const uint8_t ft[16] = { [S_IFREG >> 12] = EXT2_FT_REG_FILE,
				[S_IFDIR >> 12] = EXT2_FT_DIR, [S_IFLNK >> 12] = EXT2_FT_SYMLINK,
				[S_IFIFO >> 12] = EXT2_FT_FIFO };
			CHECKF(types[i] == ft[(hs.st_mode & S_IFMT) >> 12], "%s: file_type %u", p, types[i]);
		}
		/* the path walk reaches the same inode */
		CHECK_EQ(path_ino(im, p, 0), inos[i]);

		struct ext2_inode_info in;
		CHECK_EQ(ext2_iget(im->fs, inos[i], &in), 0);
		if (S_ISREG(hs.st_mode)) {
			walked_files++;
			compare_file(im, &in, hp);
		} else if (S_ISLNK(hs.st_mode)) {
			walked_links++;
			char want[4096], got[4096];
			ssize_t wn = readlink(hp, want, sizeof(want) - 1);
			want[wn > 0 ? wn : 0] = '\0';
			CHECK_EQ(ext2_readlink(im->fs, &in, got, sizeof(got)), wn);
			CHECK_STREQ(got, want);
			CHECK_EQ(ext2_readlink(im->fs, &in, got, (size_t)wn), -ENAMETOOLONG);
		} else if (S_ISDIR(hs.st_mode)) {
			compare_dir(im, hp, p, inos[i], ino);
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	for (int h = 0; h < hn; h++)
		free(hnames[h]);
}

/* debugfs -R "ls -l DIR": the inode number of each name, by the host's tool. */
static void compare_debugfs(struct image *im, const char *img, const char *dir)
{
	char cmd[8192], line[1024];
	snprintf(cmd, sizeof(cmd), "debugfs -R 'ls -l %s' %s 2>/dev/null", dir, img);
	FILE *p = popen(cmd, "r");
	int seen = 0;
	while (p && fgets(line, sizeof(line), p)) {
		unsigned int ino;
		char name[512];
		/* " 12  100644 (1)      0      0       1 14-Nov-2023 22:13 size-1" */
		if (sscanf(line, " %u %*o (%*d) %*u %*u %*u %*s %*s %511s", &ino, name) != 2)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		CHECKF(path_ino(im, path, 0) == ino, "%s: debugfs says inode %u", path, ino);
		seen++;
	}
	if (p)
		pclose(p);
	CHECKF(seen > 5, "debugfs ls -l %s: %d entries parsed", dir, seen);
}

/* ---- path walks ---- */

static void paths(struct image *im)
{
	struct ext2_fs *fs = im->fs;
	uint32_t ino, files = path_ino(im, "/files", 0);
	CHECK_EQ(path_ino(im, "/", 0), EXT2_ROOT_INO);
	CHECK_EQ(path_ino(im, "//d00/..//", 0), EXT2_ROOT_INO);
	CHECK_EQ(path_ino(im, "/files/./../files/.", 0), files);
	CHECK_EQ(path_ino(im, "/links/fast", EXT2_LOOKUP_FOLLOW), path_ino(im, "/files/size-1", 0));
	CHECK_EQ(path_ino(im, "/links/slow", EXT2_LOOKUP_FOLLOW), path_ino(im, "/files/exec", 0));
	CHECK_EQ(path_ino(im, "/links/absolute", EXT2_LOOKUP_FOLLOW), path_ino(im, "/files/holes", 0));
	CHECK_EQ(path_ino(im, "/links/via-link", EXT2_LOOKUP_FOLLOW), path_ino(im, "/d00/d01/d02", 0));
	CHECK_EQ(path_ino(im, "/links/to-dir/d02/d03", 0), path_ino(im, "/d00/d01/d02/d03", 0));
	CHECK_EQ(path_ino(im, "links/to-dir/", 0), path_ino(im, "/d00/d01", 0));
	/* not following the last component: the link itself */
	CHECK(path_ino(im, "/links/loop-a", 0) != 0);
	CHECK_EQ(ext2_namei(fs, EXT2_ROOT_INO, "/links/loop-a", EXT2_LOOKUP_FOLLOW, &ino), -ELOOP);
	CHECK_EQ(ext2_namei(fs, EXT2_ROOT_INO, "/links/loop-b/x", 0, &ino), -ELOOP);
	CHECK_EQ(ext2_namei(fs, EXT2_ROOT_INO, "/links/dangling", EXT2_LOOKUP_FOLLOW, &ino), -ENOENT);
	CHECK_EQ(ext2_namei(fs, files, "../links/fast", EXT2_LOOKUP_FOLLOW, &ino), 0);
	CHECK_EQ(ino, path_ino(im, "/files/size-1", 0));
	CHECK_EQ(ext2_namei(fs, files, "size-1/x", 0, &ino), -ENOTDIR);
	CHECK_EQ(ext2_namei(fs, files, "size-1/", 0, &ino), -ENOTDIR);
	CHECK_EQ(ext2_namei(fs, files, "nothing", 0, &ino), -ENOENT);
	CHECK_EQ(ext2_namei(fs, files, "", 0, &ino), -ENOENT);
	char name[300];
	memset(name, 'n', 256);
	name[255] = '\0';
	CHECK_EQ(ext2_namei(fs, files, name, 0, &ino), -ENOENT);		/* 255 n's: not in files/ */
	name[255] = 'n';
	name[256] = '\0';
	CHECK_EQ(ext2_namei(fs, files, name, 0, &ino), -ENAMETOOLONG);	/* 256 */
	name[0] = '/';
	static char huge[EXT2_PATH_MAX + 10];
	for (size_t i = 0; i + 2 < sizeof(huge); i += 2)
		memcpy(huge + i, "./", 2);
	huge[sizeof(huge) - 1] = '\0';
	CHECK_EQ(ext2_namei(fs, files, huge, 0, &ino), -ENAMETOOLONG);
	/* a 255-byte name is found */
	memset(name + 1, 'n', 255);
	name[256] = '\0';
	CHECK_EQ(ext2_namei(fs, EXT2_ROOT_INO, name, 0, &ino), 0);

	struct ext2_inode_info dir, file;
	CHECK_EQ(ext2_iget(fs, files, &dir), 0);
	CHECK_EQ(ext2_iget(fs, path_ino(im, "/files/size-1", 0), &file), 0);
	char buf[8];
	uint64_t pos = 0;
	struct ext2_dirent de;
	CHECK_EQ(ext2_read(fs, &dir, 0, buf, 8), -EISDIR);
	CHECK_EQ(ext2_readdir(fs, &file, &pos, &de), -ENOTDIR);
	CHECK_EQ(ext2_lookup(fs, &file, "x", 1, &ino), -ENOTDIR);
	CHECK_EQ(ext2_read(fs, &file, 1, buf, 8), 0);	/* at the end */
	CHECK_EQ(ext2_readlink(fs, &file, buf, 8), -EINVAL);
	CHECK_EQ(ext2_iget(fs, 0, &file), -EUCLEAN);
	CHECK_EQ(ext2_iget(fs, fs->inodes_count + 1, &file), -EUCLEAN);
	CHECK_CONTAINS(im->log, "out of range");
	CHECK_EQ(ext2_iget(fs, fs->inodes_count, &file), -EUCLEAN);	/* free: not in use */
	CHECK_CONTAINS(im->log, "not in use");
	uint32_t blk;
	CHECK_EQ(ext2_bmap(fs, &dir, 12 + 1ULL * (fs->addr_per_block + 1) * fs->addr_per_block *
					 fs->addr_per_block + fs->addr_per_block, &blk), -EFBIG);
	/* holes read as zeros, and map to 0 */
	CHECK_EQ(ext2_iget(fs, path_ino(im, "/files/all-hole", 0), &file), 0);
	CHECK_EQ(ext2_bmap(fs, &file, 3, &blk), 0);
	CHECK_EQ(blk, 0);
}

static void check_image(const char *name, unsigned int bs)
{
	char img[8192], tree[8192];
	snprintf(img, sizeof(img), "%s/%s.img", out_dir, name);
	snprintf(tree, sizeof(tree), "%s/tree-%s", out_dir, name);
	struct image im;
	CHECKF(load(&im, img) == 0, "load %s", img);
	int ret = ext2_mount(im.fs, &img_ops, &im);
	CHECKF(ret == 0, "%s: mount %d: %s", name, ret, im.log);
	if (ret) {
		unload(&im);
		return;
	}
	CHECK_EQ(im.fs->block_size, bs);
	int f0 = walked_files, d0 = walked_dirs, l0 = walked_links;
	compare_dir(&im, tree, "/", EXT2_ROOT_INO, EXT2_ROOT_INO);
	CHECKF(walked_files - f0 > 230 && walked_dirs - d0 > 25, "%s: %d files %d dirs", name,
	       walked_files - f0, walked_dirs - d0);
	compare_debugfs(&im, img, "/files");
	compare_debugfs(&im, img, "/links");
	paths(&im);
	/* e2fsck -D indexed the wide directory: read linearly all the same */
	struct ext2_inode_info wide;
	CHECK_EQ(ext2_iget(im.fs, path_ino(&im, "/wide", 0), &wide), 0);
	if (le32_to_cpu(im.fs->sb.s_rev_level) > 0)
		CHECKF(le32_to_cpu(wide.raw.i_flags) & 0x1000, "%s: /wide not dir_index", name);
	printf("  %s: %d files, %d dirs, %d symlinks compared\n", name, walked_files - f0,
	       walked_dirs - d0, walked_links - l0);
	ext2_unmount(im.fs);
	unload(&im);
}

/* ---- broken images ---- */

/* Walk whatever mounts, ignoring errors: it must end, and not crash. */
static int walk_any(struct image *im, uint32_t ino, int depth)
{
	struct ext2_inode_info in;
	if (ext2_iget(im->fs, ino, &in) || depth > 40)
		return 0;
	int n = 1;
	static uint8_t buf[65536];
	if (!ext2_is_dir(&in)) {
		for (uint64_t off = 0; off < in.size && off < (1 << 22); off += sizeof(buf))
			if (ext2_read(im->fs, &in, off, buf, sizeof(buf)) <= 0)
				break;
		return n;
	}
	uint64_t pos = 0;
	struct ext2_dirent de;
	while (ext2_readdir(im->fs, &in, &pos, &de) > 0)
		if (strcmp(de.name, ".") && strcmp(de.name, ".."))
			n += walk_any(im, de.ino, depth + 1);
	return n;
}

enum stage { MOUNT, READ, READDIR, MOUNT_RO };

static const struct corrupt_case {
	const char *image;
	enum stage stage;
	const char *path;	/* READ, READDIR: what */
	int err;
	const char *msg;	/* in the log; "%u" there: the path's inode */
} cases[] = {
	{ "sb-magic", MOUNT, NULL, -EINVAL, "magic 0x1234" },
	{ "sb-block-size", MOUNT, NULL, -EINVAL, "block size 1024<<9" },
	{ "sb-inodes-count", MOUNT, NULL, -EINVAL, "inodes count" },
	{ "sb-extents", MOUNT, NULL, -EINVAL, "incompatible feature extent not supported" },
	{ "sb-recover", MOUNT, NULL, -EINVAL, "feature needs_recovery" },
	{ "sb-ro-unknown", MOUNT_RO, NULL, 0, "unknown 0x00008000 not supported: mounted read-only" },
	{ "gd-inode-table", MOUNT, NULL, -EUCLEAN, "group 0: inode table" },
	{ "ptr-outside", READ, "/files/single", -EUCLEAN, "inode %u: data block 6244 outside the file system" },
	{ "ptr-metadata", READ, "/files/single", -EUCLEAN, "is in an inode table (group 0)" },
	{ "ind-self", READ, "/files/single", -EUCLEAN, "inode %u: data block" },
	{ "tind-self", READ, "/files/triple", -EUCLEAN, "inode %u: indirect block" },
	{ "de-reclen-zero", READDIR, "/empty", -EUCLEAN, "rec_len too small (0)" },
	{ "de-reclen-past", READDIR, "/empty", -EUCLEAN, "offset 12: rec_len past the block (1024)" },
	{ "de-namelen-past", READDIR, "/empty", -EUCLEAN, "offset 0: name_len past rec_len (9)" },
	{ "de-inode-past", READDIR, "/empty", -EUCLEAN, "inode number past the count" },
	{ "de-reclen-unaligned", READDIR, "/empty", -EUCLEAN, "rec_len not 4-aligned (14)" },
};

static void check_corrupt(const struct corrupt_case *c)
{
	char img[8192];
	snprintf(img, sizeof(img), "%s/corrupt/%s.img", out_dir, c->image);
	struct image im;
	CHECKF(load(&im, img) == 0, "load %s", img);
	int ret = ext2_mount(im.fs, &img_ops, &im);
	char want[256];
	uint32_t ino = 0;
	if (c->stage == MOUNT) {
		CHECKF(ret == c->err, "%s: mount %d, not %d", c->image, ret, c->err);
		CHECK(im.fs->gd == NULL);
		snprintf(want, sizeof(want), "%s", c->msg);
	} else {
		CHECKF(ret == 0, "%s: mount %d: %s", c->image, ret, im.log);
		if (ret) {
			unload(&im);
			return;
		}
		if (c->stage == MOUNT_RO)
			CHECK(im.fs->read_only);
		int got = 0;
		if (c->path) {
			struct ext2_inode_info in;
			CHECK_EQ(ext2_namei(im.fs, EXT2_ROOT_INO, c->path, 0, &ino), 0);
			CHECK_EQ(ext2_iget(im.fs, ino, &in), 0);
			if (c->stage == READ) {
				static uint8_t buf[1 << 20];
				for (uint64_t off = 0; off < in.size && !got; off += sizeof(buf)) {
					long r = ext2_read(im.fs, &in, off, buf, sizeof(buf));
					got = r < 0 ? (int)r : 0;
				}
			} else {
				uint64_t pos = 0;
				struct ext2_dirent de;
				while ((got = ext2_readdir(im.fs, &in, &pos, &de)) > 0)
					;
			}
		}
		CHECKF(got == c->err, "%s: %s gave %d, not %d", c->image, c->path ? c->path : "", got, c->err);
		snprintf(want, sizeof(want), c->msg, ino);
		/* whatever else is on the image: a walk that ends */
		CHECK(walk_any(&im, EXT2_ROOT_INO, 0) > 0);
		ext2_unmount(im.fs);
	}
	CHECKF(strstr(im.log, want), "%s: log lacks \"%s\": %s", c->image, want, im.log);
	unload(&im);
}

int main(void)
{
	/* mke2fs, debugfs and e2fsck live in /usr/sbin, not always in a user's PATH */
	char path_env[8192];
	snprintf(path_env, sizeof(path_env), "%s:/usr/sbin:/sbin", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", path_env, 1);
	/* build/host/ext2, from this file's place (the Makefile compiles it by absolute path) */
	snprintf(tree_root, sizeof(tree_root), "%s", __FILE__);
	*strrchr(tree_root, '/') = '\0';
	snprintf(out_dir, sizeof(out_dir), "%s/../../build/host/ext2", tree_root);
	char cmd[16384];
	snprintf(cmd, sizeof(cmd), "python3 %s/ext2_images.py %s", tree_root, out_dir);
	if (system(cmd) != 0) {
		printf("test_ext2: making the images failed (mke2fs, debugfs, e2fsck needed)\n");
		return 1;
	}
	FILE *f = fopen(strcat(strcpy(cmd, out_dir), "/images.txt"), "r");
	char name[256];
	unsigned int bs;
	int images = 0;
	while (f && fscanf(f, "%255s %u", name, &bs) == 2) {
		check_image(name, bs);
		images++;
	}
	if (f)
		fclose(f);
	CHECK_EQ(images, 6);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_corrupt(&cases[i]);
	return ht_finish();
}
