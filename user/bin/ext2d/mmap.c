/*
 * Memory-mapped files (FS_MMAP, docs/filesystem.md "Memory-mapped files"):
 * ext2d is the pager of one memory object per mapped inode
 * (memobj_pager_create on its own endpoint). FS_MMAP answers a read-only
 * handle to it; a client's fault on a page not yet there reaches the
 * receive loop as IPC_LABEL_PAGE_IN with the object's badge, and the page
 * is read through the block cache (with the readahead of a sequential
 * reader) and supplied. Every mapping of the inode shares the object, so
 * a page is read from the disk once for all of them.
 *
 * An object lives as long as the server: a client's mapping outlives any
 * handle, and nothing tells the pager that the last mapping went. A write
 * or truncate makes the inode's object stale: pages supplied already keep
 * what they were, so the next FS_MMAP gets a fresh object (the stale one
 * is still served, for the mappings that hold it). Objects are few
 * (PAGER_MAX); past them FS_MMAP says ENFILE.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pagoda_ipc.h>
#include "ext2d.h"

#define PAGER_MAX 64
#define PAGER_BADGE 0x7fff0000UL        /* | slot: requests are told apart by their label */
#define CLUSTER 8                       /* pages read and supplied per request */

struct pager {
	int mo;                         /* the object (all rights); 0: a free slot */
	int stale;                      /* the file changed since: no new mappings */
	uint64_t size;                  /* the file's size when it was made */
	struct ofile of;                /* its own reader: the inode held, readahead state */
};

static struct pager pagers[PAGER_MAX];
static uint8_t buf[CLUSTER * 4096];

void mmap_file_changed(uint32_t ino)
{
	for (int i = 0; i < PAGER_MAX; i++)
		if (pagers[i].mo && pagers[i].of.mi->ino == ino)
			pagers[i].stale = 1;
}

int file_mmap(struct request *r, struct ofile *of)
{
	struct minode *mi = of->mi;
	if (!S_ISREG(mi->i.mode))
		return -EACCES;                 /* Linux's answer for a directory */
	if (!mi->i.size)
		return -EINVAL;                 /* nothing to map */
	struct pager *pg = NULL, *free_slot = NULL;
	for (int i = 0; i < PAGER_MAX && !pg; i++) {
		if (!pagers[i].mo && !free_slot)
			free_slot = &pagers[i];
		else if (pagers[i].mo && !pagers[i].stale && pagers[i].of.mi == mi && pagers[i].size >= mi->i.size)
			pg = &pagers[i];
	}
	if (!pg) {
		if (!free_slot)
			return -ENFILE;
		unsigned long bytes = (unsigned long)((mi->i.size + 4095) & ~4095ULL);
		int mo = memobj_pager_create(bytes, srv.mint_ep, PAGER_BADGE | (unsigned long)(free_slot - pagers));
		if (mo < 0)
			return -errno;
		pg = free_slot;
		memset(pg, 0, sizeof(*pg));
		pg->mo = mo;
		pg->size = mi->i.size;
		pg->of.used = 1;
		pg->of.mi = mi;
		mi->refs++;                     /* held for the server's life */
	}
	int h = handle_dup(pg->mo, RIGHT_READ | RIGHT_TRANSFER);        /* moving needs TRANSFER */
	if (h < 0)
		return -errno;
	r->out_handle = h;
	r->m->w[0] = FS_OFF_LO(mi->i.size);
	r->m->w[1] = FS_OFF_HI(mi->i.size);
	return 0;
}

void mmap_page_in(unsigned long badge, uint64_t off)
{
	unsigned long i = badge - PAGER_BADGE;
	if (badge < PAGER_BADGE || i >= PAGER_MAX || !pagers[i].mo)
		return;                         /* not one of ours (a forged label) */
	struct pager *pg = &pagers[i];
	uint64_t bytes = (pg->size + 4095) & ~4095ULL;
	if (off >= bytes || (off & 4095))
		return;
	size_t len = bytes - off < sizeof(buf) ? (size_t)(bytes - off) : sizeof(buf);
	long n = file_read(&pg->of, off, buf, len);
	/* A read error has no way back to the faulting client: it gets
	 * zeros, the console gets the error. */
	if (n < 0) {
		printf("ext2d: mmap of inode %u: read error %ld at %llu\n", (unsigned)pg->of.mi->ino, n,
		       (unsigned long long)off);
		n = 0;
	}
	memset(buf + n, 0, len - (size_t)n);
	memobj_supply(pg->mo, (unsigned long)off, buf, len);   /* EEXIST for pages there already: fine */
}
