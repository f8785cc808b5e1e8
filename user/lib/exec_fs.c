/*
 * execve as a program calls it: the fd table and the cwd go along in the
 * environment (FDS, PWD: fd.h), and a program the kernel's initramfs does
 * not have is read from its file system into a memory object and run
 * from there (execve_memobj). execvp's search.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fd.h"
#include "path.h"

int __execve_kernel(const char *path, char *const argv[], char *const envp[]);

/* envp without FDS and PWD, then ours; NULL-terminated, malloc'ed. */
static char **exec_env(char *const envp[], char *fds, size_t fsize, char *pwd, size_t psize)
{
	int n = 0;
	while (envp && envp[n])
		n++;
	char **env = malloc(sizeof(char *) * (size_t)(n + 3));
	if (!env || fd_table_env(fds, fsize) < 0 || cwd_env(pwd, psize) < 0) {
		free(env);
		errno = E2BIG;
		return NULL;
	}
	int k = 0;
	for (int i = 0; i < n; i++)
		if (strncmp(envp[i], FDS_ENV "=", sizeof(FDS_ENV)) && strncmp(envp[i], "PWD=", 4))
			env[k++] = envp[i];
	env[k++] = fds;
	env[k++] = pwd;
	env[k] = NULL;
	return env;
}

/* The whole file at path into a new memory object; its handle, *size. */
static int load(const char *path, unsigned long *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), mo = -1;
	void *va = (void *)-1;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		errno = EACCES;
		goto out;
	}
	if (st.st_size <= 0) {
		errno = ENOEXEC;
		goto out;
	}
	*size = (unsigned long)st.st_size;
	if ((mo = memobj_create(*size)) < 0 ||
	    (va = memobj_map(mo, 0, 0, PROT_READ | PROT_WRITE, 0)) == (void *)-1)
		goto fail;
	for (unsigned long done = 0; done < *size;) {
		ssize_t n = read(fd, (char *)va + done, *size - done);
		if (n <= 0) {
			if (!n)
				errno = ENOEXEC;        /* shorter than it said */
			goto fail;
		}
		done += (unsigned long)n;
	}
	goto out;
fail:
	if (mo >= 0)
		handle_close(mo);
	mo = -1;
out:
	if (va != (void *)-1)
		munmap(va, (*size + 4095) & ~4095UL);
	int saved = errno;
	close(fd);
	errno = saved;
	return mo;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	char canon[PATH_MAX], cwd[PATH_MAX], fds[FD_MAX * 16], pwd[PATH_MAX + 8];
	int r = path_canon(getcwd(cwd, sizeof(cwd)), path, canon, sizeof(canon));
	if (r) {
		errno = -r;
		return -1;
	}
	char **env = exec_env(envp, fds, sizeof(fds), pwd, sizeof(pwd));
	if (!env)
		return -1;
	__execve_kernel(canon, argv, env);
	if (errno == ENOENT) {
		unsigned long size;
		int mo = load(canon, &size);
		if (mo >= 0) {
			execve_memobj(mo, size, argv, env);
			int saved = errno;
			handle_close(mo);
			errno = saved;
		} else if (errno == ENOSYS) {
			errno = ENOENT;         /* no mount table: no such file */
		}
	}
	int saved = errno;
	free(env);
	errno = saved;
	return -1;
}

int execvp(const char *name, char *const argv[])
{
	if (strchr(name, '/'))
		return execve(name, argv, environ);
	const char *p = getenv("PATH");
	if (!p)
		p = "/bin:.";
	int err = ENOENT;
	for (;;) {
		size_t len = strcspn(p, ":");
		char path[PATH_MAX];
		if (snprintf(path, sizeof(path), "%.*s%s%s", (int)len, p, len ? "/" : "", name) <
		    (int)sizeof(path)) {
			execve(path, argv, environ);
			if (errno != ENOENT && errno != ENOTDIR)
				err = errno;    /* found but refused: say so, as sh does */
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	errno = err;
	return -1;
}
