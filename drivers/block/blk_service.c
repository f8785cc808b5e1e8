/*
 * The block service's kernel back end (blk=kernel; docs/block.md "The block
 * service"): blkdev_open gives a process a kernel-served endpoint for one
 * gendisk, and each ipc_call on it is answered here, in the caller's
 * context, with the block protocol of <uapi/pagoda/blk.h>.
 *
 * Zero copy: a read or write builds one bio straight on the pages of the
 * memory object the caller lent. The memory object keeps its pages present
 * and unmoved while it lives (<pagoda/memobj.h>), and the IPC layer holds
 * the lent object for the whole call, which waits for the bio: so the
 * pages cannot go while the device works on them, even if the caller's
 * process is killed meanwhile (its exit waits for the call to return).
 * Pages the device cannot reach (highmem above its DMA mask on PAE, or
 * above 4 GiB for a 32-bit HBA) are bounced by the DMA layer as for any
 * other bio.
 */
#include <pagoda/blkdev.h>
#include <pagoda/errno.h>
#include <pagoda/ipc.h>
#include <pagoda/memobj.h>
#include <pagoda/syscalls.h>
#include <uapi/pagoda/blk.h>

/* The most sectors one request may ask for (BLK_INFO's w2): 4 MiB, so a
 * request's bio_vec array stays one small allocation. */
#define BLK_SERVICE_MAX_SECTORS 8192u

/* A sector number is an unsigned long (2 TiB of sectors on i386): a
 * bigger disk shows its first 2^32 sectors there. */
static unsigned long visible_capacity(const struct gendisk *disk)
{
	return disk->capacity > ~0UL ? ~0UL : (unsigned long)disk->capacity;
}

/* The pages of mo under [off, off + bytes) as one bio at sector. */
static struct bio *bio_on_memobj(struct gendisk *disk, enum req_op op, sector_t sector, struct memobj *mo,
				 unsigned long off, unsigned int bytes)
{
	unsigned int nr = (unsigned int)PFN_UP((off & (PAGE_SIZE - 1)) + bytes);
	struct bio *bio = bio_alloc(disk, (unsigned short)nr, op, GFP_KERNEL);
	if (!bio)
		return NULL;
	bio->bi_iter.bi_sector = sector;
	for (unsigned int done = 0; done < bytes;) {
		unsigned int in_page = (off + done) & (PAGE_SIZE - 1);
		unsigned int len = PAGE_SIZE - in_page < bytes - done ? PAGE_SIZE - in_page : bytes - done;
		bio_add_page(bio, memobj_page(mo, off + done), len, in_page);
		done += len;
	}
	return bio;
}

/* BLK_READ / BLK_WRITE: the protocol's status (0 or a positive errno). */
static unsigned long serve_rw(struct gendisk *disk, struct kcall *c, enum req_op op)
{
	unsigned long sector = c->w[0], count = c->w[1], off = c->w[2];
	u32 need = op == REQ_OP_READ ? RIGHT_WRITE : RIGHT_READ;    /* the disk writes it on a read */
	if (c->nh != 1)
		return EINVAL;
	struct memobj *mo = memobj_from_kobj(c->hobj[0]);
	if (!mo)                /* no memory object, or a pager's (pages may be missing) */
		return c->hobj[0]->type == HANDLE_TYPE_MEMORY ? EINVAL : EBADF;
	if ((c->hrights[0] & need) != need)
		return EPERM;
	unsigned long size = memobj_size(mo), bytes = count << SECTOR_SHIFT;
	if (!count || count > BLK_SERVICE_MAX_SECTORS || sector >= visible_capacity(disk) ||
	    count > disk->capacity - sector || off > size || bytes > size - off ||
	    off & disk->limits.dma_alignment)
		return EINVAL;
	struct bio *bio = bio_on_memobj(disk, op, sector, mo, off, (unsigned int)bytes);
	if (!bio)
		return ENOMEM;
	int err = submit_bio_wait(bio);
	bio_put(bio);
	return err ? EIO : 0;
}

static unsigned long serve_flush(struct gendisk *disk)
{
	struct bio *bio = bio_alloc(disk, 0, REQ_OP_FLUSH, GFP_KERNEL);
	if (!bio)
		return ENOMEM;
	int err = submit_bio_wait(bio);
	bio_put(bio);
	return err ? EIO : 0;
}

static long blk_service_call(void *priv, struct kcall *c)
{
	struct gendisk *disk = priv;
	unsigned long status;
	switch (c->tag & IPC_LABEL_MASK) {
	case BLK_INFO:
		c->w[0] = visible_capacity(disk);
		c->w[1] = SECTOR_SIZE;
		c->w[2] = BLK_SERVICE_MAX_SECTORS;
		c->w[3] = 0;
		status = 0;
		break;
	case BLK_READ:
		status = serve_rw(disk, c, REQ_OP_READ);
		break;
	case BLK_WRITE:
		status = serve_rw(disk, c, REQ_OP_WRITE);
		break;
	case BLK_FLUSH:
		status = serve_flush(disk);
		break;
	default:
		status = EINVAL;
	}
	c->tag = status;
	return 0;
}

/* Disks are never unregistered while user space runs: nothing to free. */
static void blk_service_release(void *priv)
{
}

static const struct endpoint_kops blk_service_ops = {
	.name = "blk",
	.call = blk_service_call,
	.release = blk_service_release,
};

SYSCALL_DEFINE2(blkdev_open, int, root, unsigned int, index)
{
	long err = device_root_check(root, RIGHT_WRITE);
	if (err)
		return err;
	struct gendisk *disk = index < MAX_DISKS ? disk_at((int)index) : NULL;
	if (!disk)
		return -ENODEV;
	return kernel_endpoint_create(&blk_service_ops, disk, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER);
}
