/*
 * The ext2 library's write side (fs/ext2/), judged by the host's tools.
 *
 * For each geometry an image made by mke2fs -t ext2 from a seed tree (a
 * wide directory that e2fsck -fyD indexes), loaded into memory and
 * mounted read-write; then files created, written (sizes around the block
 * boundaries, through single, double and - at 1 KiB blocks - triple
 * indirect blocks, sparse), appended, overwritten, truncated down and up,
 * directories made deep and wide and removed, names unlinked and renamed
 * (within and across directories, over files, directories with their
 * "..", into their own subtree: EINVAL), symlinks fast and slow, times
 * set. Every change is made to a model directory on the host too. After
 * ext2_unmount the image must pass `e2fsck -fn`, `debugfs rdump` of it
 * must equal the model (diff -r), and debugfs's sizes and link counts
 * must be the model's. The limits (ENOSPC, 2 GiB, mount states, broken
 * images) are test_ext2_limits.c's.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "ext2_lib.h"
#include "ext2_host.h"

/* ---- one geometry: every operation on the image and on the model ---- */

struct rig {
	struct image im;
	struct ext2_fs *fs;
	char model[4096];
	unsigned int bs;
};

static uint32_t ino_of(struct rig *r, const char *path)
{
	uint32_t ino = 0;
	int ret = ext2_namei(r->fs, EXT2_ROOT_INO, path, 0, &ino);
	CHECKF(ret == 0, "namei %s: %d", path, ret);
	return ino;
}

/* The parent's inode and the last name of path. */
static uint32_t parent_of(struct rig *r, const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	*name = slash + 1;
	if (slash == path)
		return EXT2_ROOT_INO;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	return ino_of(r, dir);
}

static void host_path(struct rig *r, const char *path, char *out, size_t size)
{
	snprintf(out, size, "%s%s", r->model, path);
}

