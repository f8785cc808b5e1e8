/* Process calls and the file-descriptor calls. There is no read/write
 * system call: an fd is a slot of the library's table (user/lib/fd.c,
 * docs/user-space.md "Files"). fds 0-2 start as the console: messages to
 * the console server when the process has a "console" handle, else the
 * kernel console's debug_write and debug_read (user/lib/console.c). Every
 * other fd holds a handle speaking the file protocol (<pagoda/fs.h>): an
 * open file of a file server or a kernel pipe's end. The calls follow
 * POSIX and set errno as Linux's do. */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <stddef.h>
#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

__attribute__((noreturn)) void _exit(int code);
pid_t getpid(void);
pid_t getppid(void);
pid_t fork(void);
/* The program at path: the kernel's initramfs first, else read from its
 * file system (execve_memobj). The fd table and the cwd go along (FDS and
 * PWD in the environment; O_CLOEXEC fds are closed by the new program). */
int execve(const char *path, char *const argv[], char *const envp[]);
/* name with no '/': looked up in PATH (':'-separated), or /bin then the
 * cwd without one; otherwise execve. */
int execvp(const char *name, char *const argv[]);
/* execve_memobj (20): the ELF in the first size bytes of memory object mo. */
int execve_memobj(int mo, unsigned long size, char *const argv[], char *const envp[]);
ssize_t write(int fd, const void *buf, size_t len);
/* A console fd: at least one byte (it waits for input), at most len, raw
 * as typed. A file: up to len bytes, 0 at its end. */
ssize_t read(int fd, void *buf, size_t len);
ssize_t pread(int fd, void *buf, size_t len, off_t offset);
ssize_t pwrite(int fd, const void *buf, size_t len, off_t offset);
off_t lseek(int fd, off_t offset, int whence);
int close(int fd);
int dup(int fd);
int dup2(int fd, int to);
/* A kernel pipe (system call 82): fds[0] reads, fds[1] writes. */
int pipe(int fds[2]);
int ftruncate(int fd, off_t length);
int truncate(const char *path, off_t length);
int fsync(int fd);
/* FS_SYNC to every mount. */
void sync(void);
int rmdir(const char *path);
int unlink(const char *path);
/* EXDEV if old and new are on different mounts. */
int rename(const char *old, const char *new);
int symlink(const char *target, const char *path);
ssize_t readlink(const char *path, char *buf, size_t size);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int isatty(int fd);
/* The raw console write (the debug_write system call). */
ssize_t debug_write(const void *buf, size_t len);
int brk(void *addr);
void *sbrk(long increment);
/* Over nanosleep: the seconds not slept (0), 0 or -1. */
unsigned int sleep(unsigned int seconds);
int usleep(unsigned long usec);

/* The raw console read (the debug_read system call): at least one byte,
 * at most len, no editing. */
ssize_t debug_read(void *buf, size_t len);
/* A line from the console with echo and editing: backspace, ^U erases
 * the line, ^C abandons it (an empty line), ^D at the start of a line is
 * the end of input. The line has no newline and is always terminated;
 * bytes past size - 1 are dropped. Returns its length, or -1 at the end
 * of input or on an error (errno). */
int read_line(char *buf, size_t size);
/* Open the kernel monitor on the console (the monitor system call); it
 * returns when the monitor's `exit` is typed. */
int monitor(void);

extern char **environ;

#endif
