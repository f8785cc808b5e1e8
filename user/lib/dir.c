/* Directory streams: FS_READDIR fills a buffer with struct fs_dirent
 * records (<pagoda/fs.h>); readdir hands them out one at a time. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pagoda_fd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct __dir {
	int fd;
	size_t pos, len;
	struct dirent ent;
	char buf[4096];                 /* one FS_READDIR reply: IPC_BUF_MAX */
};

DIR *opendir(const char *path)
{
	DIR *d = malloc(sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0) {
		free(d);
		return NULL;
	}
	d->pos = d->len = 0;
	return d;
}

struct dirent *readdir(DIR *d)
{
	if (d->pos >= d->len) {
		int h = fd_handle(d->fd);
		struct fs_msg m = { .label = FS_READDIR, .recv = d->buf, .recv_cap = sizeof(d->buf) };
		if (h < 0 || fs_call(h, &m) < 0)
			return NULL;
		d->len = m.w[0] < m.recv_len ? m.w[0] : m.recv_len;
		d->pos = 0;
		if (!d->len)
			return NULL;
	}
	const struct fs_dirent *r = (const void *)(d->buf + d->pos);
	if (d->len - d->pos < sizeof(*r) || r->d_reclen < sizeof(*r) || r->d_reclen > d->len - d->pos ||
	    r->d_namelen > r->d_reclen - sizeof(*r) - 1) {
		errno = EIO;                    /* not what the protocol packs */
		d->pos = d->len;
		return NULL;
	}
	d->ent.d_ino = r->d_ino;
	d->ent.d_type = r->d_type;
	memcpy(d->ent.d_name, r->d_name, r->d_namelen);
	d->ent.d_name[r->d_namelen] = '\0';
	d->pos += r->d_reclen;
	return &d->ent;
}

int closedir(DIR *d)
{
	int r = close(d->fd);
	free(d);
	return r;
}

int dirfd(DIR *d)
{
	return d->fd;
}
