/*
 * ext2_fs.h - the ext2 on-disk format, with Linux's names
 * (include/linux/ext2_fs.h, fs/ext2/ext2.h), as this library reads it.
 *
 * Every multi-byte field on disk is little-endian. The fields are declared
 * __le16/__le32 and read only through le16_to_cpu()/le32_to_cpu(), so the
 * code is right on a big-endian host too (docs/filesystem.md).
 */
#ifndef FS_EXT2_EXT2_FS_H
#define FS_EXT2_EXT2_FS_H

#include <stdint.h>

typedef uint16_t __le16;
typedef uint32_t __le32;

static inline uint16_t le16_to_cpu(__le16 v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap16(v);
#else
	return v;
#endif
}

static inline uint32_t le32_to_cpu(__le32 v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

/* The same swap, the other way: for the write side. */
static inline __le16 cpu_to_le16(uint16_t v)
{
	return le16_to_cpu(v);
}

static inline __le32 cpu_to_le32(uint32_t v)
{
	return le32_to_cpu(v);
}

#define EXT2_SUPER_MAGIC	0xEF53
#define EXT2_SUPER_OFFSET	1024	/* bytes from the start of the disk */

/* Reserved inode numbers. */
#define EXT2_BAD_INO		1	/* bad blocks */
#define EXT2_ROOT_INO		2	/* the root directory */
#define EXT2_BOOT_LOADER_INO	5
#define EXT2_UNDEL_DIR_INO	6
#define EXT2_RESIZE_INO		7	/* reserved group descriptor blocks */
#define EXT2_JOURNAL_INO	8	/* ext3's journal */
#define EXT2_GOOD_OLD_FIRST_INO	11	/* first ordinary inode, revision 0 */

#define EXT2_GOOD_OLD_REV	0
#define EXT2_DYNAMIC_REV	1
#define EXT2_GOOD_OLD_INODE_SIZE 128

#define EXT2_MIN_BLOCK_LOG_SIZE	10	/* 1 KiB */
#define EXT2_MAX_BLOCK_LOG_SIZE	12	/* 4 KiB: the largest this library reads */
#define EXT2_MAX_BLOCK_SIZE	(1 << EXT2_MAX_BLOCK_LOG_SIZE)

/* The block map in i_block[]: 12 direct pointers, then one single, one
 * double and one triple indirect block. */
#define EXT2_NDIR_BLOCKS	12
#define EXT2_IND_BLOCK		EXT2_NDIR_BLOCKS
#define EXT2_DIND_BLOCK		(EXT2_IND_BLOCK + 1)
#define EXT2_TIND_BLOCK		(EXT2_DIND_BLOCK + 1)
#define EXT2_N_BLOCKS		(EXT2_TIND_BLOCK + 1)

#define EXT2_NAME_LEN		255
#define EXT2_LINK_MAX		32000

/* Compatible features: ignoring one is safe. */
#define EXT2_FEATURE_COMPAT_DIR_PREALLOC	0x0001
#define EXT2_FEATURE_COMPAT_IMAGIC_INODES	0x0002
#define EXT3_FEATURE_COMPAT_HAS_JOURNAL		0x0004
#define EXT2_FEATURE_COMPAT_EXT_ATTR		0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INODE	0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX		0x0020

/* Read-only compatible: one not understood may be read, never written. */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR	0x0004
#define EXT4_FEATURE_RO_COMPAT_HUGE_FILE	0x0008
#define EXT4_FEATURE_RO_COMPAT_GDT_CSUM		0x0010
#define EXT4_FEATURE_RO_COMPAT_DIR_NLINK	0x0020
#define EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE	0x0040
#define EXT4_FEATURE_RO_COMPAT_QUOTA		0x0100
#define EXT4_FEATURE_RO_COMPAT_BIGALLOC		0x0200
#define EXT4_FEATURE_RO_COMPAT_METADATA_CSUM	0x0400
#define EXT4_FEATURE_RO_COMPAT_READONLY		0x1000
#define EXT4_FEATURE_RO_COMPAT_PROJECT		0x2000

/* Incompatible: one not understood means the disk cannot be read at all. */
#define EXT2_FEATURE_INCOMPAT_COMPRESSION	0x0001
#define EXT2_FEATURE_INCOMPAT_FILETYPE		0x0002
#define EXT3_FEATURE_INCOMPAT_RECOVER		0x0004
#define EXT3_FEATURE_INCOMPAT_JOURNAL_DEV	0x0008
#define EXT2_FEATURE_INCOMPAT_META_BG		0x0010
#define EXT4_FEATURE_INCOMPAT_EXTENTS		0x0040
#define EXT4_FEATURE_INCOMPAT_64BIT		0x0080
#define EXT4_FEATURE_INCOMPAT_MMP		0x0100
#define EXT4_FEATURE_INCOMPAT_FLEX_BG		0x0200
#define EXT4_FEATURE_INCOMPAT_EA_INODE		0x0400
#define EXT4_FEATURE_INCOMPAT_DIRDATA		0x1000
#define EXT4_FEATURE_INCOMPAT_CSUM_SEED		0x2000
#define EXT4_FEATURE_INCOMPAT_LARGEDIR		0x4000
#define EXT4_FEATURE_INCOMPAT_INLINE_DATA	0x8000
#define EXT4_FEATURE_INCOMPAT_ENCRYPT		0x10000
#define EXT4_FEATURE_INCOMPAT_CASEFOLD		0x20000

/* s_state */
#define EXT2_VALID_FS		0x0001	/* cleanly unmounted */
#define EXT2_ERROR_FS		0x0002

/* The superblock: 1024 bytes at byte 1024 of the disk, backups at the
 * start of some groups (all, or with sparse_super groups 0, 1 and powers
 * of 3, 5 and 7). */
struct ext2_super_block {
	__le32 s_inodes_count;
	__le32 s_blocks_count;
	__le32 s_r_blocks_count;	/* reserved for root */
	__le32 s_free_blocks_count;
	__le32 s_free_inodes_count;
	__le32 s_first_data_block;	/* the superblock's block: 1 with 1 KiB blocks, else 0 */
	__le32 s_log_block_size;	/* block size = 1024 << this */
	__le32 s_log_frag_size;
	__le32 s_blocks_per_group;
	__le32 s_frags_per_group;
	__le32 s_inodes_per_group;
	__le32 s_mtime;
	__le32 s_wtime;
	__le16 s_mnt_count;
	__le16 s_max_mnt_count;
	__le16 s_magic;			/* EXT2_SUPER_MAGIC */
	__le16 s_state;
	__le16 s_errors;
	__le16 s_minor_rev_level;
	__le32 s_lastcheck;
	__le32 s_checkinterval;
	__le32 s_creator_os;
	__le32 s_rev_level;
	__le16 s_def_resuid;
	__le16 s_def_resgid;
	/* EXT2_DYNAMIC_REV only: */
	__le32 s_first_ino;
	__le16 s_inode_size;
	__le16 s_block_group_nr;	/* the group this copy lives in */
	__le32 s_feature_compat;
	__le32 s_feature_incompat;
	__le32 s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	__le32 s_algorithm_usage_bitmap;
	uint8_t s_prealloc_blocks;
	uint8_t s_prealloc_dir_blocks;
	__le16 s_reserved_gdt_blocks;	/* resize_inode: GDT growth room after the GDT */
	uint8_t s_journal_uuid[16];
	__le32 s_journal_inum;
	__le32 s_journal_dev;
	__le32 s_last_orphan;
	__le32 s_hash_seed[4];		/* dir_index */
	uint8_t s_def_hash_version;
	uint8_t s_reserved_char_pad;
	__le16 s_reserved_word_pad;
	__le32 s_default_mount_opts;
	__le32 s_first_meta_bg;
	__le32 s_reserved[190];
};

/* One per block group, 32 bytes, in the blocks after the superblock. */
struct ext2_group_desc {
	__le32 bg_block_bitmap;		/* block number of the block bitmap */
	__le32 bg_inode_bitmap;
	__le32 bg_inode_table;		/* first block of the inode table */
	__le16 bg_free_blocks_count;
	__le16 bg_free_inodes_count;
	__le16 bg_used_dirs_count;
	__le16 bg_pad;
	__le32 bg_reserved[3];
};

/* The first 128 bytes of every inode (s_inode_size may be larger: the rest
 * is ext4's extra fields and in-inode extended attributes, unused here). */
struct ext2_inode {
	__le16 i_mode;			/* type (S_IFMT) and permissions */
	__le16 i_uid;			/* low 16 bits */
	__le32 i_size;			/* low 32 bits */
	__le32 i_atime;
	__le32 i_ctime;
	__le32 i_mtime;
	__le32 i_dtime;			/* deletion time */
	__le16 i_gid;
	__le16 i_links_count;
	__le32 i_blocks;		/* 512-byte sectors, indirect blocks included */
	__le32 i_flags;
	__le32 i_reserved1;		/* osd1 */
	__le32 i_block[EXT2_N_BLOCKS];	/* block map, or a fast symlink's target */
	__le32 i_generation;
	__le32 i_file_acl;		/* extended attribute block */
	__le32 i_size_high;		/* regular files: high 32 bits (large_file) */
	__le32 i_faddr;
	uint8_t l_i_frag;
	uint8_t l_i_fsize;
	__le16 i_pad1;
	__le16 l_i_uid_high;
	__le16 l_i_gid_high;
	__le32 l_i_reserved2;
};

/* i_flags: the one the write side changes. A dir_index directory has a
 * hash tree hidden in its blocks; a writer that does not keep the tree
 * clears the flag (as Linux's ext2 does), and e2fsck -D may rebuild it. */
#define EXT2_INDEX_FL		0x00001000

/* A directory entry: entries fill each directory block exactly, rec_len
 * reaching the next; inode 0 marks an unused one. */
struct ext2_dir_entry_2 {
	__le32 inode;
	__le16 rec_len;			/* to the next entry: >= EXT2_DIR_REC_LEN(name_len), 4-aligned */
	uint8_t name_len;
	uint8_t file_type;		/* EXT2_FT_*, with the filetype feature */
	char name[];			/* not NUL-terminated */
};

#define EXT2_DIR_PAD		4
#define EXT2_DIR_REC_LEN(name_len) \
	(((unsigned int)(name_len) + 8 + EXT2_DIR_PAD - 1) & ~(EXT2_DIR_PAD - 1u))

enum {
	EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV,
	EXT2_FT_BLKDEV, EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK, EXT2_FT_MAX
};

/* i_mode's type bits (Linux's S_IF* values, which ext2 stores as is). */
#define EXT2_S_IFMT	0170000
#define EXT2_S_IFSOCK	0140000
#define EXT2_S_IFLNK	0120000
#define EXT2_S_IFREG	0100000
#define EXT2_S_IFBLK	0060000
#define EXT2_S_IFDIR	0040000
#define EXT2_S_IFCHR	0020000
#define EXT2_S_IFIFO	0010000

_Static_assert(sizeof(struct ext2_super_block) == 1024, "superblock is 1024 bytes");
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group descriptor is 32 bytes");
_Static_assert(sizeof(struct ext2_inode) == 128, "inode is 128 bytes");
_Static_assert(sizeof(struct ext2_dir_entry_2) == 8, "dir entry header is 8 bytes");

#endif
