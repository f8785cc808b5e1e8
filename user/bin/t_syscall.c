/* t_syscall: the system-call door's edges for the proc ktests: numbers
 * past the table and holes in it are -ENOSYS, bad pointers -EFAULT, and
 * the calls that cannot fail do not. Exits 0 if all hold, else the number
 * of the first check that failed. */
#include <stdio.h>
#include "../lib/syscall.h"

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
	printf("t_syscall: %d checks passed\n", check);
	return 0;
}
