/*
 * Issuing and completing AHCI commands. A command is a slot: its header in
 * the command list says how long the FIS is, which way data flows and how
 * many PRD entries the table holds; the table holds the FIS (the ATA
 * command: READ DMA EXT, LBA, count) and the PRD entries (the DMA-mapped
 * scatter list). Writing the slot's bit to PxCI hands it to the HBA; the
 * bit clears when the command is done, and PxIS says how it went.
 */
#include "ahci.h"
#include <pagoda/errno.h>
#include <pagoda/preempt.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/sprintf.h>
#include <pagoda/time.h>
#include <asm/processor.h>

#define AHCI_TIMEOUT_MS 5000

/* Fill a Register Host-to-Device FIS: the ATA command in a packet. */
static void fill_fis(u8 *fis, u8 command, u64 lba, u32 sectors)
{
	memset(fis, 0, 20);
	fis[0] = FIS_TYPE_REG_H2D;
	fis[1] = 0x80;                          /* C: this FIS carries a command */
	fis[2] = command;
	fis[4] = lba;
	fis[5] = lba >> 8;
	fis[6] = lba >> 16;
	fis[7] = command == ATA_CMD_IDENTIFY ? 0 : 0x40;   /* LBA addressing */
	fis[8] = lba >> 24;
	fis[9] = lba >> 32;
	fis[10] = lba >> 40;
	fis[12] = sectors;                      /* 65536 sectors encode as 0 */
	fis[13] = sectors >> 8;
}

static int free_slot(struct ahci_port *port)
{
	for (int s = 0; s < AHCI_SLOTS; s++)
		if (!(port->busy & (1u << s)))
			return s;
	return -1;
}

/*
 * Put a command in a free slot and start it. sg holds `mapped` DMA
 * segments (dma_map_sg's result for sg_nents entries, unmapped on
 * completion). Returns the slot, -EBUSY when none is free, -EINVAL for a
 * scatter list the PRD table cannot express. Interrupts off.
 */
int ahci_issue(struct ahci_port *port, u8 command, u64 lba, u32 sectors, struct scatterlist *sg,
	       int sg_nents, int mapped, unsigned int bytes, enum dma_data_direction dir, struct bio *bio)
{
	int s = free_slot(port);
	if (s < 0)
		return -EBUSY;
	struct ahci_cmd_table *t = port->tables[s];
	int prds = ahci_build_prdt(t->prdt, AHCI_MAX_PRD, sg, mapped);
	if (prds < 0)
		return prds;
	fill_fis(t->cfis, command, lba, sectors);
	struct ahci_cmd_hdr *h = &port->cmd_list[s];
	h->opts = 5 | (dir == DMA_TO_DEVICE ? HDR_WRITE : 0) | HDR_PRDTL(prds);
	h->prdbc = 0;
	struct ahci_slot *slot = &port->slots[s];
	slot->bio = bio;
	slot->sg = sg;
	slot->sg_nents = sg_nents;
	slot->bytes = bytes;
	slot->dir = dir;
	slot->issued_jiffies = jiffies;
	slot->done = false;
	slot->status = 0;
	port->busy |= 1u << s;
	port->last_slot = s;
	barrier();                              /* the table is written before the doorbell */
	port_write(port, PxCI, 1u << s);
	return s;
}

static void finish_slot(struct ahci_port *port, int s, int status)
{
	struct ahci_slot *slot = &port->slots[s];
	if (!status && port->cmd_list[s].prdbc != slot->bytes) {
		pr_err("ahci: port %d: short transfer in slot %d: PRDBC %u of %u bytes\n", port->index, s,
		       port->cmd_list[s].prdbc, slot->bytes);
		status = -EIO;
	}
	if (slot->sg_nents)
		dma_unmap_sg(&port->host->dev, slot->sg, slot->sg_nents, slot->dir);
	port->busy &= ~(1u << s);
	slot->status = status;
	if (status)
		port->errors++;
	struct bio *bio = slot->bio;
	slot->bio = NULL;
	slot->done = true;
	if (bio) {
		bio->bi_status = status;
		if (bio->bi_op == REQ_OP_WRITE) {
			port->disk.writes++;
			port->disk.sectors_written += bio_sectors(bio);
		} else if (bio->bi_op == REQ_OP_READ) {
			port->disk.reads++;
			port->disk.sectors_read += bio_sectors(bio);
		}
		if (status)
			port->disk.errors++;
		bio_endio(bio);
	}
}

static const char *const ata_error_bits[8] = {
	"AMNF", "TK0NF", "ABRT", "MCR", "IDNF", "MC", "UNC", "ICRC"
};

/* A device or HBA error: report it decoded, fail the slot that caused it,
 * recover the port, and reissue the commands that were merely in flight. */
