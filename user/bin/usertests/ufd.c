/*
 * usertests, suite ufd: the library's fd layer (user/lib/fd.c) as a
 * client of the file protocol, against the fake server of fakefs.c
 * reached through fs_open_at (no mount table needed): open, read, write,
 * lseek, pread/pwrite, the memobj form of large I/O (also in a forked
 * child, which must make its own buffer), dup and dup2 and fork sharing
 * one offset, printf through a redirected stdout, O_CLOEXEC across
 * execve, EBADF and EMFILE; and kernel pipes once the kernel has them.
 */
#include "utest.h"
#include "fakefs.h"
#include <pagoda_fd.h>
#include <dirent.h>
#include <sys/mount.h>

#define BIG (100 * 1024)        /* past IPC_BUF_MAX: the memobj form */

static struct fakefs fs;

static int start(struct utest *t)
{
	if (fakefs_start(&fs, NULL, 0) < 0) {
		EXPECT_TRUE(t, 0);
		return -1;
	}
	return 0;
}

static void read_write_lseek(struct utest *t)
{
	char buf[32] = { 0 };
	if (start(t))
		return;
	int fd = fs_open_at(fs.ep, "hello", O_RDWR, 0);
	ASSERT_TRUE(t, fd >= 3);
	EXPECT_EQ(t, read(fd, buf, 5), 5);
	EXPECT_TRUE(t, !memcmp(buf, "hello", 5));
	EXPECT_EQ(t, read(fd, buf, sizeof(buf)), 7);            /* " world\n", then the end */
	EXPECT_EQ(t, read(fd, buf, sizeof(buf)), 0);
	EXPECT_EQ(t, lseek(fd, 6, SEEK_SET), 6);
	EXPECT_EQ(t, write(fd, "there", 5), 5);
	EXPECT_EQ(t, lseek(fd, 0, SEEK_CUR), 11);
	EXPECT_EQ(t, lseek(fd, 0, SEEK_END), 12);
	EXPECT_EQ(t, pread(fd, buf, 11, 0), 11);
	EXPECT_TRUE(t, !memcmp(buf, "hello there", 11));
	EXPECT_EQ(t, pwrite(fd, "J", 1, 0), 1);
	EXPECT_EQ(t, lseek(fd, 0, SEEK_CUR), 12);               /* pread/pwrite leave the offset */
	struct stat st;
	EXPECT_EQ(t, fstat(fd, &st), 0);
	EXPECT_EQ(t, st.st_size, 12);
	EXPECT_TRUE(t, S_ISREG(st.st_mode));
	EXPECT_EQ(t, ftruncate(fd, 4), 0);
	EXPECT_EQ(t, pread(fd, buf, sizeof(buf), 0), 4);
	EXPECT_TRUE(t, !memcmp(buf, "Jell", 4));
	int ro = fs_open_at(fs.ep, "hello", O_RDONLY, 0);
	ASSERT_TRUE(t, ro > fd);
	EXPECT_EQ(t, write(ro, "x", 1), -1);
	EXPECT_EQ(t, errno, EBADF);                             /* the server's answer */
	EXPECT_EQ(t, fs_open_at(fs.ep, "nosuch", O_RDONLY, 0), -1);
	EXPECT_EQ(t, errno, ENOENT);
	EXPECT_EQ(t, close(ro), 0);
	EXPECT_EQ(t, close(fd), 0);
	fakefs_stop(&fs);
}

static void fill(char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (char)(i * 7 + seed + (i >> 10));
}

/* Write and read back size bytes of file name in one call each, from
 * buffers at skew bytes past a page boundary. */
