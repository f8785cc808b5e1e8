/*
 * rename.c - an entry moved, in three steps that each leave a valid
 * directory: the new name made to point at the inode (added, or an
 * existing entry repointed), the old name removed, then the link counts
 * settled (a moved directory's ".." repointed; the parents' counts; a
 * replaced inode dropped as unlink drops it). A directory may not move
 * under itself: the new parent's ".." chain is walked up to the root
 * first, bounded, so a corrupt chain cannot loop.
 */
#include "internal.h"

#define ANCESTORS_MAX 4096	/* directory depth walked before calling it corrupt */

static int is_dot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* -EINVAL if directory dir is src or lies under it. */
static int check_not_under(struct ext2_fs *fs, uint32_t src, uint32_t dir)
{
	struct ext2_inode_info d;
	for (int n = 0; n < ANCESTORS_MAX; n++) {
		if (dir == src)
			return -EINVAL;
		if (dir == EXT2_ROOT_INO)
			return 0;
		uint32_t parent;
		int ret = ext2_iget(fs, dir, &d);
		if (!ret)
			ret = ext2_lookup(fs, &d, "..", 2, &parent);
		if (ret == -ENOENT)
			ext2_msg(fs, "directory inode %u has no \"..\" entry", dir);
		if (ret)
			return ret == -ENOENT ? -EUCLEAN : ret;
		if (parent == dir)
			return 0;
		dir = parent;
	}
	ext2_msg(fs, "directory inode %u: no root within %u \"..\" steps", dir, ANCESTORS_MAX);
	return -EUCLEAN;
}

int ext2_rename(struct ext2_fs *fs, uint32_t olddir, const char *oldname, size_t oldlen,
		uint32_t newdir, const char *newname, size_t newlen, int flags,
		uint32_t *replaced)
{
	if (replaced)
		*replaced = 0;
	int ret = ext2_check_name(oldname, oldlen);
	if (!ret)
		ret = ext2_check_name(newname, newlen);
	if (ret)
		return ret;
	if (is_dot(oldname, oldlen) || is_dot(newname, newlen))
		return -EINVAL;
	struct ext2_inode_info od, nd, src, tgt;
	struct ext2_inode_info *o = &od, *n = olddir == newdir ? &od : &nd;
	ret = ext2_dir_for_write(fs, olddir, o);
	if (!ret && n != o)
		ret = ext2_dir_for_write(fs, newdir, n);
	uint32_t src_ino, tgt_ino = 0;
	if (!ret)
		ret = ext2_lookup(fs, o, oldname, oldlen, &src_ino);
	if (!ret)
		ret = ext2_iget(fs, src_ino, &src);
	if (ret)
		return ret;
	ret = ext2_lookup(fs, n, newname, newlen, &tgt_ino);
	if (ret && ret != -ENOENT)
		return ret;
	if (ret)
		tgt_ino = 0;
	if (tgt_ino == src_ino)
		return 0;	/* two names of one inode: POSIX says do nothing */
	int src_dir = ext2_is_dir(&src), moves = src_dir && olddir != newdir;
	if (moves && (ret = check_not_under(fs, src_ino, newdir)) != 0)
		return ret;
	if (tgt_ino) {
		ret = ext2_iget(fs, tgt_ino, &tgt);
		if (ret)
			return ret;
		if (src_dir && !ext2_is_dir(&tgt))
			return -ENOTDIR;
		if (!src_dir && ext2_is_dir(&tgt))
			return -EISDIR;
		if (src_dir && (ret = ext2_empty_dir(fs, &tgt)) <= 0)
			return ret ? ret : -ENOTEMPTY;
	} else if (moves && ext2_links(n) >= EXT2_LINK_MAX) {
		return -EMLINK;
	}

	if (tgt_ino)
		ret = ext2_set_link(fs, n, newname, newlen, src_ino, src.mode);
	else
		ret = ext2_add_link(fs, n, newname, newlen, src_ino, src.mode);
	if (!ret)
		ret = ext2_delete_entry(fs, o, oldname, oldlen);
	if (ret)
		return ret;
	if (moves) {
		ret = ext2_set_link(fs, &src, "..", 2, newdir, EXT2_S_IFDIR);
		if (ret)
			return ret;
		ext2_set_links(o, ext2_links(o) - 1);
		ext2_set_links(n, ext2_links(n) + 1);
		ret = ext2_write_inode(fs, o);
		if (!ret)
			ret = ext2_write_inode(fs, n);
	}
	src.raw.i_ctime = cpu_to_le32(ext2_now(fs));
	if (!ret)
		ret = ext2_write_inode(fs, &src);
	if (ret || !tgt_ino)
		return ret;
	if (replaced)
		*replaced = tgt_ino;
	int keep = flags & EXT2_UNLINK_KEEP;
	return ext2_is_dir(&tgt) ? ext2_drop_dir(fs, n, &tgt, keep) : ext2_drop_link(fs, &tgt, keep);
}
