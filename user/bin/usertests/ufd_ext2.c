/*
 * usertests, suite ufdx: the fd layer's calls against the real ext2
 * server (/bin/ext2d) at /mnt/sda, where the shell_ext2 console tests
 * mount one (tools/ktest/console.py runs `usertests 'ufdx.*'` there);
 * skipped without a read-write ext2 mount at /mnt/sda. Everything it
 * makes under /mnt/sda/x it removes again.
 */
#include "utest.h"
#include <dirent.h>
#include <fcntl.h>
#include <pagoda_fd.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define DIR_X "/mnt/sda/x"
#define SIZE  (100 * 1024 + 17)

static int have_sda(struct utest *t)
{
	char canon[PATH_MAX], rest[PATH_MAX];
	struct statfs st;
	int h = fs_path_mount("/mnt/sda", canon, sizeof(canon), rest, sizeof(rest));
	if (h >= 0)
		handle_close(h);
	if (h < 0 || rest[0] || statfs("/mnt/sda", &st) || strcmp(st.f_type, "ext2") || (st.f_flags & FS_RDONLY)) {
		t->skip = "no read-write ext2 at /mnt/sda";
		return 0;
	}
	mkdir(DIR_X, 0755);
	return 1;
}

static unsigned char pat(unsigned long i) { return (unsigned char)(i * 13 + (i >> 9)); }