static int round_trip(const char *name, unsigned int seed, size_t size, size_t skew)
{
	static char out[BIG + 4096] __attribute__((aligned(4096))), in[BIG + 4096] __attribute__((aligned(4096)));
	int fd = fs_open_at(fs.ep, name, O_RDWR | O_TRUNC, 0);
	if (fd < 0)
		return 1;
	fill(out + skew, size, seed);
	int bad = write(fd, out + skew, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0;
	memset(in, 0, sizeof(in));
	bad |= read(fd, in + skew, size) != (ssize_t)size;     /* whole: a file's read is */
	close(fd);
	return bad || memcmp(in + skew, out + skew, size) ? 2 : 0;
}

#define ROUNDS 8
#define MID (48 * 1024)                 /* past IPC_BUF_MAX, under the zero-copy size: the I/O buffer */

static void child_mid(void)
{
	int bad = 0;
	for (int i = 0; i < ROUNDS; i++)
		bad |= round_trip("big2", 100 + (unsigned int)i, MID, 0);
	_exit(bad);
}

static void large_io_memobj(struct utest *t)
{
	unsigned long reqs, closes;
	if (start(t))
		return;
	/* A page-aligned 100 KiB buffer is lent as it is: one request each way. */
	EXPECT_EQ(t, round_trip("big", 1, BIG, 0), 0);
	ASSERT_TRUE(t, fakefs_stats(&fs, &reqs, &closes) == 0);
	EXPECT_EQ(t, reqs, 2);
	EXPECT_EQ(t, fakefs_last_lent(&fs), BIG);      /* the caller's pages, not the 128 KiB buffer */
	/* One byte off: the head to the page boundary and the last byte go in
	 * messages' buffers, the whole pages between are lent: one memory
	 * object request each way still. */
	EXPECT_EQ(t, round_trip("big", 2, BIG, 1), 0);
	ASSERT_TRUE(t, fakefs_stats(&fs, &reqs, &closes) == 0);
	EXPECT_EQ(t, reqs, 2 + 2);
	EXPECT_EQ(t, fakefs_last_lent(&fs), BIG - 4096);       /* the whole pages between */
	/* 48 KiB goes through the I/O buffer, one request each way. A forked
	 * child has the parent's buffer mapped: if it used it, the two would
	 * write over each other's data between the copy and the server's
	 * read. Both at once, each on its own file. */
	int pid = fork(), bad = 0, status = -1;
	if (pid == 0)
		child_mid();
	for (int i = 0; i < ROUNDS; i++)
		bad |= round_trip("big", 10 + (unsigned int)i, MID, 0);
	EXPECT_EQ(t, bad, 0);
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
	ASSERT_TRUE(t, fakefs_stats(&fs, &reqs, &closes) == 0);
	EXPECT_EQ(t, reqs, 2 + 2 + 4 * ROUNDS);
	fakefs_stop(&fs);
}

static int shared_fd;

static void child_reads_four(void)
{
	char buf[4];
	_exit(read(shared_fd, buf, 4) == 4 && !memcmp(buf, "hell", 4) ? 0 : 1);
}

static void dup_and_fork_share_offset(struct utest *t)
{
	char buf[8] = { 0 };
	if (start(t))
		return;
	int fd = fs_open_at(fs.ep, "hello", O_RDONLY, 0);
	ASSERT_TRUE(t, fd >= 0);
	shared_fd = fd;
	int status = in_child(child_reads_four);
	EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(t, read(fd, buf, 2), 2);                      /* after the child's four */
	EXPECT_TRUE(t, !memcmp(buf, "o ", 2));
	int d = dup(fd);
	EXPECT_TRUE(t, d > fd);
	EXPECT_EQ(t, read(d, buf, 2), 2);
	EXPECT_TRUE(t, !memcmp(buf, "wo", 2));
	EXPECT_EQ(t, dup2(fd, 20), 20);
	EXPECT_EQ(t, read(20, buf, 2), 2);
	EXPECT_TRUE(t, !memcmp(buf, "rl", 2));
	EXPECT_EQ(t, close(fd), 0);                             /* the copies stay open */
	EXPECT_EQ(t, read(d, buf, 2), 2);
	EXPECT_TRUE(t, !memcmp(buf, "d\n", 2));
	EXPECT_EQ(t, dup2(d, d), d);
	EXPECT_EQ(t, close(d), 0);
	EXPECT_EQ(t, close(20), 0);
	fakefs_stop(&fs);
}

/* printf goes through write(1): with stdout on a file, into the file. */
static void redirected_stdout(struct utest *t)
{
	char buf[64] = { 0 };
	if (start(t))
		return;
	int fd = fs_open_at(fs.ep, "big", O_RDWR | O_TRUNC, 0);
	ASSERT_TRUE(t, fd >= 0);
	int saved = dup(STDOUT_FILENO);
	ASSERT_TRUE(t, saved >= 0);
	EXPECT_EQ(t, dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	printf("into the file %d\n", 42);
	puts("and puts");
	EXPECT_EQ(t, dup2(saved, STDOUT_FILENO), STDOUT_FILENO);
	EXPECT_EQ(t, close(saved), 0);
	EXPECT_EQ(t, pread(fd, buf, sizeof(buf) - 1, 0), 26);
	EXPECT_TRUE(t, !strcmp(buf, "into the file 42\nand puts\n"));
	EXPECT_EQ(t, isatty(STDOUT_FILENO), 1);
	EXPECT_EQ(t, isatty(fd), 0);
	close(fd);
	fakefs_stop(&fs);
}

/* usertests --fds-check CLOSED_FD CLOSED_HANDLE OPEN_FD: what a program
 * exec'd with one O_CLOEXEC fd and one plain fd must see. */
int ufd_fds_check(int argc, char **argv)
{
	char buf[5];
	struct handle_info info;
	int bad = 0;
	if (argc != 5)
		return 100;
	errno = 0;
	bad |= (read(atoi(argv[2]), buf, 1) != -1 || errno != EBADF) << 0;     /* no such fd */
	bad |= (handle_info(atoi(argv[3]), &info) != -1) << 1;                  /* its handle closed */
	bad |= (read(atoi(argv[4]), buf, 5) != 5 || memcmp(buf, "hello", 5)) << 2;
	return bad;
}

static void cloexec_across_exec(struct utest *t)
{
	if (start(t))
		return;
	int gone = fs_open_at(fs.ep, "hello", O_RDONLY | O_CLOEXEC, 0);
	int kept = fs_open_at(fs.ep, "hello", O_RDONLY, 0);
	ASSERT_TRUE(t, gone >= 0 && kept >= 0);
	char a[12], b[12], c[12];
	snprintf(a, sizeof(a), "%d", gone);
	snprintf(b, sizeof(b), "%d", fd_handle(gone));
	snprintf(c, sizeof(c), "%d", kept);
	char *argv[] = { "usertests", "--fds-check", a, b, c, NULL };
	int pid = fork(), status = -1;
	if (pid == 0) {
		execve("/bin/usertests", argv, environ);
		_exit(127);
	}
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status));
	EXPECT_EQ(t, WEXITSTATUS(status), 0);
	/* The parent's fds are untouched by its child's exec. */
	char buf[5];
	EXPECT_EQ(t, pread(gone, buf, 5, 0), 5);
	close(gone);
	close(kept);
	fakefs_stop(&fs);
}

