/*
 * The block protocol's client (<pagoda_blk.h>): one ipc_call per request,
 * the memory object lent (IPC_TAG_LEND) so the disk reaches the caller's
 * pages for that call only.
 */
#include "syscall.h"
#include <errno.h>
#include <pagoda_blk.h>
#include <pagoda_ipc.h>
#include <sys/mman.h>

#define PAGE_SIZE 4096UL

int blkdev_open(int root, unsigned int index)
{
	return (int)__syscall_ret(syscall2(__NR_blkdev_open, root, index));
}

/* The reply's label is the protocol's status: 0 or a positive errno. */
static int blk_status(int r, const struct ipc_msg *m)
{
	if (r)
		return r;
	unsigned long err = m->tag & IPC_LABEL_MASK;
	if (err) {
		errno = (int)err;
		return -1;
	}
	return 0;
}

int blk_info(int ep, struct blk_info *info)
{
	struct ipc_msg m = { .tag = BLK_INFO };
	int r = blk_status(ipc_call(ep, &m), &m);
	if (!r)
		*info = (struct blk_info){ m.w[0], (unsigned int)m.w[1], (unsigned int)m.w[2], (unsigned int)m.w[3] };
	return r;
}

/* EPIPE: the server that took the request died (a user-space driver
 * killed or crashed). Its supervisor keeps the endpoint and starts it
 * again, so the request is sent again and waits for the new one; a read
 * or a write of the same data twice is harmless. An endpoint whose server
 * was given up fails at once, BLK_RETRIES times. */
int blk_retried;

static int blk_rw(int ep, unsigned long op, int mo, unsigned long offset, unsigned long sector,
		  unsigned int count)
{
	for (int tries = 0;; tries++) {
		struct ipc_ext x = { .send_handles = { mo }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
		struct ipc_msg m = { .tag = op | IPC_TAG_LEND, .w = { sector, count, offset } };
		int r = ipc_call_ext(ep, &m, &x);
		if (r && errno == EPIPE && tries < BLK_RETRIES) {
			blk_retried++;
			continue;
		}
		return blk_status(r, &m);
	}
}

int blk_read(int ep, int mo, unsigned long offset, unsigned long sector, unsigned int count)
{
	return blk_rw(ep, BLK_READ, mo, offset, sector, count);
}

int blk_write(int ep, int mo, unsigned long offset, unsigned long sector, unsigned int count)
{
	return blk_rw(ep, BLK_WRITE, mo, offset, sector, count);
}

int blk_flush(int ep)
{
	for (int tries = 0;; tries++) {
		struct ipc_msg m = { .tag = BLK_FLUSH };
		int r = ipc_call(ep, &m);
		if (r && errno == EPIPE && tries < BLK_RETRIES) {
			blk_retried++;
			continue;
		}
		return blk_status(r, &m);
	}
}

/* The whole pages under [buf, buf + count * 512) as a memory object, lent
 * for one request at buf's offset in it. */
static int blk_rw_buf(int ep, unsigned long op, const void *buf, unsigned long sector, unsigned int count)
{
	unsigned long start = (unsigned long)buf & ~(PAGE_SIZE - 1);
	unsigned long end = ((unsigned long)buf + (unsigned long)count * 512 + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	int prot = op == BLK_READ ? PROT_READ | PROT_WRITE : PROT_READ;
	int mo = memobj_from_user((void *)start, end - start, prot);
	if (mo < 0)
		return -1;
	int r = blk_rw(ep, op, mo, (unsigned long)buf - start, sector, count);
	int saved = errno;
	handle_close(mo);
	errno = saved;
	return r;
}

int blk_read_buf(int ep, void *buf, unsigned long sector, unsigned int count)
{
	return blk_rw_buf(ep, BLK_READ, buf, sector, count);
}

int blk_write_buf(int ep, const void *buf, unsigned long sector, unsigned int count)
{
	return blk_rw_buf(ep, BLK_WRITE, buf, sector, count);
}
