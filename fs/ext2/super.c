/*
 * super.c - mount: read and check the superblock and the group
 * descriptors; and which blocks are metadata, so that a block map pointing
 * into them is caught (ext2_check_data_block).
 */
#include "internal.h"

struct feature {
	uint32_t mask;
	const char *name;
};

/* The names are mke2fs's and tune2fs's (-O), which an image's owner knows. */
static const struct feature incompat_names[] = {
	{ EXT2_FEATURE_INCOMPAT_COMPRESSION, "compression" },
	{ EXT3_FEATURE_INCOMPAT_RECOVER, "needs_recovery" },
	{ EXT3_FEATURE_INCOMPAT_JOURNAL_DEV, "journal_dev" },
	{ EXT2_FEATURE_INCOMPAT_META_BG, "meta_bg" },
	{ EXT4_FEATURE_INCOMPAT_EXTENTS, "extent" },
	{ EXT4_FEATURE_INCOMPAT_64BIT, "64bit" },
	{ EXT4_FEATURE_INCOMPAT_MMP, "mmp" },
	{ EXT4_FEATURE_INCOMPAT_FLEX_BG, "flex_bg" },
	{ EXT4_FEATURE_INCOMPAT_EA_INODE, "ea_inode" },
	{ EXT4_FEATURE_INCOMPAT_DIRDATA, "dirdata" },
	{ EXT4_FEATURE_INCOMPAT_CSUM_SEED, "metadata_csum_seed" },
	{ EXT4_FEATURE_INCOMPAT_LARGEDIR, "large_dir" },
	{ EXT4_FEATURE_INCOMPAT_INLINE_DATA, "inline_data" },
	{ EXT4_FEATURE_INCOMPAT_ENCRYPT, "encrypt" },
	{ EXT4_FEATURE_INCOMPAT_CASEFOLD, "casefold" },
	{ 0, NULL }
};

static const struct feature ro_compat_names[] = {
	{ EXT2_FEATURE_RO_COMPAT_BTREE_DIR, "btree_dir" },
	{ EXT4_FEATURE_RO_COMPAT_HUGE_FILE, "huge_file" },
	{ EXT4_FEATURE_RO_COMPAT_GDT_CSUM, "uninit_bg" },
	{ EXT4_FEATURE_RO_COMPAT_DIR_NLINK, "dir_nlink" },
	{ EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE, "extra_isize" },
	{ EXT4_FEATURE_RO_COMPAT_QUOTA, "quota" },
	{ EXT4_FEATURE_RO_COMPAT_BIGALLOC, "bigalloc" },
	{ EXT4_FEATURE_RO_COMPAT_METADATA_CSUM, "metadata_csum" },
	{ EXT4_FEATURE_RO_COMPAT_READONLY, "read-only" },
	{ EXT4_FEATURE_RO_COMPAT_PROJECT, "project" },
	{ 0, NULL }
};

#define INCOMPAT_SUPP	EXT2_FEATURE_INCOMPAT_FILETYPE
#define RO_COMPAT_SUPP	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

/* The first feature bit of `bits` by name (or its value). */
static void name_feature(struct ext2_fs *fs, const struct feature *t, uint32_t bits,
			 const char *what)
{
	for (; t->name; t++) {
		if (bits & t->mask) {
			ext2_msg(fs, what, t->name);
			return;
		}
	}
	char hex[] = "unknown 0x00000000";
	for (int i = 0; i < 8; i++)
		hex[17 - i] = "0123456789abcdef"[(bits >> (4 * i)) & 0xf];
	ext2_msg(fs, what, hex);
}

static int test_root(uint32_t a, uint32_t b)
{
	while (a > 1 && a % b == 0)
		a /= b;
	return a == 1;
}

/* Groups holding a superblock and descriptor copy: all of them, or with
 * sparse_super 0, 1 and the powers of 3, 5 and 7. */
