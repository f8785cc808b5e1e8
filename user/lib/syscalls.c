/*
 * The C side of each system call: the raw call through syscall6 (the
 * registers are the arch header's business), then errno and -1 for a result
 * in [-4095, -1]. The numbers and their contracts: <pagoda/unistd.h>.
 */
#include "syscall.h"
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/proc.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int errno;

long __syscall_ret(long r)
{
	if ((unsigned long)r > -(unsigned long)MAX_ERRNO - 1) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

void _exit(int code)
{
	for (;;)
		syscall1(__NR_exit, code);
}

void _Exit(int code)
{
	_exit(code);
}

pid_t getpid(void) { return (pid_t)__syscall_ret(syscall0(__NR_getpid)); }
pid_t getppid(void) { return (pid_t)__syscall_ret(syscall0(__NR_getppid)); }
pid_t fork(void) { return (pid_t)__syscall_ret(syscall0(__NR_fork)); }
int sched_yield(void) { return (int)__syscall_ret(syscall0(__NR_sched_yield)); }
int kill(int pid, int sig) { return (int)__syscall_ret(syscall2(__NR_kill, pid, sig)); }

/* The kernel's execve (initramfs programs); execve() is exec_fs.c's. */
int __execve_kernel(const char *path, char *const argv[], char *const envp[])
{
	return (int)__syscall_ret(syscall3(__NR_execve, path, argv, envp));
}

int wait4(int pid, int *status, int options, void *rusage)
{
	return (int)__syscall_ret(syscall4(__NR_wait4, pid, status, options, rusage));
}

int waitpid(int pid, int *status, int options) { return wait4(pid, status, options, NULL); }
int wait(int *status) { return wait4(-1, status, 0, NULL); }

ssize_t debug_write(const void *buf, size_t len)
{
	return __syscall_ret(syscall2(__NR_debug_write, buf, len));
}

int clock_gettime(clockid_t clock, struct timespec *tp)
{
	return (int)__syscall_ret(syscall2(__NR_clock_gettime, clock, tp));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)__syscall_ret(syscall2(__NR_nanosleep, req, rem));
}

unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { .tv_sec = seconds };
	return nanosleep(&ts, NULL) ? seconds : 0;
}

void *__mmap_file(void *addr, size_t len, int prot, int flags, int fd, long offset);

void *mmap(void *addr, size_t len, int prot, int flags, int fd, long offset)
{
	if (!(flags & MAP_ANONYMOUS) && fd >= 0)
		return __mmap_file(addr, len, prot, flags, fd, offset);        /* mmap_file.c */
	long r = syscall6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, offset);
	return (void *)__syscall_ret(r);
}

int munmap(void *addr, size_t len) { return (int)__syscall_ret(syscall2(__NR_munmap, addr, len)); }

int mprotect(void *addr, size_t len, int prot)
{
	return (int)__syscall_ret(syscall3(__NR_mprotect, addr, len, prot));
}

int usleep(unsigned long usec)
{
	struct timespec ts = { .tv_sec = usec / 1000000, .tv_nsec = usec % 1000000 * 1000 };
	return nanosleep(&ts, NULL);
}

ssize_t debug_read(void *buf, size_t len)
{
	return __syscall_ret(syscall2(__NR_debug_read, buf, len));
}

int proc_stat(int pid, struct proc_stat *st, int flags)
{
	return (int)__syscall_ret(syscall3(__NR_proc_stat, pid, st, flags));
}

int monitor(void) { return (int)__syscall_ret(syscall0(__NR_monitor)); }

int getcpu(unsigned int *cpu, unsigned int *node)
{
	return (int)__syscall_ret(syscall3(__NR_getcpu, cpu, node, NULL));
}

int sysinfo(struct sysinfo *info) { return (int)__syscall_ret(syscall1(__NR_sysinfo, info)); }
