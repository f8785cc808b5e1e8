/* Process calls and the few file-descriptor calls the library emulates.
 * There is no read/write system call: write() to fd 1 or 2 and read() from
 * fd 0 are messages to the console server when the process has a
 * "console" handle, else the kernel console's debug_write and debug_read
 * (user/lib/console.c). Other fds: EBADF. */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <stddef.h>

typedef long ssize_t;
typedef int pid_t;

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

__attribute__((noreturn)) void _exit(int code);
pid_t getpid(void);
pid_t getppid(void);
pid_t fork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
ssize_t write(int fd, const void *buf, size_t len);
/* At least one byte (it waits for input), at most len, raw as typed. */
ssize_t read(int fd, void *buf, size_t len);
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