static void ebadf_emfile(struct utest *t)
{
	char c;
	struct stat st;
	EXPECT_EQ(t, read(-1, &c, 1), -1);
	EXPECT_EQ(t, errno, EBADF);
	EXPECT_EQ(t, write(40, &c, 1), -1);
	EXPECT_EQ(t, errno, EBADF);
	EXPECT_EQ(t, close(40), -1);
	EXPECT_EQ(t, errno, EBADF);
	EXPECT_EQ(t, dup2(40, 41), -1);
	EXPECT_EQ(t, errno, EBADF);
	EXPECT_EQ(t, dup2(1, 1000), -1);
	EXPECT_EQ(t, errno, EBADF);
	EXPECT_EQ(t, fstat(1000, &st), -1);
	EXPECT_EQ(t, errno, EBADF);
	EXPECT_EQ(t, lseek(1, 0, SEEK_SET), -1);
	EXPECT_EQ(t, errno, ESPIPE);                            /* the console */
	EXPECT_EQ(t, fstat(1, &st), 0);
	EXPECT_TRUE(t, S_ISCHR(st.st_mode));
	if (start(t))
		return;
	/* The fd table's limit: console copies take no handle. */
	int fds[80], n = 0;
	while (n < 80 && (fds[n] = dup(0)) >= 0)
		n++;
	EXPECT_EQ(t, n, 64 - 3);                                /* FD_MAX, less fds 0-2 */
	EXPECT_EQ(t, errno, EMFILE);
	EXPECT_EQ(t, fs_open_at(fs.ep, "hello", O_RDONLY, 0), -1);
	EXPECT_EQ(t, errno, EMFILE);
	for (int i = 0; i < n; i++)
		EXPECT_EQ(t, close(fds[i]), 0);
	EXPECT_EQ(t, close(fds[0]), -1);
	EXPECT_EQ(t, errno, EBADF);
	/* Files: the fd table's limit or the handle table's (HANDLE_MAX; a
	 * reply's handle the kernel could not attach), whichever comes first:
	 * EMFILE either way. */
	n = 0;
	while (n < 80 && (fds[n] = fs_open_at(fs.ep, "hello", O_RDONLY, 0)) >= 0)
		n++;
	EXPECT_TRUE(t, n > 8 && n <= 64 - 3);
	EXPECT_EQ(t, errno, EMFILE);
	for (int i = 0; i < n; i++)
		EXPECT_EQ(t, close(fds[i]), 0);
	int fd = fs_open_at(fs.ep, "hello", O_RDONLY, 0);       /* room again */
	EXPECT_TRUE(t, fd >= 0);
	close(fd);
	fakefs_stop(&fs);
}

