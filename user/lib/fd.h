/*
 * The fd table's private side (user/lib/fd.c, fds.c, exec_fs.c): an fd
 * is a kind and, for a file or a pipe, a handle speaking the file
 * protocol. fds.c (its encoding in the environment across execve) is
 * pure, so the host tests compile it (tests/host/test_ufd.c).
 */
#ifndef USER_LIB_FD_H
#define USER_LIB_FD_H

#include <stddef.h>

#define FD_MAX 64                       /* OPEN_MAX: open() gives EMFILE past it */

enum fd_kind {
	FD_FREE = 0,
	FD_CONSOLE,                     /* the console (console.c): fds 0-2 at first */
	FD_FILE,                        /* an open file's handle (FS_OPEN's) */
	FD_PIPE,                        /* a kernel pipe's end */
};

struct fd_entry {
	unsigned char kind;             /* enum fd_kind */
	unsigned char cloexec;          /* O_CLOEXEC: closed by execve */
	int handle;                     /* FD_FILE, FD_PIPE: the handle (>= 1) */
};

/* The environment variable that carries the table across execve:
 * "FDS=0:c,1:f1027,4:p1030e" - entries fd:kind[handle][e], kind c
 * (console), f (file) or p (pipe), a handle for f and p, 'e' when the fd
 * is O_CLOEXEC (the new program closes its handle: the exec succeeded).
 * An fd not listed is free. */
#define FDS_ENV "FDS"

/* Write "FDS=..." for the n entries of t into buf. Its length, or -1
 * (ENAMETOOLONG: it does not fit). */
int fds_format(char *buf, size_t size, const struct fd_entry *t, int n);
/* Parse the value (without "FDS=") into t[0..n): every slot is cleared
 * first. 0, or -1 (EINVAL) on anything malformed (then t is all free):
 * an fd out of range or twice, an unknown kind, a missing handle. */
int fds_parse(const char *s, struct fd_entry *t, int n);

/* fd.c: the table, with 0-2 the console until __fd_init says otherwise. */
struct fd_entry *fd_get(int fd);        /* NULL with EBADF */
/* Called by __libc_start_main with the environment: FDS (closing the
 * O_CLOEXEC handles) and PWD. */
void __fd_init(char **envp);
/* The table as it must go to a new program: "FDS=..." into buf. */
int fd_table_env(char *buf, size_t size);

/* A new fd (the lowest free) holding handle; -1 with EMFILE. */
int fd_install(int handle, int kind, int cloexec);
struct fs_msg;
struct stat;
/* Send m (FS_FSTAT to h, or FS_STAT for the path in m->send if h is 0)
 * and turn the reply's struct fs_stat into st. */
int fs_stat_reply(struct fs_msg *m, int h, struct stat *st);
/* FS_UTIMES on a file fd. */
int fd_utimes(int fd, unsigned long atime, unsigned long mtime);

/* console.c */
long console_write(const void *buf, size_t len);
long console_read(void *buf, size_t len);

/* cwd.c: "PWD=<cwd>". */
int cwd_env(char *buf, size_t size);
void cwd_init(const char *pwd);

#endif
