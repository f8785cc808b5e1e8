/*
 * Lab 9's host test (docs/labs/lab9-read-path.md): the block map of the
 * ext2 library (fs/ext2/bmap.c), file block -> disk block through the 12
 * direct pointers and the single, double and triple indirect blocks.
 *
 *  - ext2_block_path: the path at every boundary, 256 and 1024 pointers
 *    an indirect block (1 KiB and 4 KiB blocks), -EFBIG past the map;
 *  - reads: images made by the host's mke2fs (ext2_bmap_images.py, 1 KiB
 *    and 4 KiB blocks), files crossing each boundary, sparse ones reaching
 *    the triple indirect block; ext2_bmap of each file block must be the
 *    block debugfs names (or a hole where it names none), and ext2_read
 *    must give the host file's bytes, zeros in the holes;
 *  - writes: a new file written at each boundary through ext2_write
 *    (ext2_get_block allocating the indirect blocks); then e2fsck -fn must
 *    find the image clean, and debugfs's map of the file must hold the
 *    bytes written, block for block.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hosttest.h"

/* Paths here are short; gcc cannot know, and would fail the build. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "ext2_lib.h"

#include "ext2_host.h"

#define MAX_MAP 8192            /* mapped blocks a file of these images has */

struct fmap {
	char path[64];
	uint64_t size, nblocks;
	int n;
	uint64_t fb[MAX_MAP];
	uint32_t disk[MAX_MAP];
};

static struct fmap maps[8];

/* The host's answer for block fb: its disk block, 0 for a hole. */
static uint32_t host_block(const struct fmap *m, uint64_t fb)
{
	int lo = 0, hi = m->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (m->fb[mid] < fb)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->fb[lo] == fb ? m->disk[lo] : 0;
}

/* "F path size nblocks" / "B fb disk" lines (ext2_bmap_images.py). */
static int read_maps(const char *file)
{
	FILE *f = fopen(file, "r");
	CHECKF(f != NULL, "open %s", file);
	if (!f)
		return 0;
	int files = -1;
	char kind;
	while (fscanf(f, " %c", &kind) == 1) {
		if (kind == 'F') {
			struct fmap *m = &maps[++files];
			m->n = 0;
			CHECK(fscanf(f, "%63s %" SCNu64 " %" SCNu64, m->path, &m->size, &m->nblocks) == 3);
		} else {
			struct fmap *m = &maps[files];
			CHECK(m->n < MAX_MAP && fscanf(f, "%" SCNu64 " %" SCNu32, &m->fb[m->n], &m->disk[m->n]) == 2);
			m->n++;
		}
	}
	fclose(f);
	return files + 1;
}

/* ---- the arithmetic ---- */

static void check_path(unsigned int apb, uint64_t fb, int depth, uint32_t o0, uint32_t o1, uint32_t o2,
		       uint32_t o3)
{
	struct ext2_fs fs = { .addr_per_block = apb };
	uint32_t got[4] = { 0xdead, 0xdead, 0xdead, 0xdead }, want[4] = { o0, o1, o2, o3 };
	int d = ext2_block_path(&fs, fb, got);
	CHECKF(d == depth, "apb %u: block %llu: depth %d, not %d", apb, (unsigned long long)fb, d, depth);
	for (int i = 0; d == depth && i <= depth; i++)
		CHECKF(got[i] == want[i], "apb %u: block %llu: offsets[%d] = %u, not %u", apb,
		       (unsigned long long)fb, i, got[i], want[i]);
}

static void check_paths(unsigned int a)
{
	uint64_t A = a, S = 12 + A, T = S + A * A, E = T + A * A * A;
	check_path(a, 0, 0, 0, 0, 0, 0);
	check_path(a, 11, 0, 11, 0, 0, 0);
	check_path(a, 12, 1, EXT2_IND_BLOCK, 0, 0, 0);
	check_path(a, 13, 1, EXT2_IND_BLOCK, 1, 0, 0);
	check_path(a, S - 1, 1, EXT2_IND_BLOCK, a - 1, 0, 0);
	check_path(a, S, 2, EXT2_DIND_BLOCK, 0, 0, 0);
	check_path(a, S + 1, 2, EXT2_DIND_BLOCK, 0, 1, 0);
	check_path(a, S + A - 1, 2, EXT2_DIND_BLOCK, 0, a - 1, 0);
	check_path(a, S + A, 2, EXT2_DIND_BLOCK, 1, 0, 0);
	check_path(a, S + 5 * A + 7, 2, EXT2_DIND_BLOCK, 5, 7, 0);
	check_path(a, T - 1, 2, EXT2_DIND_BLOCK, a - 1, a - 1, 0);
	check_path(a, T, 3, EXT2_TIND_BLOCK, 0, 0, 0);
	check_path(a, T + 1, 3, EXT2_TIND_BLOCK, 0, 0, 1);
	check_path(a, T + A, 3, EXT2_TIND_BLOCK, 0, 1, 0);
	check_path(a, T + A * A - 1, 3, EXT2_TIND_BLOCK, 0, a - 1, a - 1);
	check_path(a, T + A * A, 3, EXT2_TIND_BLOCK, 1, 0, 0);
	check_path(a, T + 2 * A * A + 9 * A + 3, 3, EXT2_TIND_BLOCK, 2, 9, 3);
	check_path(a, E - 1, 3, EXT2_TIND_BLOCK, a - 1, a - 1, a - 1);
	uint32_t o[4];
	struct ext2_fs fs = { .addr_per_block = a };
	CHECK_EQ(ext2_block_path(&fs, E, o), -EFBIG);
	CHECK_EQ(ext2_block_path(&fs, E + A * A, o), -EFBIG);
	CHECK_EQ(ext2_block_path(&fs, UINT64_MAX / 2, o), -EFBIG);
}

