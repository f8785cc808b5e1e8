/*
 * ahcid: the AHCI driver as a user-space server (issue #15, docs/ahcid.md).
 * The same drivers/ahci and drivers/block sources the kernel runs, built a
 * second time against user/bin/ahcid/include and os/ (the OS interface),
 * speak the block protocol of <pagoda/blk.h> on the endpoint init gives.
 *
 *   ahcid [--noncq] [--pio] [--dma32] [--poll]
 *
 * Handles (HANDLES): "server", the endpoint to serve (receive side: init
 * keeps the endpoint, so a restarted ahcid serves the same one and its
 * clients never notice but for the requests it had taken, which fail with
 * EPIPE and are sent again); "devroot", the device root, to find and open
 * the AHCI function. The kernel leaves the controller alone under blk=user.
 *
 * The loop: each call is received, its reply capability saved
 * (ipc_reply_save), and its bio started; the reply goes out when the bio
 * completes, so up to MAX_INFLIGHT requests are in flight at once (NCQ).
 * With nothing in flight ahcid blocks in ipc_recv; otherwise it takes
 * whatever calls are queued (without waiting), then waits for the
 * interrupt notification. One thread: no locks (ahci_os.h says why).
 */
#include <errno.h>
#include <pagoda/blk.h>
#include <pagoda/mman.h>
#include <pagoda_device.h>
#include <pagoda_handles.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "ahcid.h"
#include "ahcid_server.h"

/* Each request in flight holds a saved reply handle and a lent memory
 * object: with the server's own six handles, 12 stay under HANDLE_MAX. */
#define MAX_INFLIGHT 12
#define MAX_SEGS (8192 * 512 / 4096 + 1)        /* 4 MiB in pages, unaligned */

struct request {
	bool used;
	int reply;                      /* saved reply handle */
	void *map;                      /* the lent object mapped for a bounce, or NULL */
	size_t map_len;
};

static struct request requests[MAX_INFLIGHT];
static struct ahcid_disk_info disk;
static struct ahcid_seg segs[MAX_SEGS];
static unsigned long served, errors;

static void reply(int r, unsigned long status, const unsigned long w[4])
{
	struct ipc_msg m = { .tag = status };
	if (w)
		memcpy(m.w, w, sizeof(m.w));
	if (ipc_reply(r, &m) < 0)
		dprintf(2, "ahcid: ipc_reply: %s\n", strerror(errno));
}

/* From the driver world, when a request's bio completes. */
void ahcid_done(void *cookie, int status)
{
	struct request *rq = cookie;
	if (rq->map)
		munmap(rq->map, rq->map_len);
	if (status)
		errors++;
	/* -ETIMEDOUT and the like are EIO to a client: the disk failed. */
	unsigned long label = !status ? 0 : status == -EINVAL ? EINVAL : EIO;
	reply(rq->reply, label, NULL);          /* the kernel closes the lent handle */
	served++;
	rq->used = false;
}

static struct request *free_request(void)
{
	for (int i = 0; i < MAX_INFLIGHT; i++)
		if (!requests[i].used)
			return &requests[i];
	return NULL;
}

/* The bus addresses of bytes [off, off + bytes) of mo, in runs. */
static int build_segs(int mo, unsigned long off, unsigned long bytes, bool *above)
{
	int n = 0;
	*above = false;
	while (bytes) {
		struct dma_seg seg;
		if (device_dma_addr(ahcid_dev, mo, off, &seg) < 0)
			return -errno;
		unsigned long len = seg.len < bytes ? seg.len : bytes;
		if (n == MAX_SEGS)
			return -EINVAL;
		segs[n++] = (struct ahcid_seg){ seg.bus_addr, (unsigned int)len, NULL };
		if (seg.bus_addr + len - 1 > disk.dma_limit)
			*above = true;
		off += len;
		bytes -= len;
	}
	return n;
}

/* A read or write: 0 if started (the reply comes at completion), or the
 * errno to answer now. */
static int start_rw(const struct ipc_msg *m, const struct ipc_ext *x, struct request *rq)
{
	bool write = (m->tag & IPC_LABEL_MASK) == BLK_WRITE;
	unsigned long sector = m->w[0], count = m->w[1], off = m->w[2];
	if (x->recv_nhandles != 1)
		return EINVAL;
	int mo = x->recv_handles[0];
	struct handle_info hi;
	if (handle_info(mo, &hi) < 0 || hi.type != HANDLE_TYPE_MEMORY)
		return EBADF;                   /* as the kernel back end: not a memory object */
	/* The disk writes memory on a read: the object must allow it. */
	if (!(hi.rights & (write ? RIGHT_READ : RIGHT_WRITE)))
		return EPERM;
	long size = memobj_size(mo);
	if (!count || count > disk.max_sectors || sector >= disk.sectors || count > disk.sectors - sector ||
	    size < 0 || off > (unsigned long)size || count * 512 > (unsigned long)size - off)
		return EINVAL;
	bool above;
	int n = build_segs(mo, off, count * 512, &above);
	if (n < 0)
		return n == -EPERM ? EPERM : EINVAL;
	rq->map = NULL;
	if (above) {
		/* The HBA cannot reach these pages (no CAP.S64A, or --dma32):
		 * map the object so the driver can bounce them. */
		rq->map_len = (size_t)size;
		rq->map = memobj_map(mo, 0, rq->map_len, write ? PROT_READ : PROT_READ | PROT_WRITE, 0);
		if (rq->map == MAP_FAILED) {
			rq->map = NULL;
			return EIO;
		}
		for (int i = 0, at = 0; i < n; at += segs[i].len, i++)
			segs[i].virt = (char *)rq->map + off + at;
	}
	int err = ahcid_submit(write ? AHCID_WRITE : AHCID_READ, sector, count, segs, n, rq);
	if (err && rq->map)
		munmap(rq->map, rq->map_len);
	return err ? -err : 0;
}