static void do_create(struct rig *r, const char *path)
{
	const char *name;
	uint32_t dir = parent_of(r, path, &name), ino;
	int ret = ext2_create(r->fs, dir, name, strlen(name), 0644, &ino);
	CHECKF(ret == 0, "create %s: %d", path, ret);
	char h[8192];
	host_path(r, path, h, sizeof(h));
	int fd = open(h, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CHECKF(fd >= 0, "host create %s", h);
	close(fd);
}

static void do_write(struct rig *r, const char *path, uint64_t off, size_t len, uint32_t seed)
{
	uint8_t *buf = malloc(len ? len : 1);
	pattern(buf, len, seed);
	struct ext2_inode_info in;
	CHECK_EQ(ext2_iget(r->fs, ino_of(r, path), &in), 0);
	long n = ext2_write(r->fs, &in, off, buf, len);
	CHECKF(n == (long)len, "write %s at %llu: %ld of %zu: %s", path, (unsigned long long)off, n,
	       len, r->im.log);
	/* read back through the library, at once */
	uint8_t *back = malloc(len ? len : 1);
	CHECK_EQ(ext2_read(r->fs, &in, off, back, len), (long)len);
	CHECKF(!memcmp(buf, back, len), "%s: read back differs", path);
	char h[8192];
	host_path(r, path, h, sizeof(h));
	int fd = open(h, O_WRONLY);
	CHECKF(fd >= 0 && pwrite(fd, buf, len, (off_t)off) == (ssize_t)len, "host write %s", h);
	close(fd);
	free(buf);
	free(back);
}

static void do_truncate(struct rig *r, const char *path, uint64_t size)
{
	struct ext2_inode_info in;
	CHECK_EQ(ext2_iget(r->fs, ino_of(r, path), &in), 0);
	CHECKF(ext2_truncate(r->fs, &in, size) == 0, "truncate %s %llu", path, (unsigned long long)size);
	CHECK_EQ(in.size, size);
	char h[8192];
	host_path(r, path, h, sizeof(h));
	CHECKF(truncate(h, (off_t)size) == 0, "host truncate %s", h);
}

static void do_mkdir(struct rig *r, const char *path)
{
	const char *name;
	uint32_t dir = parent_of(r, path, &name), ino;
	int ret = ext2_mkdir(r->fs, dir, name, strlen(name), 0755, &ino);
	CHECKF(ret == 0, "mkdir %s: %d %s", path, ret, r->im.log);
	char h[8192];
	host_path(r, path, h, sizeof(h));
	CHECKF(mkdir(h, 0755) == 0, "host mkdir %s", h);
}

static void do_rmdir(struct rig *r, const char *path, int want)
{
	const char *name;
	uint32_t dir = parent_of(r, path, &name);
	int ret = ext2_rmdir(r->fs, dir, name, strlen(name));
	CHECKF(ret == want, "rmdir %s: %d, not %d", path, ret, want);
	char h[8192];
	host_path(r, path, h, sizeof(h));
	if (!want)
		CHECKF(rmdir(h) == 0, "host rmdir %s", h);
}

static void do_unlink(struct rig *r, const char *path)
{
	const char *name;
	uint32_t dir = parent_of(r, path, &name), ino = 0;
	int ret = ext2_unlink(r->fs, dir, name, strlen(name), 0, &ino);
	CHECKF(ret == 0 && ino, "unlink %s: %d", path, ret);
	char h[8192];
	host_path(r, path, h, sizeof(h));
	CHECKF(unlink(h) == 0, "host unlink %s", h);
}

static void do_rename(struct rig *r, const char *from, const char *to, int want)
{
	const char *on, *nn;
	uint32_t od = parent_of(r, from, &on), nd = parent_of(r, to, &nn), replaced = 99;
	int ret = ext2_rename(r->fs, od, on, strlen(on), nd, nn, strlen(nn), 0, &replaced);
	CHECKF(ret == want, "rename %s %s: %d, not %d: %s", from, to, ret, want, r->im.log);
	char hf[8192], ht[8192];
	host_path(r, from, hf, sizeof(hf));
	host_path(r, to, ht, sizeof(ht));
	if (!want)
		CHECKF(rename(hf, ht) == 0, "host rename %s %s", hf, ht);
}

static void do_symlink(struct rig *r, const char *path, const char *target)
{
	const char *name;
	uint32_t dir = parent_of(r, path, &name), ino;
	int ret = ext2_symlink(r->fs, dir, name, strlen(name), target, &ino);
	CHECKF(ret == 0, "symlink %s: %d", path, ret);
	char h[8192];
	host_path(r, path, h, sizeof(h));
	CHECKF(symlink(target, h) == 0, "host symlink %s", h);
}

/* The whole image against the model, by the host's tools. */
static int stat_lines;

static void compare_stats(const char *img, const char *model, const char *rel, FILE *cmds,
			  char (*paths)[300], int *n)
{
	char h[8192];
	snprintf(h, sizeof(h), "%s%s", model, rel);
	DIR *d = opendir(h);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (*n >= 4000)
			break;
		snprintf(paths[*n], 300, "%s/%s", rel, e->d_name);
		fprintf(cmds, "stat \"%s\"\n", paths[*n]);
		(*n)++;
		if (e->d_type == DT_DIR && strlen(rel) + strlen(e->d_name) < 200)
			compare_stats(img, model, paths[*n - 1], cmds, paths, n);
	}
	closedir(d);
}

