/* Reading a directory: FS_READDIR on a handle opened O_DIRECTORY, a
 * buffer of struct fs_dirent records at a time (<pagoda/fs.h>). */
#ifndef _DIRENT_H
#define _DIRENT_H

#include <pagoda/fs.h>
#include <sys/types.h>

struct dirent {
	ino_t d_ino;
	unsigned char d_type;           /* DT_* */
	char d_name[256];
};

typedef struct __dir DIR;

/* NULL with errno (ENOTDIR, ENOENT, ...) or the stream. */
DIR *opendir(const char *path);
/* The next entry ("." and ".." included, as the server lists them), or
 * NULL at the end (errno unchanged) or on an error (errno set). The
 * entry is overwritten by the next call. */
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
int dirfd(DIR *d);

#endif
