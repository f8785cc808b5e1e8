/*
 * In-memory inodes and open files. An open file is what a client's handle
 * names: FS_OPEN mints a send-only alias of the server's endpoint whose
 * badge is (generation << 16 | slot + 1), so a message through it says
 * which open file it is about. The generation is the server's pid: a
 * restarted server does not take an old server's handles for its own
 * (they get EBADF). The kernel's IPC_LABEL_NO_SENDERS with the badge,
 * when the last copy of the handle is closed anywhere, frees the slot.
 *
 * An inode open several times is one struct minode, counted: the write
 * side of the library updates that one copy. The calls that take inode
 * numbers (create, unlink, rename...) change inodes on the disk only (a
 * directory's size and links, a file's links), so after each the server
 * reads its open inodes again (minode_refresh_all): the copies never go
 * stale, and nothing old is written back over the new. An inode unlinked
 * while open (EXT2_UNLINK_KEEP) is freed on disk at its last close
 * (ext2_evict).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ext2d.h"

#define MINODE_MAX OFILE_MAX

static struct minode minodes[MINODE_MAX];
static struct ofile ofiles[OFILE_MAX];

struct minode *minode_find(uint32_t ino)
{
	for (int i = 0; i < MINODE_MAX; i++)
		if (minodes[i].refs && minodes[i].ino == ino)
			return &minodes[i];
	return NULL;
}

struct minode *minode_get(struct ext2_fs *fs, uint32_t ino, int *err)
{
	struct minode *mi = minode_find(ino);
	if (mi) {
		mi->refs++;
		return mi;
	}
	for (int i = 0; i < MINODE_MAX; i++) {
		if (minodes[i].refs)
			continue;
		mi = &minodes[i];
		int r = ext2_iget(fs, ino, &mi->i);
		if (r) {
			*err = r;
			return NULL;
		}
		mi->ino = ino;
		mi->refs = 1;
		mi->unlinked = 0;
		return mi;
	}
	*err = -ENFILE;
	return NULL;
}

void minode_put(struct ext2_fs *fs, struct minode *mi)
{
	if (--mi->refs)
		return;
	if (mi->unlinked)
		ext2_evict(fs, mi->ino);
}

void minode_refresh_all(struct ext2_fs *fs)
{
	for (int i = 0; i < MINODE_MAX; i++) {
		struct minode *mi = &minodes[i];
		struct ext2_inode_info now;
		if (mi->refs && !mi->unlinked && !ext2_iget(fs, mi->ino, &now))
			mi->i = now;
	}
}

void minode_evict_unlinked(struct ext2_fs *fs)
{
	for (int i = 0; i < MINODE_MAX; i++)
		if (minodes[i].refs && minodes[i].unlinked) {
			ext2_evict(fs, minodes[i].ino);
			minodes[i].unlinked = 0;
		}
}

static unsigned long generation(void)
{
	return (unsigned long)(getpid() & 0x7fff);
}

struct ofile *ofile_new(unsigned long *badge)
{
	for (int i = 0; i < OFILE_MAX; i++)
		if (!ofiles[i].used) {
			memset(&ofiles[i], 0, sizeof(ofiles[i]));
			ofiles[i].used = 1;
			*badge = generation() << 16 | (unsigned long)(i + 1);
			return &ofiles[i];
		}
	return NULL;
}

struct ofile *ofile_of(unsigned long badge)
{
	unsigned long i = (badge & 0xffff) - 1;
	if (badge >> 16 != generation() || i >= OFILE_MAX || !ofiles[i].used)
		return NULL;
	return &ofiles[i];
}

void ofile_free(struct ext2_fs *fs, struct ofile *of)
{
	if (of->mi)
		minode_put(fs, of->mi);
	of->used = 0;
	of->mi = NULL;
}
