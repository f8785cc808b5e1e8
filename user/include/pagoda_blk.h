/*
 * The block protocol's client (<pagoda/blk.h>, docs/block.md "The block
 * service"): a disk is an endpoint handle (blkdev_open for the kernel back
 * end, or one init hands out as "blk0", "blk1"...), and both back ends
 * answer these calls alike. Each returns 0 (blk_info: 0 and *info) or -1
 * with errno: the reply's error (EINVAL, EPERM, EIO, ENODEV) or the IPC
 * call's own (EBADF, EPIPE...).
 *
 * Data moves without a copy: blk_read and blk_write lend the memory object
 * mo to the disk for the one call; bytes [offset, offset + count * 512) of
 * it are read into or written from. A read needs a memory object with
 * RIGHT_WRITE (the disk writes into it), a write one with RIGHT_READ.
 *
 * A request whose server died under it (EPIPE: a user-space driver killed
 * or crashed) is sent again, up to BLK_RETRIES times: the supervisor (init)
 * keeps the endpoint and restarts the driver, and the request waits for
 * the new one. blk_retried counts those resends (tests and `blk` show it).
 */
#ifndef _PAGODA_BLK_USER_H
#define _PAGODA_BLK_USER_H

#include <pagoda/blk.h>
#include <stddef.h>

struct blk_info {
	unsigned long sectors;          /* the disk's size */
	unsigned int sector_size;       /* bytes (512) */
	unsigned int max_sectors;       /* the most one request may ask for */
	unsigned int flags;             /* BLK_INFO_* */
};

#define BLK_RETRIES 8
extern int blk_retried;

int blk_info(int ep, struct blk_info *info);
int blk_read(int ep, int mo, unsigned long offset, unsigned long sector, unsigned int count);
int blk_write(int ep, int mo, unsigned long offset, unsigned long sector, unsigned int count);
/* Earlier writes are durable when it returns. */
int blk_flush(int ep);

/* The same with a plain buffer of count * 512 bytes anywhere in the
 * caller's memory: its pages are made a memory object
 * (memobj_from_user: faulted in and pinned), lent for the call, closed
 * after it. Still no copy. */
int blk_read_buf(int ep, void *buf, unsigned long sector, unsigned int count);
int blk_write_buf(int ep, const void *buf, unsigned long sector, unsigned int count);

/* blkdev_open(root, index): the kernel back end's endpoint for disk index
 * (root: the device root handle, "devroot"). The handle, or -1 and errno. */
int blkdev_open(int root, unsigned int index);

#endif
