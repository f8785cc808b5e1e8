/*
 * The ext2 library's write side at its limits, judged by the host's
 * tools: small images filled until ENOSPC (blocks, then inodes) stay
 * clean for e2fsck -fn and their statfs agrees with dumpe2fs; a file past
 * 2 and 4 GiB sets large_file; revision 0 images; unclean, erroneous and
 * read-only mounts; and every image tools/ext2_corrupt.py breaks: refused
 * at mount with a message, or errors only where the damage is.
 */
#define _GNU_SOURCE
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "ext2_lib.h"
#include "ext2_host.h"

/* ---- ENOSPC ---- */

static unsigned long dumpe2fs_field(const char *img, const char *field)
{
	char out[65536];
	capture(out, sizeof(out), "dumpe2fs -h %s 2>/dev/null", img);
	char *at = strstr(out, field);
	return at ? strtoul(at + strlen(field), NULL, 10) : (unsigned long)-1;
}

static void enospc(unsigned int bs)
{
	char img[8192], name[64];
	snprintf(name, sizeof(name), "full-b%u", bs);
	snprintf(img, sizeof(img), "%s/%s.img", out_dir, name);
	/* blocks: one file until no block is left */
	CHECK_EQ(sh("mke2fs -q -F -t ext2 -b %u -N 64 %s %uk", bs, img, bs == 1024 ? 256 : 1024), 0);
	struct image im;
	CHECK_EQ(load(&im, img), 0);
	CHECK_EQ(ext2_mount(im.fs, &rw_ops, &im), 0);
	uint32_t ino;
	CHECK_EQ(ext2_create(im.fs, EXT2_ROOT_INO, "fill", 4, 0644, &ino), 0);
	struct ext2_inode_info in;
	CHECK_EQ(ext2_iget(im.fs, ino, &in), 0);
	static uint8_t buf[1 << 20];
	pattern(buf, sizeof(buf), 7);
	long n = ext2_write(im.fs, &in, 0, buf, sizeof(buf));
	CHECKF(n > 0 && n < (long)sizeof(buf) && n % bs == 0, "%s: wrote %ld", name, n);
	CHECK_EQ(ext2_write(im.fs, &in, (uint64_t)n, buf, bs), -ENOSPC);
	CHECK_EQ(in.size, (uint64_t)n);
	struct ext2_statfs st;
	ext2_statfs(im.fs, &st);
	CHECK_EQ(st.free_blocks, 0);
	uint32_t ino2;
	/* a directory needs a block: none left, and nothing is leaked */
	CHECK_EQ(ext2_mkdir(im.fs, EXT2_ROOT_INO, "d", 1, 0755, &ino2), -ENOSPC);
	ext2_statfs(im.fs, &st);
	uint32_t free_inodes = st.free_inodes;
	CHECK_EQ(ext2_unmount(im.fs), 0);
	save(&im, img);
	fsck_clean(img, name);
	CHECK_EQ(dumpe2fs_field(img, "Free blocks:"), 0);
	CHECK_EQ(dumpe2fs_field(img, "Free inodes:"), free_inodes);

	/* inodes: files until none is left; then the image is still clean */
	CHECK_EQ(sh("mke2fs -q -F -t ext2 -b %u -N 64 %s 1024k", bs, img), 0);
	CHECK_EQ(load(&im, img), 0);
	CHECK_EQ(ext2_mount(im.fs, &rw_ops, &im), 0);
	int made = 0, ret = 0;
	for (int i = 0; i < 100000; i++) {
		char fname[32];
		snprintf(fname, sizeof(fname), "file-%d", i);
		ret = ext2_create(im.fs, EXT2_ROOT_INO, fname, strlen(fname), 0644, &ino);
		if (ret)
			break;
		made++;
	}
	CHECK_EQ(ret, -ENOSPC);
	ext2_statfs(im.fs, &st);
	CHECK_EQ(st.free_inodes, 0);
	CHECKF(made > 40, "%s: %d files", name, made);
	uint64_t free_blocks = st.free_blocks;
	CHECK_EQ(ext2_unmount(im.fs), 0);
	save(&im, img);
	fsck_clean(img, name);
	CHECK_EQ(dumpe2fs_field(img, "Free inodes:"), 0);
	CHECK_EQ(dumpe2fs_field(img, "Free blocks:"), free_blocks);
	printf("  %s: filled to ENOSPC (blocks, then %d inodes), e2fsck clean\n", name, made);
}

/* ---- mount states ---- */