int ext2_group_has_super(const struct ext2_fs *fs, uint32_t g)
{
	if (!(fs->feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER) || g <= 1)
		return 1;
	return test_root(g, 3) || test_root(g, 5) || test_root(g, 7);
}

static uint32_t group_first(const struct ext2_fs *fs, uint32_t g)
{
	return fs->first_data_block + g * fs->blocks_per_group;
}

static uint32_t group_last(const struct ext2_fs *fs, uint32_t g)
{
	uint64_t last = (uint64_t)group_first(fs, g) + fs->blocks_per_group - 1;
	return last >= fs->blocks_count ? fs->blocks_count - 1 : (uint32_t)last;
}

const char *ext2_metadata(const struct ext2_fs *fs, uint32_t block)
{
	uint32_t g = (block - fs->first_data_block) / fs->blocks_per_group;
	const struct ext2_group_desc *gd = &fs->gd[g];
	uint32_t first = group_first(fs, g);
	uint32_t itable = le32_to_cpu(gd->bg_inode_table);
	if (ext2_group_has_super(fs, g) && block - first < 1 + fs->gdt_blocks)
		return block == first ? "a superblock" : "the group descriptors";
	if (block == le32_to_cpu(gd->bg_block_bitmap))
		return "a block bitmap";
	if (block == le32_to_cpu(gd->bg_inode_bitmap))
		return "an inode bitmap";
	if (block >= itable && block - itable < fs->itb_per_group)
		return "an inode table";
	return NULL;
}

int ext2_check_data_block(struct ext2_fs *fs, uint32_t ino, uint32_t block, const char *what)
{
	if (block < fs->first_data_block || block >= fs->blocks_count) {
		ext2_msg(fs, "inode %u: %s %u outside the file system (blocks %u-%u)", ino, what,
			 block, fs->first_data_block, fs->blocks_count - 1);
		return -EUCLEAN;
	}
	const char *meta = ext2_metadata(fs, block);
	if (meta) {
		ext2_msg(fs, "inode %u: %s %u is in %s (group %u)", ino, what, block, meta,
			 (block - fs->first_data_block) / fs->blocks_per_group);
		return -EUCLEAN;
	}
	return 0;
}