/* ---- reads ---- */

/* The file blocks worth asking about: each boundary and its neighbours,
 * every mapped block, and all of them when the file is small enough. */
static int interesting(uint64_t fb, uint64_t apb)
{
	uint64_t edges[] = { 0, 12, 12 + apb, 12 + apb + apb * apb, 12 + 2 * apb, 12 + apb + 2 * apb * apb };
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		if (fb + 2 >= edges[i] && fb <= edges[i] + 2)
			return 1;
	return fb % 997 == 0;
}

static void check_block(struct image *im, const struct ext2_inode_info *in, const struct fmap *m, int fd,
			uint64_t fb, int *holes_read)
{
	unsigned int bs = im->fs->block_size;
	uint32_t got = 0xdeadbeef, want = host_block(m, fb);
	int ret = ext2_bmap(im->fs, in, fb, &got);
	CHECKF(ret == 0 && got == want, "%s: block %llu: ext2_bmap %d, disk block %u; debugfs: %u", m->path,
	       (unsigned long long)fb, ret, got, want);
	if (!want && ++*holes_read > 64)
		return;         /* enough holes read as zeros for one file */
	static uint8_t host[4096], lib[4096];
	uint64_t off = fb * bs;
	size_t n = m->size - off < bs ? (size_t)(m->size - off) : bs;
	ssize_t h = pread(fd, host, n, (off_t)off);
	memset(lib, 0xa5, n);
	long r = ext2_read(im->fs, in, off, lib, n);
	CHECKF(h == (ssize_t)n && r == (long)n && !memcmp(host, lib, n),
	       "%s: block %llu (%s): ext2_read %ld of %zu, the bytes %s the host's", m->path,
	       (unsigned long long)fb, want ? "data" : "hole", r, n, memcmp(host, lib, n) ? "differ from" : "are");
}

/* The whole of a small file in odd pieces, across block boundaries. */
static void check_whole(struct image *im, const struct ext2_inode_info *in, const struct fmap *m, int fd)
{
	static uint8_t host[1000], lib[1000];
	for (uint64_t off = 0; off < m->size; off += sizeof(host)) {
		size_t n = m->size - off < sizeof(host) ? (size_t)(m->size - off) : sizeof(host);
		long r = ext2_read(im->fs, in, off, lib, n);
		if (pread(fd, host, n, (off_t)off) != (ssize_t)n || r != (long)n || memcmp(host, lib, n)) {
			CHECKF(0, "%s: bytes at %llu: ext2_read %ld of %zu, or the bytes differ", m->path,
			       (unsigned long long)off, r, n);
			return;
		}
	}
	char tail;
	CHECK_EQ(ext2_read(im->fs, in, m->size, &tail, 1), 0);
}

static void check_reads(const char *name, unsigned int bs)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s.map", out_dir, name);
	int files = read_maps(path);
	CHECK_EQ(files, 6);
	struct image im;
	snprintf(path, sizeof(path), "%s/%s.img", out_dir, name);
	CHECKF(load(&im, path) == 0, "load %s", path);
	static const struct ext2_ops ro = { .read_block = img_read, .log = img_log, .alloc = img_alloc,
					    .free = img_free };
	int ret = ext2_mount(im.fs, &ro, &im);
	CHECKF(ret == 0, "%s: mount: %d %s", name, ret, im.log);
	if (ret)
		return;
	uint64_t apb = bs / 4, asked = 0;
	for (int i = 0; i < files; i++) {
		const struct fmap *m = &maps[i];
		uint32_t ino = 0;
		struct ext2_inode_info in;
		CHECKF(ext2_namei(im.fs, EXT2_ROOT_INO, m->path, 0, &ino) == 0 && ext2_iget(im.fs, ino, &in) == 0,
		       "%s: %s: namei/iget", name, m->path);
		CHECK_EQ(in.size, m->size);
		snprintf(path, sizeof(path), "%s/tree-%s/%s", out_dir, name, m->path);
		int fd = open(path, O_RDONLY);
		CHECKF(fd >= 0, "open %s", path);
		int holes = 0, failed = ht_failed;
		for (uint64_t fb = 0; fb < m->nblocks; fb++) {
			if (m->nblocks > 250000 && !interesting(fb, apb) && !host_block(m, fb))
				continue;
			check_block(&im, &in, m, fd, fb, &holes);
			asked++;
			if (ht_failed - failed >= 4) {
				printf("  %s: %s: more blocks unchecked after 4 failures\n", name, m->path);
				break;
			}
		}
		if (m->size <= (1u << 20))
			check_whole(&im, &in, m, fd);
		close(fd);
	}
	if (!ht_failed)
		printf("  %s: %d files, %llu file blocks mapped and read against debugfs and the host's bytes\n", name,
	       files, (unsigned long long)asked);
	CHECK_EQ(ext2_unmount(im.fs), 0);
	free(im.data);
	free(im.fs);
}

