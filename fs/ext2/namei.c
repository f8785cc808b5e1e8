/*
 * namei.c - a path to an inode, one component at a time. "." stays,
 * ".." is the directory's own ".." entry (the root's is itself). A
 * symlink met on the way is spliced into the path: its target, then the
 * rest, in the other of fs->path's two buffers; at most EXT2_MAX_SYMLINKS
 * follows per walk, so a link cycle ends in -ELOOP. No recursion: the
 * stack never grows with the path.
 */
#include "internal.h"

/* dest holds a link's target (tlen bytes): append the path's rest, empty
 * or starting with its slash. */
static int append_rest(char *dest, size_t tlen, const char *rest)
{
	size_t rlen = strlen(rest);
	if (tlen + rlen + 1 > EXT2_PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(dest + tlen, rest, rlen + 1);
	return 0;
}

int ext2_namei(struct ext2_fs *fs, uint32_t start, const char *path, int flags, uint32_t *ino)
{
	size_t plen = strlen(path);
	if (plen >= EXT2_PATH_MAX)
		return -ENAMETOOLONG;
	if (!plen)
		return -ENOENT;
	int cur = 0, links = 0;
	memcpy(fs->path[cur], path, plen + 1);
	const char *p = fs->path[cur];
	uint32_t dir_ino = *p == '/' ? EXT2_ROOT_INO : start;
	struct ext2_inode_info dir, child;
	for (;;) {
		int ret = ext2_iget(fs, dir_ino, &dir);
		if (ret)
			return ret;
		while (*p == '/')
			p++;
		if (!*p) {	/* the end, or a trailing slash: must be a directory */
			if (!ext2_is_dir(&dir))
				return -ENOTDIR;
			*ino = dir_ino;
			return 0;
		}
		if (!ext2_is_dir(&dir))
			return -ENOTDIR;
		const char *name = p;
		while (*p && *p != '/')
			p++;
		size_t len = (size_t)(p - name);
		if (len > EXT2_NAME_LEN)
			return -ENAMETOOLONG;
		if (len == 1 && name[0] == '.')
			continue;
		uint32_t child_ino;
		ret = ext2_lookup(fs, &dir, name, len, &child_ino);
		if (ret)
			return ret;
		ret = ext2_iget(fs, child_ino, &child);
		if (ret)
			return ret;
		int last = !*p;	/* no slash after: the final component */
		if (ext2_is_lnk(&child) && (!last || (flags & EXT2_LOOKUP_FOLLOW))) {
			if (++links > EXT2_MAX_SYMLINKS)
				return -ELOOP;
			char *other = fs->path[!cur];
			long n = ext2_readlink(fs, &child, other, EXT2_PATH_MAX);
			if (n < 0)
				return n;
			if (!n)
				return -ENOENT;
			ret = append_rest(other, (size_t)n, p);
			if (ret)
				return ret;
			cur = !cur;
			p = fs->path[cur];
			if (*p == '/')
				dir_ino = EXT2_ROOT_INO;
			/* else relative to the directory holding the link: dir_ino stays */
			continue;
		}
		if (last) {
			*ino = child_ino;
			return 0;
		}
		dir_ino = child_ino;
	}
}
