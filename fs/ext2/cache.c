/*
 * cache.c - a few blocks kept in struct ext2_fs, least recently used
 * replaced: a path walk or a triple-indirect lookup reads the same
 * directory and indirect blocks again and again. Each slot has a dirty
 * flag for the write side to come; nothing sets it yet.
 */
#include "internal.h"

int ext2_bread(struct ext2_fs *fs, unsigned long long block, const uint8_t **data)
{
	struct ext2_buf *victim = &fs->cache[0];
	for (int i = 0; i < EXT2_CACHE_BLOCKS; i++) {
		struct ext2_buf *b = &fs->cache[i];
		if (b->valid && b->block == block) {
			b->lru = ++fs->lru_clock;
			*data = b->data;
			return 0;
		}
		if (!b->valid || (victim->valid && b->lru < victim->lru))
			victim = b;
	}
	victim->valid = 0;
	int ret = fs->ops->read_block(fs->ctx, block, victim->data);
	if (ret)
		return ret < 0 ? ret : -EIO;
	victim->block = block;
	victim->valid = 1;
	victim->dirty = 0;
	victim->lru = ++fs->lru_clock;
	*data = victim->data;
	return 0;
}
