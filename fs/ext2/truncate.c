/*
 * truncate.c - blocks given back: every file block from one on, the
 * indirect blocks that map nothing any more with them, walking the map
 * top down (at most three levels, so the recursion is bounded). Each
 * pointer is checked before it is followed or freed, as ext2_bmap checks
 * it, and the bitmap refuses a block freed twice, so a corrupt map ends
 * in -EUCLEAN, never in a loop or a block given out twice.
 */
#include "internal.h"

/* Free what indirect block `block` (at `level`: 1 maps data blocks) maps
 * from its file block `from` on; *gone: the block itself was freed too
 * (from was 0). path: the blocks above, for the loop check. */
static int free_tree(struct ext2_fs *fs, struct ext2_inode_info *inode, uint32_t block,
		     int level, uint64_t from, uint32_t *path, int depth, int *gone)
{
	*gone = 0;
	int ret = ext2_check_data_block(fs, inode->ino, block, "indirect block");
	if (ret)
		return ret;
	for (int up = 0; up < depth; up++) {
		if (path[up] == block) {
			ext2_msg(fs, "inode %u: indirect block %u loops back to a block above it",
				 inode->ino, block);
			return -EUCLEAN;
		}
	}
	path[depth] = block;
	uint64_t span = 1;
	for (int l = 1; l < level; l++)
		span *= fs->addr_per_block;
	uint32_t first = (uint32_t)(from / span);
	uint32_t keep_first = 0;	/* entry `first` still maps something */
	for (uint32_t i = first; i < fs->addr_per_block; i++) {
		const uint8_t *data;
		ret = ext2_bread(fs, block, &data);	/* again: the walk below evicts it */
		if (ret)
			return ret;
		__le32 v;
		memcpy(&v, data + 4 * i, sizeof(v));
		uint32_t ptr = le32_to_cpu(v);
		if (!ptr)
			continue;
		if (level == 1) {
			ret = ext2_free_block(fs, inode->ino, ptr);
			if (ret)
				return ret;
			ext2_add_blocks(fs, inode, -1);
			continue;
		}
		int child_gone;
		ret = free_tree(fs, inode, ptr, level - 1, i == first ? from % span : 0, path,
				depth + 1, &child_gone);
		if (ret)
			return ret;
		if (i == first && !child_gone)
			keep_first = 1;
	}
	if (!from) {
		ret = ext2_free_block(fs, inode->ino, block);
		if (ret)
			return ret;
		ext2_add_blocks(fs, inode, -1);
		*gone = 1;
		return 0;
	}
	uint8_t *data;
	ret = ext2_bget(fs, block, &data);
	if (ret)
		return ret;
	uint32_t clear = first + keep_first;
	memset(data + 4 * clear, 0, 4 * (fs->addr_per_block - clear));
	return ext2_bwrite(fs, block, data);
}

int ext2_free_data(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t from)
{
	for (uint64_t i = from; i < EXT2_NDIR_BLOCKS; i++) {
		uint32_t ptr = le32_to_cpu(inode->raw.i_block[i]);
		if (!ptr)
			continue;
		int ret = ext2_free_block(fs, inode->ino, ptr);
		if (ret)
			return ret;
		inode->raw.i_block[i] = 0;
		ext2_add_blocks(fs, inode, -1);
	}
	uint64_t start = EXT2_NDIR_BLOCKS, span = fs->addr_per_block;
	for (int level = 1; level <= 3; level++, start += span, span *= fs->addr_per_block) {
		uint32_t slot = EXT2_NDIR_BLOCKS + level - 1;
		uint32_t ptr = le32_to_cpu(inode->raw.i_block[slot]);
		if (!ptr || from >= start + span)
			continue;
		uint32_t path[4];
		int gone;
		int ret = free_tree(fs, inode, ptr, level, from > start ? from - start : 0, path, 0,
				    &gone);
		if (ret)
			return ret;
		if (gone)
			inode->raw.i_block[slot] = 0;
	}
	return 0;
}

int ext2_release(struct ext2_fs *fs, struct ext2_inode_info *inode)
{
	int ret = 0;
	/* only these have a block map: a device's i_block holds its number,
	 * a fast symlink's its target (Linux's ext2_evict_inode) */
	uint16_t type = inode->mode & EXT2_S_IFMT;
	if (type == EXT2_S_IFREG || type == EXT2_S_IFDIR ||
	    (type == EXT2_S_IFLNK && !ext2_fast_symlink(fs, inode)))
		ret = ext2_free_data(fs, inode, 0);
	if (ret)
		return ret;
	ext2_set_links(inode, 0);
	ext2_set_size(fs, inode, 0);
	inode->raw.i_dtime = cpu_to_le32(ext2_now(fs) ? ext2_now(fs) : 1);
	ret = ext2_write_inode(fs, inode);
	if (ret)
		return ret;
	return ext2_free_inode(fs, inode->ino, ext2_is_dir(inode));
}

int ext2_truncate(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t size)
{
	int ret = ext2_writable_file(fs, inode);
	if (ret)
		return ret;
	if (size > ext2_max_size(fs))
		return -EFBIG;
	if (size < inode->size) {
		uint64_t keep = (size + fs->block_size - 1) / fs->block_size;
		ret = ext2_free_data(fs, inode, keep);
		uint32_t tail = (uint32_t)(size % fs->block_size), block = 0;
		/* the rest of the last block must read as zeros if the file grows again */
		if (!ret && tail)
			ret = ext2_bmap(fs, inode, size / fs->block_size, &block);
		if (!ret && block) {
			uint8_t *data;
			ret = ext2_bget(fs, block, &data);
			if (!ret) {
				memset(data + tail, 0, fs->block_size - tail);
				ret = ext2_bwrite(fs, block, data);
			}
		}
	}
	if (!ret)
		ext2_set_size(fs, inode, size);
	uint32_t now = ext2_now(fs);
	inode->raw.i_mtime = inode->raw.i_ctime = cpu_to_le32(now);
	int err = ext2_write_inode(fs, inode);
	return ret ? ret : err;
}