static void states(void)
{
	char img[8192];
	snprintf(img, sizeof(img), "%s/state.img", out_dir);
	CHECK_EQ(sh("mke2fs -q -F -t ext2 -b 1024 %s 1024", img), 0);
	/* not cleanly unmounted: mounts read-write with a warning, stays marked */
	CHECK_EQ(sh("debugfs -w -R 'ssv state 0' %s >/dev/null 2>&1", img), 0);
	struct image im;
	CHECK_EQ(load(&im, img), 0);
	CHECK_EQ(ext2_mount(im.fs, &rw_ops, &im), 0);
	CHECK(!im.fs->read_only);
	CHECK_CONTAINS(im.log, "mounting unchecked fs");
	CHECK_EQ(ext2_unmount(im.fs), 0);
	CHECK_EQ(im.data[1024 + 58] & EXT2_VALID_FS, 0);
	save(&im, img);
	/* errors recorded: the same, and the mark stays */
	CHECK_EQ(sh("debugfs -w -R 'ssv state 3' %s >/dev/null 2>&1", img), 0);
	CHECK_EQ(load(&im, img), 0);
	CHECK_EQ(ext2_mount(im.fs, &rw_ops, &im), 0);
	CHECK_CONTAINS(im.log, "mounting fs with errors");
	uint32_t ino;
	CHECK_EQ(ext2_create(im.fs, EXT2_ROOT_INO, "x", 1, 0644, &ino), 0);
	CHECK_EQ(ext2_unmount(im.fs), 0);
	CHECK_EQ(im.data[1024 + 58], 3);
	save(&im, img);
	/* read-only (no write_block): every write is -EROFS and nothing changes */
	CHECK_EQ(sh("debugfs -w -R 'ssv state 1' %s >/dev/null 2>&1", img), 0);
	CHECK_EQ(load(&im, img), 0);
	static const struct ext2_ops ro_ops = { .read_block = img_read, .log = img_log,
						.alloc = img_alloc, .free = img_free };
	CHECK_EQ(ext2_mount(im.fs, &ro_ops, &im), 0);
	CHECK(im.fs->read_only);
	CHECK_EQ(ext2_create(im.fs, EXT2_ROOT_INO, "y", 1, 0644, &ino), -EROFS);
	CHECK_EQ(ext2_unlink(im.fs, EXT2_ROOT_INO, "x", 1, 0, &ino), -EROFS);
	CHECK_EQ(ext2_sync(im.fs), -EROFS);
	CHECK_EQ(ext2_unmount(im.fs), 0);
	save(&im, img);
	fsck_clean(img, "state");

	/* revision 0: no feature flags (no filetype in entries), 128-byte
	 * inodes from 11 on, files stop at 2 GiB - 1 */
	CHECK_EQ(sh("mke2fs -q -F -t ext2 -r 0 -b 1024 %s 2048k 2>/dev/null", img), 0);
	CHECK_EQ(load(&im, img), 0);
	CHECK_EQ(ext2_mount(im.fs, &rw_ops, &im), 0);
	uint32_t dir;
	CHECK_EQ(ext2_mkdir(im.fs, EXT2_ROOT_INO, "dir", 3, 0755, &dir), 0);
	CHECK_EQ(ext2_create(im.fs, dir, "file", 4, 0644, &ino), 0);
	CHECK_EQ(ext2_symlink(im.fs, dir, "link", 4, "file", &ino), 0);
	struct ext2_inode_info in;
	CHECK_EQ(ext2_iget(im.fs, ino - 1, &in), 0);
	CHECK_EQ(ext2_write(im.fs, &in, 5000, "rev0", 4), 4);
	CHECK_EQ(ext2_write(im.fs, &in, 0x7fffffffULL, "x", 1), -EFBIG);
	CHECK_EQ(ext2_unmount(im.fs), 0);
	save(&im, img);
	fsck_clean(img, "rev0");
	char out[4096];
	capture(out, sizeof(out), "debugfs -R 'cat /dir/file' %s 2>/dev/null | tail -c 4", img);
	CHECK_STREQ(out, "rev0");
}

/* ---- past 2 GiB: i_size_high, and the large_file feature set ---- */

static void large_file(void)
{
	char img[8192], out[65536];
	snprintf(img, sizeof(img), "%s/large.img", out_dir);
	CHECK_EQ(sh("mke2fs -q -F -t ext2 -b 4096 %s 8192k && debugfs -w -R 'feature -large_file' %s >/dev/null 2>&1",
		    img, img), 0);
	capture(out, sizeof(out), "dumpe2fs -h %s 2>/dev/null | grep features", img);
	CHECKF(!strstr(out, "large_file"), "large_file not cleared: %s", out);
	struct image im;
	CHECK_EQ(load(&im, img), 0);
	CHECK_EQ(ext2_mount(im.fs, &rw_ops, &im), 0);
	uint32_t ino;
	CHECK_EQ(ext2_create(im.fs, EXT2_ROOT_INO, "big", 3, 0644, &ino), 0);
	struct ext2_inode_info in;
	CHECK_EQ(ext2_iget(im.fs, ino, &in), 0);
	uint64_t off = 3ULL << 30;
	CHECK_EQ(ext2_write(im.fs, &in, off, "0123456789", 10), 10);
	CHECK_EQ(le32_to_cpu(in.raw.i_size_high), 0);	/* 3 GiB + 10 fits in 32 bits */
	CHECK_EQ(ext2_write(im.fs, &in, 5ULL << 30, "x", 1), 1);
	CHECK_EQ(le32_to_cpu(in.raw.i_size_high), 1);
	CHECK(im.fs->feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE);
	char back[10];
	CHECK_EQ(ext2_read(im.fs, &in, off, back, 10), 10);
	CHECK(!memcmp(back, "0123456789", 10));
	CHECK_EQ(ext2_unmount(im.fs), 0);
	save(&im, img);
	fsck_clean(img, "large");
	capture(out, sizeof(out), "dumpe2fs -h %s 2>/dev/null | grep features", img);
	CHECK_CONTAINS(out, "large_file");
	capture(out, sizeof(out), "debugfs -R 'stat /big' %s 2>/dev/null", img);
	CHECK_CONTAINS(out, "Size: 5368709121");
}