static void judge(const char *img, const char *model, const char *what)
{
	fsck_clean(img, what);
	char dump[8192], out[65536];
	snprintf(dump, sizeof(dump), "%s.rdump", img);
	sh("rm -rf %s && mkdir -p %s", dump, dump);
	sh("debugfs -R 'rdump / %s' %s >/dev/null 2>&1", dump, img);
	capture(out, sizeof(out), "diff -r --no-dereference %s %s/ 2>&1 | grep -v lost+found | head -20", model, dump);
	CHECKF(out[0] == '\0', "%s: the image differs from the model:\n%s", what, out);

	/* sizes and link counts, every path, by one debugfs run */
	static char paths[4000][300];
	int n = 0;
	char cmdfile[8192];
	snprintf(cmdfile, sizeof(cmdfile), "%s.cmds", img);
	FILE *cmds = fopen(cmdfile, "w");
	compare_stats(img, model, "", cmds, paths, &n);
	fclose(cmds);
	static char stats[1 << 22];
	capture(stats, sizeof(stats), "debugfs -f %s %s 2>/dev/null", cmdfile, img);
	char *p = stats;
	for (int i = 0; i < n; i++) {
		char h[8192];
		snprintf(h, sizeof(h), "%s%s", model, paths[i]);
		struct stat st;
		CHECK(lstat(h, &st) == 0);
		/* "Size: " comes before "Links: " in debugfs's stat */
		char *start = strstr(p, "Inode: ");
		char *size_at = start ? strstr(start, "Size: ") : NULL;
		char *at = size_at ? strstr(size_at, "Links: ") : NULL;
		CHECKF(at && size_at, "%s: debugfs stat %s", what, paths[i]);
		if (!at || !size_at)
			break;
		unsigned long links = strtoul(at + 7, NULL, 10);
		unsigned long long size = strtoull(size_at + 6, NULL, 10);
		CHECKF(links == st.st_nlink, "%s: %s links %lu, model %lu", what, paths[i], links,
		       (unsigned long)st.st_nlink);
		if (!S_ISDIR(st.st_mode))
			CHECKF(size == (unsigned long long)st.st_size, "%s: %s size %llu, model %lld",
			       what, paths[i], size, (long long)st.st_size);
		stat_lines++;
		p = start + 1;
	}
	unlink(cmdfile);
	sh("rm -rf %s", dump);
}

static void fill_seed_tree(const char *model)
{
	sh("rm -rf %s && mkdir -p %s/wide %s/old", model, model, model);
	for (int i = 0; i < 200; i++) {
		char h[8192];
		snprintf(h, sizeof(h), "%s/wide/entry-%03d-%.*s", model, i, i % 40,
			 "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww");
		FILE *f = fopen(h, "w");
		fprintf(f, "%d\n", i);
		fclose(f);
	}
	sh("head -c 70000 /dev/zero | tr '\\0' 'o' > %s/old/big && echo hi > %s/old/small", model, model);
}

