/* t_syscall: the system-call door's edges for the proc ktests: numbers
 * past the table and holes in it are -ENOSYS, bad pointers -EFAULT, and
 * the calls that cannot fail do not. Exits 0 if all hold, else the number
 * of the first check that failed. */
#include <stdio.h>
#include <sys/mman.h>
#include "../lib/syscall.h"

#define PAGE 4096L
#ifdef __x86_64__
#define TASK_SIZE 0x00007ffffffff000L
#define KERNEL_ADDR 0xffff888000000000L /* the direct map: readable and writable for the kernel */
#else
#define TASK_SIZE 0xc0000000L
#define KERNEL_ADDR 0xc0000000L         /* the direct map of physical page 0 */
#endif

static int check;

#define EXPECT(cond) do { check++; if (!(cond)) { \
	printf("t_syscall: check %d failed: %s\n", check, #cond); return check; } } while (0)

int main(void)
{
	EXPECT(syscall0(__NR_syscalls) == -ENOSYS);             /* one past the table */
	EXPECT(syscall0(__NR_syscalls + 1000) == -ENOSYS);
	EXPECT(syscall0(-1L) == -ENOSYS);                       /* huge: unsigned compare */
	EXPECT(syscall0(63) == -ENOSYS);                        /* a hole in the process range */
	EXPECT(syscall0(__NR_syscalls - 1) == -ENOSYS);        /* a number with no call */
	EXPECT(syscall0(__NR_getpid) > 0);
	EXPECT(syscall2(__NR_debug_write, 16, 4) == -EFAULT);   /* page 0 */
	EXPECT(syscall2(__NR_debug_write, -4096L, 4) == -EFAULT); /* the kernel half */
	EXPECT(syscall2(__NR_clock_gettime, 1, 0) == -EFAULT);
	EXPECT(syscall2(__NR_clock_gettime, 7, 0) == -EINVAL);
	EXPECT(syscall3(__NR_getcpu, 0, 0, 0) == 0);
	EXPECT(syscall4(__NR_wait4, -1, 0, 0, 0) == -ECHILD);
	EXPECT(syscall4(__NR_wait4, -1, 0, 0x100, 0) == -EINVAL);
	EXPECT(syscall3(__NR_execve, 0, 0, 0) == -EFAULT);
	EXPECT(syscall3(__NR_execve, "/bin/none", 0, 0) == -ENOENT);
	EXPECT(syscall3(__NR_proc_stat, 0, 0, 0) == -EFAULT);
	EXPECT(syscall2(__NR_kill, 1, 9) == -EPERM);
	EXPECT(syscall2(__NR_kill, 99999, 0) == -ESRCH);
	EXPECT(syscall2(__NR_kill, syscall0(__NR_getpid), 0) == 0);
	EXPECT(syscall2(__NR_kill, 1, 99) == -EINVAL);

	/* Pointers that only a check before the copy refuses (lab 7): the
	 * kernel could read or write there, so a copy alone would succeed,
	 * leaking or overwriting kernel memory. */
	EXPECT(syscall2(__NR_debug_write, KERNEL_ADDR, 16) == -EFAULT);
	EXPECT(syscall2(__NR_clock_gettime, 1, KERNEL_ADDR) == -EFAULT);
	EXPECT(syscall2(__NR_debug_write, TASK_SIZE - 2, 4) == -EFAULT); /* across the user/kernel border */
	EXPECT(syscall2(__NR_debug_write, -16L, 32) == -EFAULT);         /* wraps around to page 0 */
	EXPECT(syscall3(__NR_execve, KERNEL_ADDR, 0, 0) == -EFAULT);     /* a "path" in kernel memory */

	/* Partly mapped: two bytes before a hole. */
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT(p != MAP_FAILED && munmap(p + PAGE, PAGE) == 0);
	char *edge = p + PAGE - 2;
	edge[0] = edge[1] = 'x';
	EXPECT(syscall2(__NR_debug_write, edge, 4) == -EFAULT);
	EXPECT(syscall3(__NR_execve, edge, 0, 0) == -EFAULT);          /* no NUL before the hole */
	EXPECT(syscall2(__NR_clock_gettime, 1, edge) == -EFAULT);      /* (its first two bytes are written) */
	munmap(p, PAGE);

	printf("t_syscall: %d checks passed\n", check);
	return 0;
}