static void files(struct utest *t)
{
	static unsigned char buf[SIZE], back[SIZE];
	struct stat st;
	if (!have_sda(t))
		return;
	for (unsigned long i = 0; i < SIZE; i++)
		buf[i] = pat(i);
	int fd = open(DIR_X "/f", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_TRUE(t, fd >= 0);
	EXPECT_EQ(t, write(fd, buf, SIZE), SIZE);
	EXPECT_EQ(t, fsync(fd), 0);
	EXPECT_EQ(t, close(fd), 0);
	EXPECT_EQ(t, stat(DIR_X "/f", &st), 0);
	EXPECT_EQ(t, st.st_size, SIZE);
	EXPECT_TRUE(t, S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644);
	fd = open(DIR_X "/f", O_RDWR);
	ASSERT_TRUE(t, fd >= 0);
	size_t got = 0;
	ssize_t n;
	while (got < SIZE && (n = read(fd, back + got, SIZE - got)) > 0)
		got += (size_t)n;
	EXPECT_EQ(t, got, SIZE);
	EXPECT_TRUE(t, !memcmp(buf, back, SIZE));
	EXPECT_EQ(t, read(fd, back, 10), 0);
	EXPECT_EQ(t, pread(fd, back, 100, 70000), 100);
	EXPECT_TRUE(t, !memcmp(back, buf + 70000, 100));
	EXPECT_EQ(t, pwrite(fd, "MID", 3, 5000), 3);
	EXPECT_EQ(t, lseek(fd, 0, SEEK_CUR), SIZE);             /* pread/pwrite left it */
	EXPECT_EQ(t, ftruncate(fd, 5003), 0);
	EXPECT_EQ(t, fstat(fd, &st), 0);
	EXPECT_EQ(t, st.st_size, 5003);
	EXPECT_EQ(t, close(fd), 0);
	fd = open(DIR_X "/f", O_WRONLY | O_APPEND);
	ASSERT_TRUE(t, fd >= 0);
	EXPECT_EQ(t, write(fd, "END", 3), 3);                   /* at the end, wherever the offset was */
	EXPECT_EQ(t, close(fd), 0);
	EXPECT_EQ(t, truncate(DIR_X "/f", 300000), 0);          /* a hole after it */
	fd = open(DIR_X "/f", O_RDONLY);
	ASSERT_TRUE(t, fd >= 0);
	EXPECT_EQ(t, pread(fd, back, 6, 5000), 6);
	EXPECT_TRUE(t, !memcmp(back, "MIDEND", 6));
	EXPECT_EQ(t, pread(fd, back, 4096, 200000), 4096);
	int zeros = 1;
	for (int i = 0; i < 4096; i++)
		zeros &= back[i] == 0;
	EXPECT_TRUE(t, zeros);
	EXPECT_EQ(t, lseek(fd, 0, SEEK_END), 300000);
	EXPECT_EQ(t, close(fd), 0);
	EXPECT_EQ(t, open(DIR_X "/f", O_WRONLY | O_CREAT | O_EXCL, 0644), -1);
	EXPECT_EQ(t, errno, EEXIST);
	EXPECT_EQ(t, unlink(DIR_X "/f"), 0);
	EXPECT_EQ(t, stat(DIR_X "/f", &st), -1);
	EXPECT_EQ(t, errno, ENOENT);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	int r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

static void names(struct utest *t)
{
	char buf[32] = { 0 };
	struct stat st;
	if (!have_sda(t))
		return;
	EXPECT_EQ(t, mkdir(DIR_X "/d", 0755), 0);
	EXPECT_EQ(t, mkdir(DIR_X "/d", 0755), -1);
	EXPECT_EQ(t, errno, EEXIST);
	EXPECT_EQ(t, write_file(DIR_X "/d/one", "one\n"), 0);
	EXPECT_EQ(t, write_file(DIR_X "/d/two", "two\n"), 0);
	EXPECT_EQ(t, rename(DIR_X "/d/one", DIR_X "/d/two"), 0);        /* over an existing file */
	int fd = open(DIR_X "/d/two", O_RDONLY);
	EXPECT_EQ(t, read(fd, buf, sizeof(buf)), 4);
	EXPECT_TRUE(t, !memcmp(buf, "one\n", 4));
	close(fd);
	EXPECT_EQ(t, stat(DIR_X "/d/one", &st), -1);
	EXPECT_EQ(t, symlink("two", DIR_X "/d/link"), 0);
	EXPECT_EQ(t, readlink(DIR_X "/d/link", buf, sizeof(buf)), 3);
	EXPECT_TRUE(t, !memcmp(buf, "two", 3));
	EXPECT_EQ(t, lstat(DIR_X "/d/link", &st), 0);
	EXPECT_TRUE(t, S_ISLNK(st.st_mode));
	EXPECT_EQ(t, stat(DIR_X "/d/link", &st), 0);
	EXPECT_TRUE(t, S_ISREG(st.st_mode) && st.st_size == 4);
	EXPECT_EQ(t, rmdir(DIR_X "/d"), -1);
	EXPECT_EQ(t, errno, ENOTEMPTY);
	EXPECT_EQ(t, rmdir(DIR_X "/d/two"), -1);
	EXPECT_EQ(t, errno, ENOTDIR);
	EXPECT_EQ(t, rename(DIR_X "/d", DIR_X "/e"), 0);                 /* a directory moves */
	EXPECT_EQ(t, chdir(DIR_X "/e"), 0);
	EXPECT_EQ(t, stat("two", &st), 0);
	DIR *d = opendir(".");
	ASSERT_TRUE(t, d != NULL);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n++;
	EXPECT_EQ(t, n, 4);                                     /* . .. two link */
	closedir(d);
	EXPECT_EQ(t, unlink("link"), 0);
	EXPECT_EQ(t, unlink("two"), 0);
	EXPECT_EQ(t, chdir(".."), 0);
	EXPECT_EQ(t, rmdir("e"), 0);
	EXPECT_EQ(t, chdir("/"), 0);
	EXPECT_EQ(t, rename(DIR_X, "/x"), -1);
	EXPECT_EQ(t, errno, EXDEV);
	/* The longest name ext2 has (255 bytes), by its absolute path: the
	 * library's paths must hold a mount point and one such name. */
	static char longest[sizeof(DIR_X) + 256 + 8];
	int at = snprintf(longest, sizeof(longest), "%s/", DIR_X);
	memset(longest + at, 'n', 255);
	longest[at + 255] = '\0';
	EXPECT_EQ(t, write_file(longest, "long\n"), 0);
	EXPECT_EQ(t, stat(longest, &st), 0);
	EXPECT_EQ(t, st.st_size, 5);
	longest[at + 255] = 'n';
	longest[at + 256] = '\0';
	EXPECT_EQ(t, stat(longest, &st), -1);                   /* 256: the server refuses */
	EXPECT_EQ(t, errno, ENAMETOOLONG);
	longest[at + 255] = '\0';
	EXPECT_EQ(t, unlink(longest), 0);
}

static void statfs_sync(struct utest *t)
{
	struct statfs a, b;
	if (!have_sda(t))
		return;
	EXPECT_EQ(t, statfs("/mnt/sda/x/../files", &a), 0);
	EXPECT_TRUE(t, a.f_bsize == 1024 && a.f_blocks == 16384 && a.f_bfree > 0 && a.f_namemax == 255);
	int fd = open("/mnt/sda/big", O_RDONLY);
	ASSERT_TRUE(t, fd >= 0);
	EXPECT_EQ(t, fstatfs(fd, &b), 0);
	EXPECT_EQ(t, b.f_blocks, a.f_blocks);
	EXPECT_TRUE(t, !strcmp(b.f_type, "ext2"));
	close(fd);
	sync();
	EXPECT_EQ(t, rmdir(DIR_X), 0);
}

const struct ucase ufd_ext2_cases[] = {
	{ "files", files },
	{ "names", names },
	{ "statfs_sync", statfs_sync },
	{ NULL, NULL },
};
