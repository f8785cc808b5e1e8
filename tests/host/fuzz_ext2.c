/*
 * Fuzz target: the ext2 library (fs/ext2/) on an arbitrary disk image. The
 * input is the image's first bytes; the disk goes on with zeros to
 * DISK_SIZE (so the seed, corpus/ext2/, can leave out its empty tail) and
 * a read past that is -EIO. Mount (read-write, on a memory copy); then
 * walk the tree (bounded: depth, entries, bytes), read every file and
 * link, and walk a few paths; then change it: create, write, truncate,
 * mkdir, symlink, rename, unlink, rmdir, and walk it again. Every
 * result must be one the contract allows; each -EUCLEAN and each mount
 * refusal must come with a message; no read outside a buffer (ASan), no
 * undefined behaviour (UBSan), no hang (libFuzzer's -timeout).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext2_lib.h"

#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: fuzz_ext2: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

#define DISK_SIZE (128 * 1024)

struct disk {
	uint8_t *data;		/* DISK_SIZE bytes: the input, then zeros */
	struct ext2_fs *fs;
	int messages, allocs;
};

static int disk_read(void *ctx, unsigned long long block, void *buf)
{
	struct disk *d = ctx;
	unsigned long long bs = d->fs->block_size;
	if (block >= DISK_SIZE / bs)
		return -EIO;
	memcpy(buf, d->data + block * bs, bs);
	return 0;
}

static int disk_write(void *ctx, unsigned long long block, const void *buf)
{
	struct disk *d = ctx;
	unsigned long long bs = d->fs->block_size;
	if (block >= DISK_SIZE / bs)
		return -EIO;
	memcpy(d->data + block * bs, buf, bs);
	return 0;
}

static uint32_t disk_now(void *ctx)
{
	return 1700000000;
}

static void disk_log(void *ctx, const char *msg)
{
	struct disk *d = ctx;
	FUZZ_ASSERT(strncmp(msg, "ext2: ", 6) == 0 && strlen(msg) < 200);
	d->messages++;
}

static void *disk_alloc(void *ctx, size_t size)
{
	struct disk *d = ctx;
	d->allocs++;
	FUZZ_ASSERT(size > 0 && size <= DISK_SIZE);	/* the descriptors are read from the disk */
	return malloc(size);
}

static void disk_free(void *ctx, void *p)
{
	struct disk *d = ctx;
	d->allocs--;
	free(p);
}

static const struct ext2_ops ops = { .read_block = disk_read, .write_block = disk_write,
				     .log = disk_log, .alloc = disk_alloc, .free = disk_free,
				     .now = disk_now };

/* A result the contract allows; a corruption must have said why. */
static void check_err(struct disk *d, int before, long ret)
{
	if (ret >= 0)
		return;
	FUZZ_ASSERT(ret == -EIO || ret == -EUCLEAN || ret == -ENOENT || ret == -ENOTDIR ||
		    ret == -EISDIR || ret == -ELOOP || ret == -ENAMETOOLONG || ret == -EINVAL ||
		    ret == -EFBIG || ret == -EROFS || ret == -ENOSPC || ret == -EEXIST ||
		    ret == -ENOTEMPTY || ret == -EMLINK);
	if (ret == -EUCLEAN)
		FUZZ_ASSERT(d->messages > before);
}

static int budget;

