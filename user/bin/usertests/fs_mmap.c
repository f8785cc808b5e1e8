/*
 * usertests' ufs suite: memory-mapped files (FS_MMAP, mmap of a file fd;
 * docs/filesystem.md "Memory-mapped files"). ext2d is the pager of the
 * mapping: each page a fault touches is read through its cache and
 * supplied. The host is the judge: "big"'s CRC in /MANIFEST.
 */
#include "ufs.h"
#include <pagoda_fd.h>
#include <sys/stat.h>

#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })
#define MAP_ERR(p) ((p) == MAP_FAILED ? -(long)errno : 0L)

static unsigned char buf[8192];

void mmap_file_crc(struct utest *t)
{
	int mnt = sda(t);
	if (mnt < 0)
		return;
	ASSERT_TRUE(t, load_manifest(mnt) == 0);
	unsigned int want;
	long size;
	ASSERT_TRUE(t, manifest_entry("big", &want, &size) == 0);
	int fd = fs_open_at(mnt, "big", O_RDONLY, 0);
	ASSERT_TRUE(t, fd >= 0);
	const unsigned char *p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_TRUE(t, MAP_ERR(p) == 0);
	EXPECT_EQ(t, crc32(0, p, (size_t)size), want);

	/* A second mapping shares the object: its pages are there, the
	 * server is not asked again (its cache sees nothing). */
	struct fs_cache_stats a, b;
	ASSERT_TRUE(t, fs_stats(mnt, &a) == 0);
	const unsigned char *q = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_TRUE(t, MAP_ERR(q) == 0);
	EXPECT_EQ(t, crc32(0, q, (size_t)size), want);
	ASSERT_TRUE(t, fs_stats(mnt, &b) == 0);
	EXPECT_EQ(t, b.hits, a.hits);
	EXPECT_EQ(t, b.misses, a.misses);

	/* A window at an offset, and a forked child reading its own mapping. */
	const unsigned char *w = mmap(NULL, 65536, PROT_READ, MAP_PRIVATE, fd, 1 << 20);
	ASSERT_TRUE(t, MAP_ERR(w) == 0);
	EXPECT_EQ(t, memcmp(w, p + (1 << 20), 65536), 0);
	EXPECT_EQ(t, E(pread(fd, buf, 4096, (1 << 20) + 8192)), 4096);
	EXPECT_EQ(t, memcmp(w + 8192, buf, 4096), 0);
	int pid = fork();
	if (pid == 0)
		_exit(crc32(0, p, (size_t)size) == want && crc32(0, q, (size_t)size) == want ? 0 : 1);
	int status = -1;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);

	/* What a read-only pager's object refuses. */
	EXPECT_EQ(t, MAP_ERR(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)), -EACCES);
	EXPECT_EQ(t, MAP_ERR(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 100)), -EINVAL);
	EXPECT_EQ(t, MAP_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0)), -EINVAL);
	EXPECT_EQ(t, E(mprotect((void *)p, 4096, PROT_READ | PROT_WRITE)), -EACCES);
	EXPECT_EQ(t, E(munmap((void *)p, (size_t)size)), 0);
	EXPECT_EQ(t, E(munmap((void *)q, (size_t)size)), 0);
	EXPECT_EQ(t, E(munmap((void *)w, 65536)), 0);
	EXPECT_EQ(t, close(fd), 0);

	/* A file whose end is inside a page: the bytes are read()'s, the
	 * rest of the page zeros. */
	fd = fs_open_at(mnt, "MANIFEST", O_RDONLY, 0);
	ASSERT_TRUE(t, fd >= 0);
	struct stat st;
	ASSERT_TRUE(t, fstat(fd, &st) == 0 && st.st_size > 0);
	size_t n = (size_t)st.st_size, mapped = (n + 4095) & ~4095UL;
	const unsigned char *m = mmap(NULL, mapped, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_TRUE(t, MAP_ERR(m) == 0);
	int same = 1;
	for (size_t off = 0; off < n; off += sizeof(buf)) {
		size_t chunk = n - off < sizeof(buf) ? n - off : sizeof(buf);
		same &= pread(fd, buf, chunk, (off_t)off) == (ssize_t)chunk && !memcmp(m + off, buf, chunk);
	}
	EXPECT_TRUE(t, same);
	int zeros = 1;
	for (size_t i = n; i < mapped; i++)
		zeros &= !m[i];
	EXPECT_TRUE(t, zeros);
	EXPECT_EQ(t, E(munmap((void *)m, mapped)), 0);
	EXPECT_EQ(t, close(fd), 0);
	printf("    # ufs: big (%ld bytes) mapped twice, CRC %08x as the host's; MANIFEST %zu bytes as read()\n",
	       size, want, n);
}