/* ---- tools/ext2_corrupt.py's images: refused, or errors only ---- */

static void corrupt_cases(const char *here)
{
	char tree[8192], img[8192], bad[8192];
	snprintf(tree, sizeof(tree), "%s/corrupt-tree", out_dir);
	snprintf(img, sizeof(img), "%s/corrupt-base.img", out_dir);
	snprintf(bad, sizeof(bad), "%s/corrupt", out_dir);
	CHECK_EQ(sh("rm -rf %s %s.cksum && python3 %s/../../tools/fstree.py %s >/dev/null", tree, tree,
		    here, tree), 0);
	CHECK_EQ(sh("mke2fs -q -F -t ext2 -b 1024 -d %s %s 4096k", tree, img), 0);
	CHECK_EQ(sh("rm -rf %s && python3 %s/../../tools/ext2_corrupt.py %s %s >/dev/null", bad, here,
		    img, bad), 0);
	char list[8192];
	snprintf(list, sizeof(list), "%s/cases.txt", bad);
	FILE *f = fopen(list, "r");
	char name[64], what[16], path[4096];
	int n = 0;
	while (f && fscanf(f, "%63s %15s", name, what) == 2) {
		char file[8192];
		snprintf(file, sizeof(file), "%s/%s.img", bad, name);
		struct image im;
		CHECK_EQ(load(&im, file), 0);
		int ret = ext2_mount(im.fs, &rw_ops, &im);
		n++;
		if (!strcmp(what, "mount")) {
			CHECKF(ret == -EINVAL || ret == -EUCLEAN, "%s: mount %d", name, ret);
			CHECKF(im.log[0], "%s: refused without a message", name);
			save(&im, file);
			continue;
		}
		CHECK_EQ(fscanf(f, "%4095s", path), 1);
		CHECKF(ret == 0, "%s: mount %d: %s", name, ret, im.log);
		if (ret) {
			save(&im, file);
			continue;
		}
		uint32_t ino = 0;
		CHECK_EQ(ext2_namei(im.fs, EXT2_ROOT_INO, path, 0, &ino), 0);
		struct ext2_inode_info in;
		CHECK_EQ(ext2_iget(im.fs, ino, &in), 0);
		static uint8_t buf[1 << 20];
		if (!strcmp(what, "read")) {
			long got = 0;
			for (uint64_t off = 0; off < in.size && got >= 0; off += sizeof(buf))
				got = ext2_read(im.fs, &in, off, buf, sizeof(buf));
			CHECKF(got == -EUCLEAN, "%s: read %s gave %ld", name, path, got);
			/* the write side meets the same map: errors, no damage elsewhere */
			long w = ext2_write(im.fs, &in, 0, buf, 100);
			w = w < 0 ? w : ext2_write(im.fs, &in, 12 * 1024, buf, 100);	/* the loop: entry 0 */
			CHECKF(w == -EUCLEAN, "%s: write %s gave %ld", name, path, w);
			CHECKF(ext2_truncate(im.fs, &in, 0) == -EUCLEAN, "%s: truncate", name);
		} else {
			uint64_t pos = 0;
			struct ext2_dirent de;
			int got;
			while ((got = ext2_readdir(im.fs, &in, &pos, &de)) > 0)
				;
			CHECKF(got == -EUCLEAN, "%s: readdir %s gave %d", name, path, got);
			uint32_t new_ino;
			CHECKF(ext2_create(im.fs, ino, "new", 3, 0644, &new_ino) == -EUCLEAN,
			       "%s: create in %s", name, path);
		}
		/* the rest of the file system still works */
		uint32_t new_ino;
		CHECKF(ext2_create(im.fs, EXT2_ROOT_INO, "still-works", 11, 0644, &new_ino) == 0,
		       "%s: create at the root: %s", name, im.log);
		CHECK_EQ(ext2_unmount(im.fs), 0);
		save(&im, file);
	}
	if (f)
		fclose(f);
	CHECK_EQ(n, 9);
	printf("  tools/ext2_corrupt.py: %d images, each refused or an error\n", n);
}
int main(void)
{
	const char *here = ext2_host_init(__FILE__, "ext2w-limits");
	enospc(1024);
	enospc(4096);
	states();
	large_file();
	corrupt_cases(here);
	return ht_finish();
}