/* ---- writes ---- */

static void check_writes(const char *name, unsigned int bs)
{
	char img[8192], copy[8192], out[65536];
	snprintf(img, sizeof(img), "%s/%s.img", out_dir, name);
	snprintf(copy, sizeof(copy), "%s/%s-written.img", out_dir, name);
	CHECK(sh("cp %s %s", img, copy) == 0);
	struct image im;
	CHECKF(load(&im, copy) == 0, "load %s", copy);
	int ret = ext2_mount(im.fs, &rw_ops, &im);
	CHECKF(ret == 0, "%s: mount rw: %d %s", name, ret, im.log);
	if (ret)
		return;
	uint64_t A = bs / 4, S = 12 + A, T = S + A * A, E = T + A * A * A;
	uint64_t at[] = { 0, 11, 12, S - 1, S, S + A - 1, S + A, T - 1, T, T + A, T + A * A, E - 1 };
	int nat = 0;
	uint32_t ino;
	CHECK_EQ(ext2_create(im.fs, EXT2_ROOT_INO, "w", 1, 0644, &ino), 0);
	struct ext2_inode_info in;
	CHECK_EQ(ext2_iget(im.fs, ino, &in), 0);
	uint8_t buf[16];
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		if ((at[i] + 1) * bs > ext2_max_size(im.fs))
			continue;       /* past what i_size and i_blocks hold */
		pattern(buf, sizeof(buf), (uint32_t)i + 1);
		long n = ext2_write(im.fs, &in, at[i] * bs + 100, buf, sizeof(buf));
		CHECKF(n == (long)sizeof(buf), "%s: write at block %llu: %ld %s", name, (unsigned long long)at[i], n,
		       im.log);
		nat = (int)i + 1;
	}
	CHECK(nat >= 9);        /* the triple indirect block reached */
	CHECK_EQ(ext2_unmount(im.fs), 0);
	save(&im, copy);
	fsck_clean(copy, name);

	/* debugfs's map of /w: each block written holds its bytes, on the disk */
	struct fmap *m = &maps[0];
	m->n = 0;
	capture(out, sizeof(out), "debugfs -R 'stat /w' %s 2>/dev/null", copy);
	char *p = strstr(out, "BLOCKS:");
	CHECKF(p != NULL, "%s: debugfs stat /w:\n%s", name, out);
	while (p && (p = strchr(p, '('))) {
		unsigned long long lo, hi, d;
		int used = 0;
		if (sscanf(p, "(%llu-%llu):%llu%n", &lo, &hi, &d, &used) == 3 ||
		    (hi = 0, sscanf(p, "(%llu):%llu%n", &lo, &d, &used) == 2)) {
			if (!hi)
				hi = lo;
			for (unsigned long long k = lo; k <= hi && m->n < MAX_MAP; k++) {
				m->fb[m->n] = k;
				m->disk[m->n++] = (uint32_t)(d + k - lo);
			}
		}
		p++;
	}
	CHECK_EQ(m->n, nat);
	FILE *f = fopen(copy, "rb");
	for (int i = 0; f && i < nat; i++) {
		uint32_t d = host_block(m, at[i]);
		uint8_t disk[16];
		pattern(buf, sizeof(buf), (uint32_t)i + 1);
		CHECK(d && fseek(f, (long)d * bs + 100, SEEK_SET) == 0 && fread(disk, 1, 16, f) == 16);
		CHECKF(d && !memcmp(disk, buf, sizeof(buf)), "%s: /w block %llu: debugfs maps it to %u, without "
		       "the bytes written", name, (unsigned long long)at[i], d);
	}
	if (f)
		fclose(f);
	if (!ht_failed)
		printf("  %s: /w written at %d blocks up to the triple indirect; e2fsck -fn clean; debugfs agrees\n", name,
	       nat);
}

int main(void)
{
	const char *here = ext2_host_init(__FILE__, "ext2_bmap");
	check_paths(256);
	check_paths(1024);
	if (sh("python3 %s/ext2_bmap_images.py %s", here, out_dir) != 0) {
		printf("test_ext2_bmap: making the images failed (mke2fs, debugfs, e2fsck needed)\n");
		return 1;
	}
	check_reads("b1024", 1024);
	check_reads("b4096", 4096);
	check_writes("b1024", 1024);
	check_writes("b4096", 4096);
	return ht_finish();
}