static int check_super(struct ext2_fs *fs)
{
	const struct ext2_super_block *sb = &fs->sb;
	if (le16_to_cpu(sb->s_magic) != EXT2_SUPER_MAGIC) {
		ext2_msg(fs, "no ext2 superblock (magic 0x%x, not 0xef53)", le16_to_cpu(sb->s_magic));
		return -EINVAL;
	}
	uint32_t rev = le32_to_cpu(sb->s_rev_level);
	if (rev > EXT2_DYNAMIC_REV) {
		ext2_msg(fs, "revision %u not supported (0 and 1 are)", rev);
		return -EINVAL;
	}
	uint32_t log = le32_to_cpu(sb->s_log_block_size);
	if (log > EXT2_MAX_BLOCK_LOG_SIZE - EXT2_MIN_BLOCK_LOG_SIZE) {
		ext2_msg(fs, "block size 1024<<%u not supported (1, 2 and 4 KiB are)", log);
		return -EINVAL;
	}
	fs->block_size = 1024u << log;
	fs->addr_per_block = fs->block_size / 4;

	fs->feature_compat = le32_to_cpu(sb->s_feature_compat);
	fs->feature_incompat = le32_to_cpu(sb->s_feature_incompat);
	fs->feature_ro_compat = le32_to_cpu(sb->s_feature_ro_compat);
	if (rev == EXT2_GOOD_OLD_REV) {
		/* revision 0 has no feature fields: whatever is there is noise */
		fs->feature_compat = fs->feature_incompat = fs->feature_ro_compat = 0;
		fs->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		fs->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		fs->inode_size = le16_to_cpu(sb->s_inode_size);
		fs->first_ino = le32_to_cpu(sb->s_first_ino);
	}
	uint32_t bad = fs->feature_incompat & ~INCOMPAT_SUPP;
	if (bad) {
		name_feature(fs, incompat_names, bad, "incompatible feature %s not supported: not mounted");
		return -EINVAL;
	}
	bad = fs->feature_ro_compat & ~RO_COMPAT_SUPP;
	if (bad) {
		name_feature(fs, ro_compat_names, bad,
			     "read-only compatible feature %s not supported: mounted read-only");
		fs->read_only = 1;
	}
	/* A power of two, at least the 128 bytes every field here needs. */
	if (fs->inode_size < EXT2_GOOD_OLD_INODE_SIZE || fs->inode_size > fs->block_size ||
	    (fs->inode_size & (fs->inode_size - 1))) {
		ext2_msg(fs, "inode size %u not supported", fs->inode_size);
		return -EINVAL;
	}

	fs->blocks_count = le32_to_cpu(sb->s_blocks_count);
	fs->inodes_count = le32_to_cpu(sb->s_inodes_count);
	fs->first_data_block = le32_to_cpu(sb->s_first_data_block);
	fs->blocks_per_group = le32_to_cpu(sb->s_blocks_per_group);
	fs->inodes_per_group = le32_to_cpu(sb->s_inodes_per_group);
	if (fs->first_data_block != (fs->block_size == 1024 ? 1u : 0u)) {
		ext2_msg(fs, "first data block %u, not %u for %u-byte blocks", fs->first_data_block,
			 fs->block_size == 1024 ? 1 : 0, fs->block_size);
		return -EINVAL;
	}
	/* One bitmap block per group maps at most 8 x block size of each. */
	if (!fs->blocks_per_group || fs->blocks_per_group > 8 * fs->block_size) {
		ext2_msg(fs, "%u blocks per group (1-%u)", fs->blocks_per_group, 8 * fs->block_size);
		return -EINVAL;
	}
	uint32_t inodes_per_block = fs->block_size / fs->inode_size;
	if (!fs->inodes_per_group || fs->inodes_per_group > 8 * fs->block_size ||
	    fs->inodes_per_group % inodes_per_block) {
		ext2_msg(fs, "%u inodes per group (up to %u, a multiple of %u)", fs->inodes_per_group,
			 8 * fs->block_size, inodes_per_block);
		return -EINVAL;
	}
	fs->itb_per_group = fs->inodes_per_group / inodes_per_block;
	if (fs->blocks_count <= fs->first_data_block) {
		ext2_msg(fs, "blocks count %u", fs->blocks_count);
		return -EINVAL;
	}
	fs->groups_count = (fs->blocks_count - fs->first_data_block - 1) / fs->blocks_per_group + 1;
	if ((uint64_t)fs->groups_count * fs->inodes_per_group != fs->inodes_count) {
		ext2_msg(fs, "inodes count %u, not %u groups x %u", fs->inodes_count,
			 fs->groups_count, fs->inodes_per_group);
		return -EINVAL;
	}
	if (fs->first_ino <= EXT2_ROOT_INO || fs->first_ino > fs->inodes_count) {
		ext2_msg(fs, "first inode %u out of range", fs->first_ino);
		return -EINVAL;
	}
	uint32_t desc_per_block = fs->block_size / sizeof(struct ext2_group_desc);
	fs->gdt_blocks = (fs->groups_count + desc_per_block - 1) / desc_per_block;
	if (fs->gdt_blocks + 1 >= fs->blocks_per_group) {
		ext2_msg(fs, "%u groups: the descriptors do not fit in group 0", fs->groups_count);
		return -EINVAL;
	}
	/* Linux's ext2 mounts such a file system all the same, with a warning,
	 * and leaves the mark for e2fsck (ext2_unmount restores it). */
	uint16_t state = le16_to_cpu(sb->s_state);
	if (!(state & EXT2_VALID_FS))
		ext2_msg(fs, "warning: mounting unchecked fs (not cleanly unmounted), running e2fsck is recommended");
	else if (state & EXT2_ERROR_FS)
		ext2_msg(fs, "warning: mounting fs with errors, running e2fsck is recommended");
	return 0;
}