static void walk(struct disk *d, uint32_t ino, int depth)
{
	struct ext2_fs *fs = d->fs;
	struct ext2_inode_info in;
	int m = d->messages;
	int ret = ext2_iget(fs, ino, &in);
	check_err(d, m, ret);
	if (ret || depth > 6 || --budget < 0)
		return;
	FUZZ_ASSERT(in.ino == ino);
	struct ext2_stat st;
	FUZZ_ASSERT(ext2_stat(fs, ino, &st) == 0 && st.size == in.size && st.mode == in.mode);
	static uint8_t buf[8192];
	if (ext2_is_lnk(&in)) {
		char target[EXT2_PATH_MAX];
		m = d->messages;
		long n = ext2_readlink(fs, &in, target, sizeof(target));
		check_err(d, m, n);
		if (n >= 0)
			FUZZ_ASSERT((size_t)n == strlen(target) && n < EXT2_PATH_MAX);
	}
	if (!ext2_is_dir(&in)) {
		for (uint64_t off = 0; off < in.size && off < 4 * sizeof(buf); off += sizeof(buf)) {
			m = d->messages;
			long n = ext2_read(fs, &in, off, buf, sizeof(buf));
			check_err(d, m, n);
			FUZZ_ASSERT(n <= (long)sizeof(buf) && (n < 0 || (uint64_t)n <= in.size - off));
			if (n <= 0)
				break;
		}
		return;
	}
	uint64_t pos = 0, last = 0;
	struct ext2_dirent de;
	for (int entries = 0; entries < 100; entries++) {
		m = d->messages;
		ret = ext2_readdir(fs, &in, &pos, &de);
		check_err(d, m, ret);
		if (ret <= 0)
			break;
		FUZZ_ASSERT(pos > last && pos <= in.size);	/* always forward */
		last = pos;
		FUZZ_ASSERT(de.name_len > 0 && strlen(de.name) == de.name_len && !strchr(de.name, '/'));
		FUZZ_ASSERT(de.ino >= 1 && de.ino <= fs->inodes_count);
		if (strcmp(de.name, ".") && strcmp(de.name, ".."))
			walk(d, de.ino, depth + 1);
	}
}

/* A path's parent directory and last name; 0 if the walk failed. */
static uint32_t parent(struct disk *d, const char *dir)
{
	uint32_t ino = 0;
	int m = d->messages;
	int ret = ext2_namei(d->fs, EXT2_ROOT_INO, dir, 0, &ino);
	check_err(d, m, ret);
	return ret ? 0 : ino;
}

#define CHANGE(call) do { int m_ = d->messages; long r_ = (call); check_err(d, m_, r_); } while (0)