/* When the last handle of an open file goes (closed here, dup'ed copies
 * closed, a forked holder's exit), the server hears of it once. */
static void no_senders_frees(struct utest *t)
{
	unsigned long reqs, closes0, closes;
	if (start(t))
		return;
	ASSERT_TRUE(t, fakefs_stats(&fs, &reqs, &closes0) == 0);
	int fd = fs_open_at(fs.ep, "hello", O_RDONLY, 0);
	ASSERT_TRUE(t, fd >= 0);
	int d = dup(fd);
	shared_fd = fd;
	int status = in_child(child_reads_four);                /* holds it, then exits */
	EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(t, close(fd), 0);
	ASSERT_TRUE(t, fakefs_stats(&fs, &reqs, &closes) == 0);
	EXPECT_EQ(t, closes, closes0);                          /* d still holds it */
	EXPECT_EQ(t, close(d), 0);
	ASSERT_TRUE(t, fakefs_stats(&fs, &reqs, &closes) == 0);
	EXPECT_EQ(t, closes, closes0 + 1);
	fakefs_stop(&fs);
}

/* usertests --cwd-check DIR: the cwd a program exec'd after chdir sees. */
int ufd_cwd_check(int argc, char **argv)
{
	char cwd[PATH_MAX];
	return argc == 3 && getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, argv[2]) ? 0 : 1;
}

/* The fake server in the mount table: paths (canonicalized on the way),
 * O_EXCL and O_DIRECTORY, a directory stream, the cwd (and across
 * execve), EXDEV, and a program run from it. */
