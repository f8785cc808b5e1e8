/*
 * The disk behind a port: IDENTIFY it, register it as sdX, and turn bios
 * into commands: READ/WRITE FPDMA QUEUED when the device and the HBA both
 * do NCQ (and ahci_noncq is not given), READ/WRITE DMA EXT otherwise. The
 * block layer has already split each bio to the limits declared here (PRD
 * entries per command, 4 MiB per entry, 65536 sectors per command), so one
 * bio is one command.
 */
#include "ahci.h"

/* ATA strings are big-endian 16-bit words, space padded. */
static void ata_string(char *out, const u16 *id, int first, int words)
{
	int n = 0;
	for (int i = 0; i < words; i++) {
		out[n++] = id[first + i] >> 8;
		out[n++] = id[first + i] & 0xff;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

int ahci_identify(struct ahci_port *port)
{
	u16 *id = kzalloc(512, GFP_KERNEL);
	if (!id)
		return -ENOMEM;
	int err = ahci_exec_internal(port, ATA_CMD_IDENTIFY, 0, 0, id, 512, DMA_FROM_DEVICE);
	if (!err) {
		ata_string(port->model, id, 27, 20);
		ata_string(port->serial, id, 10, 10);
		port->lba48 = id[83] & (1 << 10);
		port->ncq = id[76] & (1 << 8);
		port->ncq_depth = (id[75] & 0x1f) + 1;
		port->sectors = port->lba48 ? (u64)id[100] | (u64)id[101] << 16 | (u64)id[102] << 32 |
					      (u64)id[103] << 48
					    : (u64)id[60] | (u64)id[61] << 16;
	}
	kfree(id);
	return err;
}

/* Start bio in a free slot; -EBUSY if none may be used now. port->lock held. */
static int start_bio(struct ahci_port *port, struct bio *bio, bool noncq)
{
	struct device *dev = &port->host->dev;
	bool queued = port->qdepth && !noncq && bio->bi_op != REQ_OP_FLUSH;
	int s = ahci_free_slot(port, queued);
	if (s < 0)
		return -EBUSY;
	if (bio->bi_op == REQ_OP_FLUSH)
		return ahci_issue(port, ATA_CMD_FLUSH_EXT, 0, 0, port->slot_sg[s], 0, 0, 0,
				  DMA_TO_DEVICE, bio) < 0 ? -EIO : 0;

	bool write = bio->bi_op == REQ_OP_WRITE;
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	u8 command = queued ? (write ? ATA_CMD_WRITE_FPDMA : ATA_CMD_READ_FPDMA)
			    : (write ? ATA_CMD_WRITE_DMA_EXT : ATA_CMD_READ_DMA_EXT);
	/* PIO, for comparison: the HBA still moves the data through the PRD
	 * table, but the disk hands it over one DRQ block (a sector) at a
	 * time, each announced by a PIO Setup FIS. */
	if (port->host->pio)
		command = write ? ATA_CMD_WRITE_PIO_EXT : ATA_CMD_READ_PIO_EXT;
	struct scatterlist *sg = port->slot_sg[s];
	int n = blk_bio_map_sg(bio, sg, AHCI_MAX_PRD, &port->disk.limits);
	int mapped = dma_map_sg(dev, sg, n, dir);
	if (!mapped)
		return -EIO;
	int r = ahci_issue(port, command, bio->bi_iter.bi_sector, bio_sectors(bio), sg, n, mapped,
			   bio->bi_iter.bi_size, dir, bio);
	if (r < 0) {
		dma_unmap_sg(dev, sg, n, dir);
		return r;
	}
	return 0;
}

/* Bios wait here while every slot is busy (or while queued and non-queued
 * commands must not mix); completions start them, in order. port->lock held. */
static void start_pending(struct ahci_port *port)
{
	while (port->pending_head) {
		struct bio *bio = port->pending_head;
		int err = start_bio(port, bio, port->retry_noncq > 0 || port->stale_err);
		if (err == -EBUSY)
			return;
		if (port->retry_noncq > 0)
			port->retry_noncq--;
		port->pending_head = bio->bi_driver;
		if (!port->pending_head)
			port->pending_tail = NULL;
		if (err)
			ahci_complete_later(port, bio, err);
	}
}

void ahci_requeue_front(struct ahci_port *port, struct bio *bio)
{
	bio->bi_driver = port->pending_head;
	port->pending_head = bio;
	if (!port->pending_tail)
		port->pending_tail = bio;
	port->retry_noncq++;
}

static void ahci_submit_bio(struct bio *bio)
{
	struct ahci_port *port = bio->bi_disk->private_data;
	unsigned long flags;
	spin_lock_irqsave(&port->lock, flags);
	port->submit_cpus |= 1u << smp_processor_id();
	bio->bi_driver = NULL;
	if (port->pending_tail)
		port->pending_tail->bi_driver = bio;
	else
		port->pending_head = bio;
	port->pending_tail = bio;
	start_pending(port);
	ahci_port_unlock(port, flags);
	if (port->host->polling) {
		/* No interrupts: drive the port until this bio's command is done
		 * (the reads are hints; ahci_port_interrupt looks under the lock). */
		while (READ_ONCE(port->busy) || READ_ONCE(port->pending_head)) {
			ahci_port_interrupt(port);      /* also starts pending bios */
			cpu_relax();
		}
	}
}

/* Called after completions (interrupt context, port->lock held) to keep slots busy. */
void ahci_port_kick(struct ahci_port *port)
{
	start_pending(port);
}

static void ahci_describe(struct gendisk *disk, char *buf, size_t size)
{
	struct ahci_port *port = disk->private_data;
	char ncq[32] = "";
	if (port->qdepth)
		snprintf(ncq, sizeof(ncq), ", NCQ depth %d", port->qdepth);
	else if (port->ncq)
		snprintf(ncq, sizeof(ncq), ", NCQ capable, off");
	snprintf(buf, size, "AHCI port %d: %s, serial %s, %s%s", port->index, port->model, port->serial,
		 port->lba48 ? "LBA48" : "LBA28", ncq);
}

static const struct block_device_operations ahci_fops = {
	.submit_bio = ahci_submit_bio,
	.describe = ahci_describe,
};

void ahci_register_disk(struct ahci_port *port, int index)
{
	struct gendisk *d = &port->disk;
	for (int s = 0; s < port->nslots; s++) {
		port->slot_sg[s] = kcalloc(AHCI_MAX_PRD, sizeof(struct scatterlist), GFP_KERNEL);
		if (!port->slot_sg[s]) {
			pr_err("ahci: port %d: no memory for scatter lists\n", port->index);
			return;
		}
	}
	/* NCQ when the device (IDENTIFY), the HBA (CAP.SNCQ) and the command
	 * line all allow it; the tags are slots 0 .. qdepth-1. */
	port->qdepth = 0;
	if (port->ncq && (port->host->cap & CAP_SNCQ) && !port->host->noncq && port->lba48)
		port->qdepth = port->ncq_depth < port->nslots ? port->ncq_depth : port->nslots;
	sd_disk_name(d->disk_name, index);
	d->capacity = port->sectors;
	d->fops = &ahci_fops;
	d->private_data = port;
	blk_set_default_limits(&d->limits);
	d->limits.max_hw_sectors = port->lba48 ? 65536 : 256;
	d->limits.max_segments = AHCI_MAX_PRD;
	d->limits.max_segment_size = PRD_MAX_BYTES;
	d->limits.seg_boundary_mask = ~0ULL;
	d->limits.dma_alignment = 1;            /* PRD: 2-byte aligned, even counts */
	char ncq[48] = "";
	if (port->qdepth)
		snprintf(ncq, sizeof(ncq), ", NCQ depth %d", port->qdepth);
	else if (port->ncq)
		snprintf(ncq, sizeof(ncq), ", NCQ off (%s)", port->host->pio ? "ahci_pio: PIO commands" :
			 port->host->noncq ? "ahci_noncq" : "the HBA lacks CAP.SNCQ");
	pr_info("ahci: port %d: %s \"%s\" serial %s, %llu sectors (%llu MiB)%s, %d slots%s\n", port->index,
		d->disk_name, port->model, port->serial, (unsigned long long)port->sectors,
		(unsigned long long)(port->sectors >> 11), port->lba48 ? ", LBA48" : "", port->nslots, ncq);
	add_disk(d);
}
