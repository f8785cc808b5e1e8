/*
 * newc cpio: each entry is a 110-byte ASCII header ("070701" and thirteen
 * 8-digit hex fields), the name (namesize bytes, its NUL included), padding
 * to a multiple of 4 from the archive start, the data (filesize bytes) and
 * padding again. "TRAILER!!!" ends the archive; what follows (cpio pads to
 * 512-byte blocks) is not read. The archive is untrusted input: every
 * length is checked against what is left before it is used.
 */
#include <pagoda/cpio.h>
#include <pagoda/errno.h>
#include <pagoda/string.h>

#define CPIO_HDR_LEN 110
#define CPIO_TRAILER "TRAILER!!!"

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR,
       F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, NR_FIELDS };

void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t size)
{
	*it = (struct cpio_iter){ .base = archive, .size = archive ? size : 0 };
}

static int bad(struct cpio_iter *it, const char *why)
{
	it->why = why;
	return -EINVAL;
}

/* Eight hex digits, exactly: no sign, no spaces, no prefix. */
static bool parse_hex8(const u8 *s, u32 *out)
{
	u32 v = 0;
	for (int i = 0; i < 8; i++) {
		u8 c = s[i];
		u32 d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* off rounded up to 4, or 0 on overflow past the archive (callers check). */
static size_t align4(size_t off)
{
	return (off + 3) & ~(size_t)3;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e)
{
	if (it->why)
		return -EINVAL;
	if (it->done)
		return 0;
	size_t left = it->size - it->pos;
	if (left < CPIO_HDR_LEN)
		return bad(it, it->pos == 0 && left == 0 ? "empty archive" : "archive ends without TRAILER!!!");
	const u8 *h = it->base + it->pos;
	if (memcmp(h, "070701", 6))
		return bad(it, "bad magic (not a newc archive: want 070701)");

	u32 f[NR_FIELDS];
	for (int i = 0; i < NR_FIELDS; i++)
		if (!parse_hex8(h + 6 + 8 * i, &f[i]))
			return bad(it, "header field is not 8 hex digits");
	if (f[F_CHECK] != 0)
		return bad(it, "check field must be 0 in a 070701 archive");
	u32 namesize = f[F_NAMESIZE];
	if (namesize < 2)
		return bad(it, "empty name");
	if (namesize > left - CPIO_HDR_LEN)
		return bad(it, "name runs past the end of the archive");
	const char *name = (const char *)h + CPIO_HDR_LEN;
	if (name[namesize - 1] != '\0' || strnlen(name, namesize) != namesize - 1)
		return bad(it, "name not NUL-terminated at namesize");

	size_t data_off = align4(it->pos + CPIO_HDR_LEN + namesize);
	if (data_off > it->size)
		return bad(it, "name padding runs past the end of the archive");
	u32 filesize = f[F_FILESIZE];
	if (filesize > it->size - data_off)
		return bad(it, "file data runs past the end of the archive");
	size_t next = data_off + filesize;
	/* The padding after the last entry may be cut off by the archive end. */
	next = align4(next) <= it->size ? align4(next) : it->size;

	if (!strcmp(name, CPIO_TRAILER)) {
		it->done = true;
		it->pos = next;
		return 0;
	}
	u32 type = f[F_MODE] & CPIO_S_IFMT;
	if (type != CPIO_S_IFREG && filesize && type != CPIO_S_IFLNK)
		return bad(it, "data in an entry that is not a file or a symlink");

	*e = (struct cpio_entry){
		.name = name, .mode = f[F_MODE], .uid = f[F_UID], .gid = f[F_GID],
		.nlink = f[F_NLINK], .mtime = f[F_MTIME], .ino = f[F_INO],
		.data = it->base + data_off, .size = filesize,
	};
	it->pos = next;
	return 1;
}

int cpio_validate(const void *archive, size_t size, const char **why)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int ret;
	cpio_iter_init(&it, archive, size);
	while ((ret = cpio_next(&it, &e)) > 0)
		;
	if (why)
		*why = it.why;
	return ret;
}

/* "/bin/init" and "./bin/init" are stored and looked up as "bin/init". */
static const char *strip_root(const char *p)
{
	for (;;) {
		if (p[0] == '/')
			p++;
		else if (p[0] == '.' && p[1] == '/')
			p += 2;
		else
			return p;
	}
}

int cpio_find(const void *archive, size_t size, const char *path, struct cpio_entry *e)
{
	struct cpio_iter it;
	int ret;
	path = strip_root(path);
	cpio_iter_init(&it, archive, size);
	while ((ret = cpio_next(&it, e)) > 0)
		if (!strcmp(strip_root(e->name), path))
			return 0;
	return ret < 0 ? ret : -ENOENT;
}