/* Each group's bitmaps and inode table inside the group (no flex_bg). */
static int check_descriptors(struct ext2_fs *fs)
{
	for (uint32_t g = 0; g < fs->groups_count; g++) {
		const struct ext2_group_desc *gd = &fs->gd[g];
		uint32_t first = group_first(fs, g), last = group_last(fs, g);
		uint32_t bb = le32_to_cpu(gd->bg_block_bitmap);
		uint32_t ib = le32_to_cpu(gd->bg_inode_bitmap);
		uint32_t it = le32_to_cpu(gd->bg_inode_table);
		const char *what = NULL;
		uint32_t where = 0;
		if (bb < first || bb > last)
			what = "block bitmap", where = bb;
		else if (ib < first || ib > last)
			what = "inode bitmap", where = ib;
		else if (it < first || it > last || last - it < fs->itb_per_group - 1)
			what = "inode table", where = it;
		if (what) {
			ext2_msg(fs, "group %u: %s at block %u, outside the group (blocks %u-%u)", g,
				 what, where, first, last);
			return -EUCLEAN;
		}
	}
	return 0;
}

static int read_descriptors(struct ext2_fs *fs)
{
	size_t size = (size_t)fs->gdt_blocks * fs->block_size;
	fs->gd = fs->ops->alloc ? fs->ops->alloc(fs->ctx, size) : NULL;
	if (!fs->gd)
		return -ENOMEM;
	for (uint32_t i = 0; i < fs->gdt_blocks; i++) {
		const uint8_t *data;
		int ret = ext2_bread(fs, fs->first_data_block + 1 + i, &data);
		if (ret)
			return ret;
		memcpy((uint8_t *)fs->gd + (size_t)i * fs->block_size, data, fs->block_size);
	}
	return check_descriptors(fs);
}

int ext2_mount(struct ext2_fs *fs, const struct ext2_ops *ops, void *ctx)
{
	memset(fs, 0, offsetof(struct ext2_fs, cache));
	for (int i = 0; i < EXT2_CACHE_BLOCKS; i++)
		fs->cache[i].valid = fs->cache[i].dirty = 0;
	fs->ops = ops;
	fs->ctx = ctx;
	fs->read_only = !ops->write_block;

	/* The superblock is block 1 in 1 KiB units, whatever the block size. */
	fs->block_size = 1024;
	const uint8_t *data;
	int ret = ext2_bread(fs, 1, &data);
	if (ret)
		return ret;
	memcpy(&fs->sb, data, sizeof(fs->sb));
	ret = check_super(fs);
	/* The cached 1 KiB block is not a block of the real size. */
	for (int i = 0; i < EXT2_CACHE_BLOCKS; i++)
		fs->cache[i].valid = 0;
	if (!ret)
		ret = read_descriptors(fs);
	if (!ret) {
		struct ext2_inode_info root;
		ret = ext2_iget(fs, EXT2_ROOT_INO, &root);
		if (!ret && !ext2_is_dir(&root)) {
			ext2_msg(fs, "inode 2 (the root) is not a directory (mode 0%o)", root.mode);
			ret = -EUCLEAN;
		}
	}
	if (!ret && !fs->read_only)
		ret = ext2_mount_rw(fs);
	if (ret) {
		fs->read_only = 1;	/* nothing to write back */
		ext2_unmount(fs);
	}
	return ret;
}

int ext2_unmount(struct ext2_fs *fs)
{
	int ret = 0;
	if (fs->gd && !fs->read_only) {
		fs->sb.s_state = cpu_to_le16(fs->mount_state);
		ret = ext2_sync(fs);
		fs->read_only = 1;
	}
	if (fs->gd && fs->ops->free)
		fs->ops->free(fs->ctx, fs->gd);
	fs->gd = NULL;
	for (int i = 0; i < EXT2_CACHE_BLOCKS; i++)
		fs->cache[i].valid = 0;
	return ret;
}
