/* The system calls of names and files (<pagoda/unistd.h> 20, 21, 82,
 * 160-163): execve_memobj, reboot, pipe, and the mount table. */
#include "syscall.h"
#include <pagoda_ipc.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>
#include "fd.h"

int execve_memobj(int mo, unsigned long size, char *const argv[], char *const envp[])
{
	return (int)__syscall_ret(syscall4(__NR_execve_memobj, mo, size, argv, envp));
}

int mount(const char *path, int ep, const char *source, const char *fstype, unsigned long flags)
{
	return (int)__syscall_ret(syscall6(__NR_mount, (long)path, ep, (long)source, (long)fstype,
					   (long)flags, 0));
}

int umount(const char *path) { return (int)__syscall_ret(syscall1(__NR_umount, path)); }

int mount_open(const char *path, char *rest, size_t size)
{
	return (int)__syscall_ret(syscall3(__NR_mount_open, path, rest, size));
}

int mount_list(unsigned int index, struct mount_info *mi)
{
	return (int)__syscall_ret(syscall2(__NR_mount_list, index, mi));
}

/* Two handles from the kernel, two fds for them. */
int pipe(int fds[2])
{
	int h[2];
	if (__syscall_ret(syscall1(__NR_pipe, h)) < 0)
		return -1;
	fds[0] = fd_install(h[0], FD_PIPE, 0);
	fds[1] = fds[0] < 0 ? -1 : fd_install(h[1], FD_PIPE, 0);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		else
			handle_close(h[0]);
		handle_close(h[1]);
		return -1;
	}
	return 0;
}

int reboot(unsigned int cmd)
{
	return (int)__syscall_ret(syscall4(__NR_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2, cmd, 0));
}
