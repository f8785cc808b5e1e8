/*
 * The disk behind a port: IDENTIFY it, register it as sdX, and turn bios
 * into READ/WRITE DMA EXT commands. The block layer has already split each
 * bio to the limits declared here (PRD entries per command, 4 MiB per
 * entry, 65536 sectors per command), so one bio is one command.
 */
#include "ahci.h"
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <asm/processor.h>

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
		port->sectors = port->lba48 ? (u64)id[100] | (u64)id[101] << 16 | (u64)id[102] << 32 |
					      (u64)id[103] << 48
					    : (u64)id[60] | (u64)id[61] << 16;
	}
	kfree(id);
	return err;
}

/* Start bio in a free slot; -EBUSY if none. Interrupts off. */
static int start_bio(struct ahci_port *port, struct bio *bio)
{
	struct device *dev = &port->host->dev;
	int s = -1;
	for (int i = 0; i < AHCI_SLOTS && s < 0; i++)
		if (!(port->busy & (1u << i)))
			s = i;
	if (s < 0)
		return -EBUSY;
	if (bio->bi_op == REQ_OP_FLUSH)
		return ahci_issue(port, ATA_CMD_FLUSH_EXT, 0, 0, port->slot_sg[s], 0, 0, 0,
				  DMA_TO_DEVICE, bio) < 0 ? -EIO : 0;

	enum dma_data_direction dir = bio->bi_op == REQ_OP_WRITE ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct scatterlist *sg = port->slot_sg[s];
	int n = blk_bio_map_sg(bio, sg, AHCI_MAX_PRD, &port->disk.limits);
	int mapped = dma_map_sg(dev, sg, n, dir);
	if (!mapped)
		return -EIO;
	u32 sectors = bio_sectors(bio);
	int r = ahci_issue(port, dir == DMA_TO_DEVICE ? ATA_CMD_WRITE_DMA_EXT : ATA_CMD_READ_DMA_EXT,
			   bio->bi_iter.bi_sector, sectors, sg, n, mapped, bio->bi_iter.bi_size, dir, bio);
	if (r < 0) {
		dma_unmap_sg(dev, sg, n, dir);
		return r;
	}
	return 0;
}

/* Bios wait here while every slot is busy; completions start them. */
static void start_pending(struct ahci_port *port)
{
	while (port->pending_head) {
		struct bio *bio = port->pending_head;
		int err = start_bio(port, bio);
		if (err == -EBUSY)
			return;
		port->pending_head = bio->bi_driver;
		if (!port->pending_head)
			port->pending_tail = NULL;
		if (err) {
			bio->bi_status = err;
			bio_endio(bio);
		}
	}
}

static void ahci_submit_bio(struct bio *bio)
{
	struct ahci_port *port = bio->bi_disk->private_data;
	unsigned long flags = local_irq_save();
	bio->bi_driver = NULL;
	if (port->pending_tail)
		port->pending_tail->bi_driver = bio;
	else
		port->pending_head = bio;
	port->pending_tail = bio;
	start_pending(port);
	local_irq_restore(flags);
	if (port->host->polling) {
		/* No interrupts: drive the port until this bio's command is done. */
		while (port->busy || port->pending_head) {
			flags = local_irq_save();
			ahci_port_interrupt(port);
			start_pending(port);
			local_irq_restore(flags);
			cpu_relax();
		}
	}
}

/* Called after completions (interrupt context) to keep slots busy. */
void ahci_port_kick(struct ahci_port *port)
{
	start_pending(port);
}

static void ahci_describe(struct gendisk *disk, char *buf, size_t size)
{
	struct ahci_port *port = disk->private_data;
	snprintf(buf, size, "AHCI port %d: %s, serial %s, %s%s", port->index, port->model, port->serial,
		 port->lba48 ? "LBA48" : "LBA28", port->ncq ? ", NCQ capable" : "");
}

static const struct block_device_operations ahci_fops = {
	.submit_bio = ahci_submit_bio,
	.describe = ahci_describe,
};

void ahci_register_disk(struct ahci_port *port, int index)
{
	struct gendisk *d = &port->disk;
	for (int s = 0; s < AHCI_SLOTS; s++) {
		port->slot_sg[s] = kcalloc(AHCI_MAX_PRD, sizeof(struct scatterlist), GFP_KERNEL);
		if (!port->slot_sg[s]) {
			pr_err("ahci: port %d: no memory for scatter lists\n", port->index);
			return;
		}
	}
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
	pr_info("ahci: port %d: %s \"%s\" serial %s, %llu sectors (%llu MiB)%s\n", port->index,
		d->disk_name, port->model, port->serial, (unsigned long long)port->sectors,
		(unsigned long long)(port->sectors >> 11), port->lba48 ? ", LBA48" : "");
	add_disk(d);
}