static void handle(struct ipc_msg *m, struct ipc_ext *x)
{
	if (!(m->tag & IPC_TAG_CALL))
		return;                         /* a send: nobody to answer */
	int r = ipc_reply_save();
	if (r < 0) {
		dprintf(2, "ahcid: ipc_reply_save: %s\n", strerror(errno));
		return;
	}
	struct request *rq = free_request();    /* there is one: we receive only then */
	if (!rq) {
		reply(r, EIO, NULL);
		return;
	}
	rq->used = true;
	rq->reply = r;
	int err = 0;
	switch (m->tag & IPC_LABEL_MASK) {
	case BLK_INFO: {
		unsigned long w[4] = { (unsigned long)disk.sectors, 512, disk.max_sectors,
				       BLK_INFO_USER | (disk.ncq ? BLK_INFO_NCQ : 0) };
		reply(r, 0, w);
		rq->used = false;
		return;
	}
	case BLK_READ:
	case BLK_WRITE:
		err = start_rw(m, x, rq);
		break;
	case BLK_FLUSH:
		err = ahcid_submit(AHCID_FLUSH, 0, 0, NULL, 0, rq);
		err = err ? -err : 0;
		break;
	default:
		err = EINVAL;
	}
	if (err) {
		reply(r, (unsigned long)err, NULL);
		rq->used = false;
	}
}

static int find_ahci(int root, char *name, size_t size)
{
	struct device_info info[32];
	int n = device_list(root, info, 32);
	if (n < 0) {
		dprintf(2, "ahcid: device_list: %s\n", strerror(errno));
		return -1;
	}
	for (int i = 0; i < n && i < 32; i++) {
		if (info[i].class_code != 0x010601)
			continue;
		unsigned int bdf = info[i].bdf;
		snprintf(name, size, "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7);
		if (info[i].owner) {
			printf("ahcid: %s is taken (%s)\n", name, info[i].owner == 1 ? info[i].driver : "a handle");
			continue;
		}
		int dev = device_open(root, bdf);
		if (dev >= 0)
			return dev;
		dprintf(2, "ahcid: device_open %s: %s\n", name, strerror(errno));
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct ahcid_options opt = { false, false, false, false };
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--noncq"))
			opt.noncq = true;
		else if (!strcmp(argv[i], "--pio"))
			opt.pio = true;
		else if (!strcmp(argv[i], "--dma32"))
			opt.dma32 = true;
		else if (!strcmp(argv[i], "--poll"))
			opt.poll = true;
		else
			dprintf(2, "ahcid: unknown option %s\n", argv[i]);
	}
	int ep = handle_named(HANDLE_SERVER), root = handle_named("devroot");
	if (ep < 0 || root < 0) {
		dprintf(2, "ahcid: HANDLES must name \"%s\" and \"devroot\"\n", HANDLE_SERVER);
		return 2;
	}
	char name[16];
	ahcid_dev = find_ahci(root, name, sizeof(name));
	if (ahcid_dev < 0) {
		dprintf(2, "ahcid: no AHCI controller to drive\n");
		return 1;
	}
	void *mmio = device_map_bar(ahcid_dev, 5, 0);
	if (mmio == MAP_FAILED) {
		dprintf(2, "ahcid: device_map_bar: %s\n", strerror(errno));
		return 1;
	}
	if (ahcid_driver_start(mmio, name, &opt)) {
		dprintf(2, "ahcid: no disk on %s\n", name);
		return 1;
	}
	ahcid_disk_info(&disk);
	printf("ahcid: serving sda, %llu sectors, %s, at most %u sectors a request\n", disk.sectors,
	       disk.ncq ? "NCQ" : "no NCQ", disk.max_sectors);
	for (;;) {
		int inflight = ahcid_inflight();
		if (inflight < MAX_INFLIGHT) {
			struct ipc_msg m;
			struct ipc_ext x;
			memset(&x, 0, sizeof(x));
			x.timeout_ms = inflight ? IPC_POLL : IPC_FOREVER;
			if (ipc_recv_ext(ep, &m, &x) == 0) {
				handle(&m, &x);
				continue;       /* take every call already waiting */
			}
			if (errno != ETIMEDOUT) {
				dprintf(2, "ahcid: ipc_recv: %s\n", strerror(errno));
				return 1;
			}
		}
		ahcid_run(1000);        /* the interrupt (or a second, for the timeouts) */
	}
}
