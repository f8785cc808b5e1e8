/*
 * The driver world's side of the seam (../ahcid.h): probe the HBA with the
 * driver's own ahci_host_probe, and turn each client request into a bio
 * that goes through the block layer's submit_bio -- checked, split to the
 * disk's queue limits, handed to ahci_submit_bio -- exactly as a bio from
 * the kernel's own `dcrc` would.
 */
#include "../../../../drivers/ahci/ahci.h"
#include "../ahcid.h"

static struct ahci_host host;
static struct gendisk *disk;
static int inflight;

/* A request: its bio, and the struct pages its bio_vecs point at. */
struct ahcid_rq {
	void *cookie;
	struct bio *bio;
	struct page pages[];
};

int ahcid_driver_start(volatile void *mmio, const char *name, const struct ahcid_options *opt)
{
	int ndisks = 0;
	strlcpy(host.name, name, sizeof(host.name));
	host.mmio = mmio;
	host.noncq = opt->noncq;
	host.pio = opt->pio;
	host.dma32 = opt->dma32;
	host.polling = opt->poll;
	if (ahci_host_probe(&host, &ndisks) || !(disk = disk_at(0)))
		return -1;
	return 0;
}

/* What one request may be (4 MiB, as the kernel back end's): the block
 * layer splits it to the PRD table's limits, and a bounced one fits the
 * bounce pool (ahci_os_user.c). */
#define AHCID_MAX_SECTORS 8192

void ahcid_disk_info(struct ahcid_disk_info *info)
{
	struct ahci_port *port = disk->private_data;
	info->sectors = disk->capacity;
	info->max_sectors = AHCID_MAX_SECTORS;
	info->ncq = port->qdepth > 0;
	info->dma_limit = host.dev.dma_mask;
}

static void rq_end_io(struct bio *bio)
{
	struct ahcid_rq *rq = bio->bi_private;
	int status = bio->bi_status;
	inflight--;
	bio_put(bio);
	void *cookie = rq->cookie;
	kfree(rq);
	ahcid_done(cookie, status);
}

int ahcid_submit(int op, unsigned long long sector, unsigned int count, const struct ahcid_seg *segs,
		 int nsegs, void *cookie)
{
	enum req_op rop = op == AHCID_WRITE ? REQ_OP_WRITE : op == AHCID_READ ? REQ_OP_READ : REQ_OP_FLUSH;
	if (rop == REQ_OP_FLUSH)
		nsegs = 0;
	else if (!count || count > AHCID_MAX_SECTORS || nsegs <= 0)
		return -EINVAL;
	struct ahcid_rq *rq = kzalloc(sizeof(*rq) + nsegs * sizeof(struct page), GFP_KERNEL);
	struct bio *bio = bio_alloc(disk, nsegs, rop, GFP_KERNEL);
	if (!rq || !bio) {
		kfree(rq);
		if (bio)
			bio_put(bio);
		return -ENOMEM;
	}
	u64 bytes = 0;
	for (int i = 0; i < nsegs; i++) {
		rq->pages[i] = (struct page){ segs[i].bus, segs[i].virt };
		bio_add_page(bio, &rq->pages[i], segs[i].len, 0);
		bytes += segs[i].len;
	}
	if (rop != REQ_OP_FLUSH && bytes != (u64)count << SECTOR_SHIFT) {
		bio_put(bio);
		kfree(rq);
		return -EINVAL;
	}
	rq->cookie = cookie;
	rq->bio = bio;
	bio->bi_iter.bi_sector = sector;
	bio->bi_private = rq;
	bio->bi_end_io = rq_end_io;
	inflight++;
	submit_bio(bio);                /* may complete at once: a refusal, or polling */
	return 0;
}

int ahcid_inflight(void)
{
	return inflight;
}

void ahcid_run(long timeout_ms)
{
	if (host.polling) {
		ahci_host_interrupt(&host);
		for (int p = 0; p < 32; p++)
			if (host.ports[p].present)
				ahci_port_interrupt(&host.ports[p]);
	} else {
		bool irq = ahcid_irq_wait(timeout_ms);
		ahci_host_interrupt(&host);
		if (irq)
			ahcid_irq_ack();
	}
	ahci_host_check_timeouts(&host);
}