static void handle_error(struct ahci_port *port, u32 is)
{
	u32 tfd = port_read(port, PxTFD), serr = port_read(port, PxSERR);
	u32 ci = port_read(port, PxCI);
	int culprit = (port_read(port, PxCMD) >> 8) & 0x1f;
	char bits[64] = "";
	size_t n = 0;
	for (int b = 0; b < 8; b++)
		if ((tfd >> 8) & (1u << b))
			n += snprintf(bits + n, sizeof(bits) - n, " %s", ata_error_bits[b]);
	pr_err("ahci: port %d: %s: IS %#x, task file status %#x error %#x (%s), SERR %#x, slot %d\n",
	       port->index, is & IS_TFES ? "device error" : "host bus or interface error", is,
	       tfd & 0xff, (tfd >> 8) & 0xff, n ? bits + 1 : "none", serr, culprit);

	u32 finished = port->busy & ~ci;        /* completed before the error */
	for (int s = 0; s < AHCI_SLOTS; s++)
		if (finished & (1u << s))
			finish_slot(port, s, 0);
	if (!(port->busy & (1u << culprit)))
		culprit = __builtin_ctz(port->busy | (1u << 31));
	if (culprit < AHCI_SLOTS && (port->busy & (1u << culprit)))
		finish_slot(port, culprit, -EIO);
	ahci_port_recover(port, is & IS_TFES ? "a device error" : "an interface error");
	if (port->present && port->busy) {
		for (int s = 0; s < AHCI_SLOTS; s++)
			if (port->busy & (1u << s))
				port->cmd_list[s].prdbc = 0;
		port_write(port, PxCI, port->busy);
	} else {
		for (int s = 0; s < AHCI_SLOTS; s++)
			if (port->busy & (1u << s))
				finish_slot(port, s, -EIO);
	}
}

void ahci_port_interrupt(struct ahci_port *port)
{
	u32 is = port_read(port, PxIS);
	port_write(port, PxIS, is);
	if (is & IS_ERRORS) {
		handle_error(port, is);
		ahci_port_kick(port);
		return;
	}
	u32 done = port->busy & ~port_read(port, PxCI);
	for (int s = 0; s < AHCI_SLOTS; s++)
		if (done & (1u << s))
			finish_slot(port, s, 0);
	ahci_port_kick(port);
}

void ahci_check_timeouts(struct ahci_port *port)
{
	for (int s = 0; s < AHCI_SLOTS; s++) {
		if (!(port->busy & (1u << s)))
			continue;
		if (jiffies - port->slots[s].issued_jiffies < AHCI_TIMEOUT_MS * HZ / 1000)
			continue;
		char state[128];
		pr_err("ahci: port %d: slot %d timed out after %d ms (%s)\n", port->index, s,
		       AHCI_TIMEOUT_MS, ahci_port_state(port, state, sizeof(state)));
		finish_slot(port, s, -ETIMEDOUT);
		ahci_port_recover(port, "a timeout");
		if (port->present && port->busy)
			port_write(port, PxCI, port->busy);
		return;
	}
}

/* Wait for slot s in a process context: sleep between interrupts, or poll
 * the port when the driver runs without interrupts. */
int ahci_wait_slot(struct ahci_port *port, int s)
{
	struct ahci_slot *slot = &port->slots[s];
	u64 deadline = ktime_get_ns() + (u64)AHCI_TIMEOUT_MS * 1000000 + 1000000;
	might_sleep();                  /* halts between interrupts: not in atomic context */
	while (!slot->done) {
		if (port->host->polling) {
			ahci_port_interrupt(port);
			if (!slot->done && ktime_get_ns() > deadline) {
				pr_err("ahci: port %d: slot %d timed out (polling)\n", port->index, s);
				finish_slot(port, s, -ETIMEDOUT);
				ahci_port_recover(port, "a timeout");
			}
			cpu_relax();
		} else {
			local_irq_disable();
			if (!slot->done)
				safe_halt();            /* the AHCI interrupt or the tick wakes us */
			local_irq_enable();
		}
	}
	return slot->status;
}

int ahci_exec_internal(struct ahci_port *port, u8 command, u64 lba, u32 sectors, void *buf,
		       unsigned int bytes, enum dma_data_direction dir)
{
	struct scatterlist sg[1];
	int nents = 0;
	if (!port->present)
		return -ENODEV;
	sg_init_table(sg, 1);
	if (bytes) {
		sg_set_page(&sg[0], virt_to_page(buf), bytes, (unsigned long)buf & (PAGE_SIZE - 1));
		nents = dma_map_sg(&port->host->dev, sg, 1, dir);
		if (!nents)
			return -EIO;
	}
	unsigned long flags = local_irq_save();
	int s = ahci_issue(port, command, lba, sectors, sg, bytes ? 1 : 0, nents, bytes, dir, NULL);
	local_irq_restore(flags);
	if (s < 0) {
		if (bytes)
			dma_unmap_sg(&port->host->dev, sg, 1, dir);
		return s;
	}
	return ahci_wait_slot(port, s);
}