/* Changes of every kind, on whatever the image holds: errors only. */
static void change(struct disk *d)
{
	struct ext2_fs *fs = d->fs;
	static uint8_t buf[9000];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7);
	uint32_t root = EXT2_ROOT_INO, ino = 0, dir = 0;
	CHANGE(ext2_create(fs, root, "new", 3, 0644, &ino));
	struct ext2_inode_info in;
	int m = d->messages;
	int ret = ext2_namei(fs, root, "new", 0, &ino);
	check_err(d, m, ret);
	if (!ret) {
		m = d->messages;
		ret = ext2_iget(fs, ino, &in);
		check_err(d, m, ret);
	}
	if (!ret && !ext2_is_dir(&in)) {
		CHANGE(ext2_write(fs, &in, 0, buf, 100));
		CHANGE(ext2_write(fs, &in, 3000, buf, sizeof(buf)));
		CHANGE(ext2_write(fs, &in, (uint64_t)fs->block_size * 300, buf, 10));
		CHANGE(ext2_truncate(fs, &in, 5000));
		CHANGE(ext2_truncate(fs, &in, 70000));
		CHANGE(ext2_utimes(fs, &in, 1, 2));
	}
	/* whatever files the image had: written over, cut */
	static const char *const files[] = { "hello", "indirect", "sparse" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		m = d->messages;
		ret = ext2_namei(fs, root, files[i], 0, &ino);
		check_err(d, m, ret);
		if (ret)
			continue;
		m = d->messages;
		ret = ext2_iget(fs, ino, &in);
		check_err(d, m, ret);
		if (ret)
			continue;
		CHANGE(ext2_write(fs, &in, 10, buf, 2000));
		CHANGE(ext2_truncate(fs, &in, 1500));
	}
	CHANGE(ext2_mkdir(fs, root, "newdir", 6, 0755, &dir));
	dir = parent(d, "newdir");
	if (dir) {
		CHANGE(ext2_symlink(fs, dir, "fast", 4, "../hello", &ino));
		CHANGE(ext2_symlink(fs, dir, "slow", 4,
				    "../dir/../dir/../dir/../dir/../dir/../dir/../dir/../dir/../hello", &ino));
		CHANGE(ext2_rename(fs, root, "new", 3, dir, "moved", 5, 0, &ino));
		CHANGE(ext2_rename(fs, root, "dir", 3, dir, "sub", 3, 0, &ino));
		CHANGE(ext2_rename(fs, root, "newdir", 6, dir, "x", 1, 0, &ino));
		CHANGE(ext2_rename(fs, root, "hello", 5, dir, "fast", 4, 0, &ino));
	}
	uint32_t sub = parent(d, "newdir/sub");
	if (sub) {
		for (int i = 0; i < 45; i += 4) {
			char name[40];
			snprintf(name, sizeof(name), "file-with-a-name-%d", i);
			CHANGE(ext2_unlink(fs, sub, name, strlen(name), 0, &ino));
		}
	}
	CHANGE(ext2_unlink(fs, root, "sparse", 6, 0, &ino));
	CHANGE(ext2_unlink(fs, root, "indirect", 8, EXT2_UNLINK_KEEP, &ino));
	if (ino >= fs->first_ino)
		CHANGE(ext2_evict(fs, ino));
	CHANGE(ext2_rmdir(fs, root, "newdir", 6));
	if (dir) {
		CHANGE(ext2_unlink(fs, dir, "fast", 4, 0, &ino));
		CHANGE(ext2_unlink(fs, dir, "slow", 4, 0, &ino));
		CHANGE(ext2_unlink(fs, dir, "moved", 5, 0, &ino));
	}
	struct ext2_statfs st;	/* the descriptors' counts: anything, on a corrupt image */
	ext2_statfs(fs, &st);
	FUZZ_ASSERT(st.block_size == fs->block_size && st.inodes == fs->inodes_count);
	CHANGE(ext2_sync(fs));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ext2_fs fs;
	static uint8_t copy[DISK_SIZE];
	size_t n = size < DISK_SIZE ? size : DISK_SIZE;
	memcpy(copy, data, n);
	memset(copy + n, 0, DISK_SIZE - n);
	struct disk d = { copy, &fs, 0, 0 };
	int ret = ext2_mount(&fs, &ops, &d);
	if (ret) {
		FUZZ_ASSERT(ret == -EINVAL || ret == -EUCLEAN || ret == -EIO || ret == -ENOMEM);
		FUZZ_ASSERT(ret == -EIO || d.messages > 0);
		FUZZ_ASSERT(d.allocs == 0 && fs.gd == NULL);
		return 0;
	}
	FUZZ_ASSERT(fs.block_size == 1024 || fs.block_size == 2048 || fs.block_size == 4096);
	budget = 300;
	walk(&d, EXT2_ROOT_INO, 0);
	static const char *const paths[] = { "/hello", "/fast", "/slow", "/loop", "/dir/up/x",
					     "/dir/up/../../hello", "/dir/file-with-a-name-7", "sparse" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		uint32_t ino;
		int m = d.messages;
		ret = ext2_namei(&fs, EXT2_ROOT_INO, paths[i], EXT2_LOOKUP_FOLLOW, &ino);
		check_err(&d, m, ret);
		if (!ret)
			FUZZ_ASSERT(ino >= 1 && ino <= fs.inodes_count);
	}
	if (!fs.read_only) {
		change(&d);
		budget = 300;
		walk(&d, EXT2_ROOT_INO, 0);
	}
	ret = ext2_unmount(&fs);
	FUZZ_ASSERT(ret == 0);	/* writes to memory do not fail */
	FUZZ_ASSERT(d.allocs == 0);
	return 0;
}