static void geometry(unsigned int bs, unsigned int isize, unsigned int kib)
{
	struct rig rig, *r = &rig;
	char name[64], img[8192];
	snprintf(name, sizeof(name), "b%u-i%u", bs, isize);
	snprintf(img, sizeof(img), "%s/%s.img", out_dir, name);
	snprintf(r->model, sizeof(r->model), "%s/model-%s", out_dir, name);
	r->bs = bs;
	fill_seed_tree(r->model);
	CHECKF(sh("mke2fs -q -F -t ext2 -b %u -I %u -g 2048 -N 1024 -d %s %s %uk 2>/dev/null", bs, isize, r->model,
		  img, kib) == 0, "%s: mke2fs", name);
	CHECKF(sh("e2fsck -fyD %s >/dev/null 2>&1; [ $? -le 1 ]", img) == 0, "%s: e2fsck -fyD", name);
	CHECKF(load(&r->im, img) == 0, "load %s", img);
	r->fs = r->im.fs;
	int ret = ext2_mount(r->fs, &rw_ops, &r->im);
	CHECKF(ret == 0 && !r->fs->read_only, "%s: mount %d: %s", name, ret, r->im.log);
	if (ret)
		return;
	CHECK(r->fs->groups_count >= 3);
	/* the mount is recorded: not clean until unmount */
	CHECK_EQ(r->im.data[1024 + 58] & EXT2_VALID_FS, 0);

	/* files of every size around the block boundaries */
	uint64_t apb = bs / 4;
	uint64_t sizes[] = { 0, 1, bs - 1, bs, bs + 1, 12 * bs + 1, (12 + apb) * bs + 3 * bs + 7 };
	do_mkdir(r, "/f");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char p[64];
		snprintf(p, sizeof(p), "/f/size-%llu", (unsigned long long)sizes[i]);
		do_create(r, p);
		do_write(r, p, 0, sizes[i], (uint32_t)i);
	}
	/* contiguous: a file written in order takes one run of blocks */
	{
		struct ext2_inode_info in;
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, "/f/size-" "0"), &in), 0);
		char p[64];
		snprintf(p, sizeof(p), "/f/size-%llu", (unsigned long long)(12 * bs + 1));
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, p), &in), 0);
		uint32_t b0, b;
		CHECK_EQ(ext2_bmap(r->fs, &in, 0, &b0), 0);
		for (uint32_t i = 1; i < 12; i++) {
			CHECK_EQ(ext2_bmap(r->fs, &in, i, &b), 0);
			CHECKF(b == b0 + i, "%s: block %u at %u, not %u", p, i, b, b0 + i);
		}
		/* i_blocks: 13 data blocks and the indirect one */
		CHECK_EQ(le32_to_cpu(in.raw.i_blocks), 14 * (bs / 512));
	}
	/* append, overwrite across blocks */
	do_write(r, "/f/size-1", 1, 2 * bs + 5, 100);
	do_write(r, "/f/size-1", bs - 3, 10, 101);
	char big[64];
	snprintf(big, sizeof(big), "/f/size-%llu", (unsigned long long)((12 + apb) * bs + 3 * bs + 7));
	do_write(r, big, 5 * bs + 9, 3 * bs, 102);
	/* sparse: blocks far apart; at 1 KiB one in the triple-indirect range */
	do_create(r, "/f/sparse");
	uint64_t far = bs == 1024 ? (12 + apb + apb * apb + 10) * bs + 100 : (12 + apb + 3 * apb) * bs + 100;
	do_write(r, "/f/sparse", far, 2 * bs, 103);
	do_write(r, "/f/sparse", 3 * bs, 1, 104);
	{
		struct ext2_inode_info in;
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, "/f/sparse"), &in), 0);
		uint8_t z[64];
		memset(z, 1, sizeof(z));
		CHECK_EQ(ext2_read(r->fs, &in, far - 64, z, sizeof(z)), 64);
		CHECK(z[0] == 0 && z[63] == 0);
		if (bs == 1024)
			CHECK(in.raw.i_block[EXT2_TIND_BLOCK] != 0);
	}
	/* truncate: shrink inside a block, to a block boundary, out of the
	 * indirect ranges, to 0; grow (a hole reads as zeros) */
	do_truncate(r, big, 12 * bs + 77);
	do_truncate(r, big, 20 * bs + 5);	/* grows: a hole after byte 12*bs+77 */
	do_write(r, big, 18 * bs, 100, 105);
	do_truncate(r, "/f/sparse", bs == 1024 ? (12 + apb + 5) * bs : 4 * bs - 1);
	do_truncate(r, "/f/size-1", 0);
	do_write(r, "/f/size-1", 0, 3, 106);
	{
		char p[64];
		snprintf(p, sizeof(p), "/f/size-%u", bs + 1);
		do_truncate(r, p, bs);
		do_truncate(r, p, bs + 50);	/* the old bytes past bs must not come back */
		struct ext2_inode_info in;
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, p), &in), 0);
		uint8_t b[50];
		memset(b, 1, sizeof(b));
		CHECK_EQ(ext2_read(r->fs, &in, bs, b, sizeof(b)), 50);
		CHECK(b[0] == 0 && b[49] == 0);
	}

	/* directories: deep, wide, removed; errors */
	char deep[512] = "";
	for (int i = 0; i < 8; i++) {
		size_t l = strlen(deep);
		snprintf(deep + l, sizeof(deep) - l, "/deep%d", i);
		do_mkdir(r, deep);
	}
	do_create(r, "/deep0/deep1/file");
	do_write(r, "/deep0/deep1/file", 0, 10, 107);
	do_mkdir(r, "/many");
	for (int i = 0; i < 150; i++) {
		char p[300];
		snprintf(p, sizeof(p), "/many/dir-%03d-%.*s", i, i % 50,
			 "ddddddddddddddddddddddddddddddddddddddddddddddddddd");
		do_mkdir(r, p);
	}
	{
		/* directories spread over the groups */
		int groups[64] = { 0 }, used = 0;
		for (int i = 0; i < 150; i += 7) {
			char p[300];
			snprintf(p, sizeof(p), "/many/dir-%03d-%.*s", i, i % 50,
				 "ddddddddddddddddddddddddddddddddddddddddddddddddddd");
			uint32_t g = (ino_of(r, p) - 1) / r->fs->inodes_per_group;
			if (g < 64 && !groups[g]++)
				used++;
		}
		CHECKF(used >= 2, "directories all in one group");
		/* a file goes to its parent's group, and its blocks too */
		for (int i = 0; i < 150; i += 36) {
			char d[300], p[400];
			snprintf(d, sizeof(d), "/many/dir-%03d-%.*s", i, i % 50,
				 "ddddddddddddddddddddddddddddddddddddddddddddddddddd");
			snprintf(p, sizeof(p), "%s/file", d);
			do_create(r, p);
			do_write(r, p, 0, 3 * bs, 200 + i);
			uint32_t dg = (ino_of(r, d) - 1) / r->fs->inodes_per_group;
			uint32_t fino = ino_of(r, p), b0 = 0;
			struct ext2_inode_info in;
			CHECK_EQ(ext2_iget(r->fs, fino, &in), 0);
			CHECK_EQ(ext2_bmap(r->fs, &in, 0, &b0), 0);
			CHECKF((fino - 1) / r->fs->inodes_per_group == dg, "%s: inode %u not in group %u", p, fino, dg);
			CHECKF((b0 - r->fs->first_data_block) / r->fs->blocks_per_group == dg,
			       "%s: block %u not in group %u", p, b0, dg);
		}
	}
	for (int i = 1; i < 150; i += 3) {
		char p[300];
		snprintf(p, sizeof(p), "/many/dir-%03d-%.*s", i, i % 50,
			 "ddddddddddddddddddddddddddddddddddddddddddddddddddd");
		do_rmdir(r, p, 0);
	}
	do_rmdir(r, "/deep0", -ENOTEMPTY);
	do_rmdir(r, "/deep0/deep1/deep2/deep3/deep4/deep5/deep6/deep7", 0);
	{
		uint32_t ino;
		CHECK_EQ(ext2_create(r->fs, EXT2_ROOT_INO, "f", 1, 0644, &ino), -EEXIST);
		CHECK_EQ(ext2_mkdir(r->fs, EXT2_ROOT_INO, "f", 1, 0755, &ino), -EEXIST);
		CHECK_EQ(ext2_unlink(r->fs, EXT2_ROOT_INO, "f", 1, 0, &ino), -EISDIR);
		CHECK_EQ(ext2_rmdir(r->fs, ino_of(r, "/f"), "size-0", 6), -ENOTDIR);
		CHECK_EQ(ext2_rmdir(r->fs, ino_of(r, "/f"), ".", 1), -EINVAL);
		CHECK_EQ(ext2_rmdir(r->fs, ino_of(r, "/f"), "..", 2), -EINVAL);
		CHECK_EQ(ext2_unlink(r->fs, EXT2_ROOT_INO, "nothing", 7, 0, &ino), -ENOENT);
		CHECK_EQ(ext2_create(r->fs, ino_of(r, "/f/size-0"), "x", 1, 0644, &ino), -ENOTDIR);
	}

	/* the indexed directory: changed, so no longer indexed */
	{
		struct ext2_inode_info wide;
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, "/wide"), &wide), 0);
		CHECKF(le32_to_cpu(wide.raw.i_flags) & EXT2_INDEX_FL, "%s: /wide not indexed by e2fsck -D", name);
		do_unlink(r, "/wide/entry-007-wwwwwww");
		do_create(r, "/wide/a-new-one");
		do_write(r, "/wide/a-new-one", 0, 5, 108);
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, "/wide"), &wide), 0);
		CHECK(!(le32_to_cpu(wide.raw.i_flags) & EXT2_INDEX_FL));
	}

	/* unlink: blocks and the inode back */
	struct ext2_statfs before, after;
	ext2_statfs(r->fs, &before);
	do_unlink(r, "/old/big");
	ext2_statfs(r->fs, &after);
	CHECK_EQ(after.free_inodes, before.free_inodes + 1);
	CHECKF(after.free_blocks >= before.free_blocks + 70000 / bs, "unlink freed %llu blocks",
	       (unsigned long long)(after.free_blocks - before.free_blocks));

	/* rename */
	do_rename(r, "/f/size-0", "/f/renamed", 0);			/* within */
	do_rename(r, "/f/renamed", "/deep0/moved", 0);			/* across */
	do_rename(r, "/old/small", "/deep0/moved", 0);			/* over a file */
	do_rename(r, "/deep0/deep1", "/many/deep1", 0);			/* a directory across: ".." */
	do_rename(r, "/many", "/many/deep1/deep2/under", -EINVAL);	/* into itself */
	do_rename(r, "/many", "/many", 0);				/* onto itself */
	do_mkdir(r, "/emptydir");
	do_rename(r, "/deep0", "/emptydir", 0);				/* over an empty directory */
	do_rename(r, "/emptydir", "/many", -ENOTEMPTY);
	do_rename(r, "/emptydir/moved", "/many", -EISDIR);
	do_rename(r, "/many", "/emptydir/moved", -ENOTDIR);
	do_rename(r, "/many/deep1", "/top1", 0);			/* up to the root */
	{
		uint32_t parent;
		struct ext2_inode_info d;
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, "/top1/deep2"), &d), 0);
		CHECK_EQ(ext2_lookup(r->fs, &d, "..", 2, &parent), 0);
		CHECK_EQ(parent, ino_of(r, "/top1"));
	}

	/* symlinks: fast (under 60 bytes) and slow */
	do_symlink(r, "/fast", "f/size-1");
	char slow[300];
	memset(slow, 's', sizeof(slow) - 1);
	slow[sizeof(slow) - 1] = '\0';
	do_symlink(r, "/top1/slow", slow);
	{
		struct ext2_inode_info in;
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, "/fast"), &in), 0);
		CHECK_EQ(le32_to_cpu(in.raw.i_blocks), 0);
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, "/top1/slow"), &in), 0);
		CHECK_EQ(le32_to_cpu(in.raw.i_blocks), bs / 512);
		char t[400];
		CHECK_EQ(ext2_readlink(r->fs, &in, t, sizeof(t)), 299);
	}
	do_symlink(r, "/gone", "nowhere");
	do_unlink(r, "/gone");
	do_symlink(r, "/gone-slow", slow);
	do_unlink(r, "/gone-slow");

	/* utimes */
	{
		struct ext2_inode_info in;
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, "/fast"), &in), 0);
		CHECK_EQ(ext2_iget(r->fs, ino_of(r, "/f/size-1"), &in), 0);
		CHECK_EQ(ext2_utimes(r->fs, &in, 1234567, 7654321), 0);
		struct ext2_stat st;
		CHECK_EQ(ext2_stat(r->fs, in.ino, &st), 0);
		CHECK_EQ(st.atime, 1234567);
		CHECK_EQ(st.mtime, 7654321);
		CHECK_EQ(st.ctime, NOW);
	}

	/* an open file's last name removed: kept until evicted */
	do_create(r, "/open");
	do_write(r, "/open", 0, 3 * bs, 109);
	{
		uint32_t ino = 0;
		CHECK_EQ(ext2_unlink(r->fs, EXT2_ROOT_INO, "open", 4, EXT2_UNLINK_KEEP, &ino), 0);
		char h[8192];
		host_path(r, "/open", h, sizeof(h));
		unlink(h);
		struct ext2_inode_info in;
		CHECK_EQ(ext2_iget_raw(r->fs, ino, &in), 0);
		CHECK_EQ(ext2_read(r->fs, &in, 0, (uint8_t[16]){ 0 }, 16), 16);
		CHECK_EQ(ext2_evict(r->fs, ino), 0);
		CHECK_EQ(ext2_evict(r->fs, ino), -EINVAL);
	}

	int unmounted = ext2_unmount(r->fs);
	CHECK_EQ(unmounted, 0);
	CHECK(r->im.data[1024 + 58] & EXT2_VALID_FS);
	save(&r->im, img);
	judge(img, r->model, name);
	/* mount count and times: as dumpe2fs reads them */
	char out[65536];
	capture(out, sizeof(out), "dumpe2fs -h %s 2>/dev/null", img);
	CHECK_CONTAINS(out, "Mount count:              1");
	CHECK_CONTAINS(out, "Filesystem state:         clean");
	printf("  %s: e2fsck clean, rdump equals the model\n", name);
}
int main(void)
{
	ext2_host_init(__FILE__, "ext2w");
	geometry(1024, 128, 8192);
	geometry(1024, 256, 8192);
	geometry(2048, 256, 16384);
	geometry(4096, 128, 24576);
	CHECKF(stat_lines > 1000, "only %d paths compared by debugfs stat", stat_lines);
	return ht_finish();
}
