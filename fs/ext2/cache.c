/*
 * cache.c - a few blocks kept in struct ext2_fs, least recently used
 * replaced: a path walk or a triple-indirect lookup reads the same
 * directory and indirect blocks again and again.
 *
 * The write side writes through: a block is changed in its slot and
 * handed to ops->write_block at once (ext2_bwrite), so the slot and the
 * disk never differ and no slot is ever dirty. A block written whole
 * (a new one) takes a slot without reading it (ext2_bnew).
 */
#include "internal.h"

static struct ext2_buf *victim_slot(struct ext2_fs *fs, unsigned long long block)
{
	struct ext2_buf *victim = &fs->cache[0];
	for (int i = 0; i < EXT2_CACHE_BLOCKS; i++) {
		struct ext2_buf *b = &fs->cache[i];
		if (b->valid && b->block == block)
			return b;
		if (!b->valid || (victim->valid && b->lru < victim->lru))
			victim = b;
	}
	return victim;
}

uint8_t *ext2_bnew(struct ext2_fs *fs, unsigned long long block)
{
	struct ext2_buf *b = victim_slot(fs, block);
	memset(b->data, 0, fs->block_size);
	b->block = block;
	b->valid = 1;
	b->dirty = 0;
	b->lru = ++fs->lru_clock;
	return b->data;
}

int ext2_bwrite(struct ext2_fs *fs, unsigned long long block, const uint8_t *data)
{
	int ret = fs->ops->write_block(fs->ctx, block, data);
	if (ret) {
		/* the disk may hold either version now: forget the slot */
		for (int i = 0; i < EXT2_CACHE_BLOCKS; i++)
			if (fs->cache[i].block == block)
				fs->cache[i].valid = 0;
		return ret < 0 ? ret : -EIO;
	}
	return 0;
}

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
