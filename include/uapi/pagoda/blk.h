/*
 * The block protocol (issue #15, docs/block.md "The block service"): how a
 * user program or a server asks a disk for sectors over IPC. The same
 * protocol is spoken by both back ends: the kernel's block layer behind a
 * kernel-served endpoint (blk=kernel, blkdev_open) and the AHCI driver
 * built as a user-space server (blk=user, /bin/ahcid); a client cannot
 * tell them apart but by the time they take.
 *
 * Requests are ipc_call messages. The data never passes through the
 * message: the client lends (IPC_TAG_LEND) a memory object holding its
 * buffer (memobj_from_user or memobj_create), and the disk reads into or
 * writes from its pages directly (zero copy).
 *
 *   label          words (w0, w1, w2)                   handle lent
 *   BLK_INFO       -                                    -
 *   BLK_READ       sector, count, byte offset in memobj  memobj, RIGHT_WRITE
 *   BLK_WRITE      sector, count, byte offset in memobj  memobj, RIGHT_READ
 *   BLK_FLUSH      -                                    -
 *
 * The reply's label is 0 or a positive errno: EINVAL (a range past the
 * disk or the memory object, count 0 or over the limit), EPERM (the
 * memory object lacks the right), EBADF (the handle lent is no memory
 * object), EIO (the disk failed after its retries), ENODEV, ENOMEM. BLK_INFO's reply: w0 the disk's size in sectors, w1
 * the sector size in bytes, w2 the most sectors one request may ask for,
 * w3 BLK_INFO_* flags. A sector number is an unsigned long: 2 TiB of
 * 512-byte sectors on i386, a limit docs/block.md states.
 */
#ifndef _UAPI_PAGODA_BLK_H
#define _UAPI_PAGODA_BLK_H

#define BLK_INFO         1
#define BLK_READ         2
#define BLK_WRITE        3
#define BLK_FLUSH        4

#define BLK_INFO_USER    0x1            /* served by a user-space driver */
#define BLK_INFO_NCQ     0x2            /* the disk queues commands (NCQ) */

#endif