static void mounted_paths(struct utest *t)
{
	static unsigned char prog[3 * PAGE];
	char buf[16], cwd[PATH_MAX];
	struct stat st;
	memset(prog, 0, sizeof(prog));
	make_tiny(prog, 42);
	if (fakefs_start(&fs, prog, TINY_ELF_SIZE) < 0) {
		EXPECT_TRUE(t, 0);
		return;
	}
	ASSERT_TRUE(t, mount("/ufd", fs.ep, "fake", "fakefs", 0) == 0);
	EXPECT_EQ(t, mount("/ufd2", fs.ep, "fake", "fakefs", 0), 0);
	int fd = open("/ufd/hello", O_RDONLY);
	EXPECT_TRUE(t, fd >= 0);
	EXPECT_EQ(t, read(fd, buf, 5), 5);
	EXPECT_TRUE(t, !memcmp(buf, "hello", 5));
	close(fd);
	EXPECT_EQ(t, stat("//ufd/./nothing/../hello", &st), 0);
	EXPECT_EQ(t, st.st_size, 12);
	EXPECT_EQ(t, open("/ufd/none", O_RDONLY), -1);
	EXPECT_EQ(t, errno, ENOENT);
	EXPECT_EQ(t, open("/ufd/hello", O_WRONLY | O_CREAT | O_EXCL, 0644), -1);
	EXPECT_EQ(t, errno, EEXIST);
	EXPECT_EQ(t, open("/ufd/hello", O_RDONLY | O_DIRECTORY), -1);
	EXPECT_EQ(t, errno, ENOTDIR);
	EXPECT_TRUE(t, opendir("/ufd/hello") == NULL && errno == ENOTDIR);
	DIR *d = opendir("/ufd/");
	ASSERT_TRUE(t, d != NULL);
	int seen = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		seen |= !strcmp(e->d_name, ".") << 0 | !strcmp(e->d_name, "hello") << 1 |
			(!strcmp(e->d_name, "prog") && e->d_type == DT_REG) << 2 | !strcmp(e->d_name, "big2") << 3;
	EXPECT_EQ(t, seen, 15);
	EXPECT_TRUE(t, readdir(d) == NULL);                     /* still the end */
	EXPECT_EQ(t, closedir(d), 0);
	EXPECT_EQ(t, chdir("/ufd/hello"), -1);
	EXPECT_EQ(t, errno, ENOTDIR);
	EXPECT_EQ(t, chdir("/ufd"), 0);
	EXPECT_TRUE(t, getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/ufd"));
	fd = open("hello", O_RDONLY);                           /* relative to the cwd */
	EXPECT_TRUE(t, fd >= 0);
	close(fd);
	int pid = fork(), status = -1;
	if (pid == 0) {
		char *argv[] = { "usertests", "--cwd-check", "/ufd", NULL };
		execve("/bin/usertests", argv, environ);
		_exit(127);
	}
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
	pid = fork();
	if (pid == 0) {                                         /* not in the initramfs: from the file */
		char *argv[] = { "prog", NULL };
		execve("prog", argv, environ);
		_exit(100 + errno);
	}
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status));
	EXPECT_EQ(t, WEXITSTATUS(status), 42);
	/* Back to "/", which needs a mount there: ours, if there is none yet. */
	int root = mount("/", fs.ep, "fake", "fakefs", 0) == 0;
	EXPECT_EQ(t, chdir("/"), 0);
	EXPECT_TRUE(t, getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/"));
	if (root)
		EXPECT_EQ(t, umount("/"), 0);
	EXPECT_EQ(t, rename("/ufd/hello", "/ufd2/hello"), -1);
	EXPECT_EQ(t, errno, EXDEV);
	EXPECT_EQ(t, umount("/ufd2"), 0);
	EXPECT_EQ(t, umount("/ufd"), 0);
	EXPECT_EQ(t, open("/ufd/hello", O_RDONLY), -1);
	EXPECT_EQ(t, errno, ENOENT);
	fakefs_stop(&fs);
}

/* usertests --exec-mo-check: run from a file system, the memory object
 * it was loaded into is closed by the library as it starts. */
int ufd_exec_mo_check(int argc, char **argv)
{
	struct handle_info info;
	const char *mo = getenv("EXEC_MO");
	if (argc != 2 || !mo)
		return 1;
	return handle_info(atoi(mo), &info) == -1 && errno == EBADF ? 0 : 2;
}

