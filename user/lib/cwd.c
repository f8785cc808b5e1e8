/*
 * The current directory: a canonical absolute path the library keeps
 * (the kernel knows no directories), checked to be a directory by chdir,
 * passed to a new program in PWD (exec_fs.c), and the base of every
 * relative path on its way to the mount table.
 */
#include <errno.h>
#include <limits.h>
#include <pagoda_fd.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fd.h"
#include "path.h"

static char cwd[PATH_MAX] = "/";

void cwd_init(const char *pwd)
{
	char canon[PATH_MAX];
	if (pwd[0] == '/' && !path_canon("/", pwd, canon, sizeof(canon)))
		strcpy(cwd, canon);
}

int cwd_env(char *buf, size_t size)
{
	int n = snprintf(buf, size, "PWD=%s", cwd);
	if (n >= (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return n;
}

int path_mount(const char *path, char *out, size_t size, char *rest, size_t rsize, size_t *mlen)
{
	int r = path_canon(cwd, path, out, size);
	if (r) {
		errno = -r;
		return -1;
	}
	int h = mount_open(out, rest, rsize);
	if (h < 0)
		return -1;
	if (mlen) {
		/* out is the mount point, then "/" and rest (or just it). */
		size_t n = strlen(out), rl = strlen(rest);
		*mlen = rl ? n - rl - 1 : n;
		if (*mlen == 0)
			*mlen = 1;                      /* "/" */
	}
	return h;
}

int fs_path_call(const char *path, struct fs_msg *m)
{
	char canon[PATH_MAX], rest[PATH_MAX];
	int h = path_mount(path, canon, sizeof(canon), rest, sizeof(rest), NULL);
	if (h < 0)
		return -1;
	if (!m->send || m->send == path) {
		m->send = rest;
		m->send_len = strlen(rest) + 1;
	}
	int r = fs_call(h, m);
	int saved = errno;
	handle_close(h);
	errno = saved;
	return r;
}

int chdir(const char *path)
{
	char canon[PATH_MAX];
	struct stat st;
	int r = path_canon(cwd, path, canon, sizeof(canon));
	if (r) {
		errno = -r;
		return -1;
	}
	/* "/" is the namespace's root, there before anything is mounted on it. */
	if (strcmp(canon, "/") && stat(canon, &st) < 0)
		return -1;
	if (strcmp(canon, "/") && !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	strcpy(cwd, canon);
	return 0;
}

char *getcwd(char *buf, size_t size)
{
	if (strlen(cwd) + 1 > size) {
		errno = ERANGE;
		return NULL;
	}
	return strcpy(buf, cwd);
}

int fs_path_mount(const char *path, char *canon, size_t csize, char *rest, size_t rsize)
{
	return path_mount(path, canon, csize, rest, rsize, NULL);
}