/* A real program (usertests itself, read from the initramfs at /) run
 * from the fake file system: the library loads it into a memory object,
 * and the new program lets the object's handle go. */
static void exec_from_fs(struct utest *t)
{
	static char prog[512 * 1024];
	int fd = open("/bin/usertests", O_RDONLY);
	if (fd < 0) {
		t->skip = "no /bin/usertests through the mount table (no initramfs at /)";
		return;
	}
	ssize_t n, size = 0;
	while ((n = read(fd, prog + size, sizeof(prog) - (size_t)size)) > 0)
		size += n;
	close(fd);
	ASSERT_TRUE(t, size > 0 && size < (ssize_t)sizeof(prog));
	ASSERT_TRUE(t, fakefs_start(&fs, prog, (unsigned long)size) == 0);
	ASSERT_TRUE(t, mount("/ufd", fs.ep, "fake", "fakefs", 0) == 0);
	int pid = fork(), status = -1;
	if (pid == 0) {
		char *argv[] = { "usertests", "--exec-mo-check", NULL };
		execve("/ufd/prog", argv, environ);
		_exit(100 + errno);
	}
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
	EXPECT_EQ(t, umount("/ufd"), 0);
	fakefs_stop(&fs);
}

static void pipe_data_and_eof(struct utest *t)
{
	int p[2];
	if (pipe(p) < 0 && errno == ENOSYS) {
		t->skip = "no kernel pipe (system call 82) in this kernel";
		return;
	}
	ASSERT_TRUE(t, p[0] >= 0 && p[1] >= 0);
	int pid = fork();
	if (pid == 0) {
		close(p[0]);
		_exit(write(p[1], "through the pipe", 16) == 16 ? 0 : 1);
	}
	close(p[1]);
	char buf[32];
	size_t got = 0;
	ssize_t n;
	while (got < sizeof(buf) && (n = read(p[0], buf + got, sizeof(buf) - got)) > 0)
		got += (size_t)n;
	EXPECT_EQ(t, got, 16);                                  /* then 0: the writer is gone */
	EXPECT_TRUE(t, !memcmp(buf, "through the pipe", 16));
	struct stat st;
	EXPECT_EQ(t, fstat(p[0], &st), 0);
	EXPECT_TRUE(t, S_ISFIFO(st.st_mode));
	EXPECT_EQ(t, lseek(p[0], 0, SEEK_SET), -1);
	EXPECT_EQ(t, errno, ESPIPE);
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
	close(p[0]);
}

/* A write to a pipe whose reader is gone: the writer dies of SIGPIPE,
 * as POSIX says; a reader still there reads what was written. */
static void pipe_without_reader_sigpipe(struct utest *t)
{
	int p[2];
	if (pipe(p) < 0 && errno == ENOSYS) {
		t->skip = "no kernel pipe (system call 82) in this kernel";
		return;
	}
	ASSERT_TRUE(t, p[0] >= 0 && p[1] >= 0);
	close(p[0]);                                    /* nobody will read */
	int pid = fork();
	if (pid == 0) {
		write(p[1], "lost", 4);
		_exit(0);                               /* not reached */
	}
	close(p[1]);
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFSIGNALED(status));
	EXPECT_EQ(t, WTERMSIG(status), SIGPIPE);
}

const struct ucase ufd_cases[] = {
	{ "read_write_lseek", read_write_lseek },
	{ "large_io_memobj", large_io_memobj },
	{ "dup_and_fork_share_offset", dup_and_fork_share_offset },
	{ "redirected_stdout", redirected_stdout },
	{ "cloexec_across_exec", cloexec_across_exec },
	{ "ebadf_emfile", ebadf_emfile },
	{ "no_senders_frees", no_senders_frees },
	{ "mounted_paths", mounted_paths },
	{ "exec_from_fs", exec_from_fs },
	{ "pipe_data_and_eof", pipe_data_and_eof },
	{ "pipe_without_reader_sigpipe", pipe_without_reader_sigpipe },
	{ NULL, NULL },
};
