/*
 * Issuing and completing AHCI commands. A command is a slot: its header in
 * the command list says how long the FIS is, which way data flows and how
 * many PRD entries the table holds; the table holds the FIS (the ATA
 * command: READ DMA EXT, LBA, count) and the PRD entries (the DMA-mapped
 * scatter list). Writing the slot's bit to PxCI hands it to the HBA; the
 * bit clears when the command is done, and PxIS says how it went.
 *
 * Native Command Queuing (NCQ): READ/WRITE FPDMA QUEUED carry a tag (the
 * slot number) and the driver also sets the slot's bit in PxSACT. PxCI
 * clears as soon as the device has *accepted* the command; the device then
 * runs up to 32 of them in the order it likes and reports completions in
 * Set Device Bits FISes, which clear PxSACT bits. So a slot is done when its
 * bit is clear in both PxCI and PxSACT. Queued and non-queued commands
 * never mix: a non-queued command (FLUSH, IDENTIFY) waits for the queue to
 * drain, and nothing is queued while one runs.
 */
#include "ahci.h"

#define AHCI_TIMEOUT_MS 5000

static bool is_queued(u8 command)
{
	return command == ATA_CMD_READ_FPDMA || command == ATA_CMD_WRITE_FPDMA;
}

/* Fill a Register Host-to-Device FIS: the ATA command in a packet. A queued
 * command moves the sector count to the features field and puts its tag
 * in bits 7:3 of the count field. */
static void fill_fis(u8 *fis, u8 command, u64 lba, u32 sectors, int tag)
{
	memset(fis, 0, FIS_REG_H2D_SIZE);
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
	if (is_queued(command)) {
		fis[3] = sectors;               /* 65536 sectors encode as 0 */
		fis[11] = sectors >> 8;
		fis[12] = tag << 3;
	} else {
		fis[12] = sectors;
		fis[13] = sectors >> 8;
	}
}

/*
 * A slot a command may use now, or -1. Queued and non-queued commands do
 * not mix on the link (SATA: a non-queued command while NCQ commands are
 * outstanding is an error), and a queued command's tag must be below the
 * queue depth. Non-queued commands go one at a time, as in Linux's libata:
 * the device runs them one at a time anyway, and a second one waiting in
 * PxCI when the first fails may already have been started by the HBA by
 * the time the driver stops the engine (QEMU 7.2 crashes on that).
 */
int ahci_free_slot(struct ahci_port *port, bool queued)
{
	if (queued ? port->busy & ~port->queued : port->busy)
		return -1;
	for (int s = 0; s < (queued ? port->qdepth : port->nslots); s++)
		if (!(port->busy & (1u << s)))
			return s;
	return -1;
}

/*
 * Put a command in a free slot; ahci_port_unlock starts it. sg holds `mapped` DMA
 * segments (dma_map_sg's result for sg_nents entries, unmapped on
 * completion). Returns the slot, -EBUSY when none is free, -EINVAL for a
 * scatter list the PRD table cannot express. port->lock held.
 */
int ahci_issue(struct ahci_port *port, u8 command, u64 lba, u32 sectors, struct scatterlist *sg,
	       int sg_nents, int mapped, unsigned int bytes, enum dma_data_direction dir, struct bio *bio)
{
	bool queued = is_queued(command);
	int s = ahci_free_slot(port, queued);
	if (s < 0)
		return -EBUSY;
	struct ahci_cmd_table *t = port->tables[s];
	int prds = ahci_build_prdt(t->prdt, AHCI_MAX_PRD, sg, mapped);
	if (prds < 0)
		return prds;
	fill_fis(t->cfis, command, lba, sectors, s);
	struct ahci_cmd_hdr *h = &port->cmd_list[s];
	h->opts = HDR_CFL(FIS_REG_H2D_SIZE / 4) | (dir == DMA_TO_DEVICE ? HDR_WRITE : 0) | HDR_PRDTL(prds);
	h->prdbc = 0;
	struct ahci_slot *slot = &port->slots[s];
	slot->bio = bio;
	slot->sg = sg;
	slot->sg_nents = sg_nents;
	slot->bytes = bytes;
	slot->dir = dir;
	slot->issued_jiffies = jiffies;
	slot->queued = queued;
	if (!queued)
		port->stale_err = false;
	slot->waiter = NULL;
	port->busy |= 1u << s;
	port->last_slot = s;
	int inflight = hweight32(port->busy);
	if (inflight > port->peak_inflight)
		port->peak_inflight = inflight;
	if (queued)
		port->queued |= 1u << s;
	port->ring |= 1u << s;                  /* rung by ahci_port_unlock */
	return s;
}

/* Hand the HBA every command issued since the lock was taken, with one
 * write (two with NCQ) however many: each register write is a trip out of
 * the guest under emulation. port->lock held. */
static void ring_doorbell(struct ahci_port *port)
{
	u32 ring = port->ring;
	if (!ring)
		return;
	port->ring = 0;
	barrier();                              /* the tables are written before the doorbell */
	if (ring & port->queued)
		port_write(port, PxSACT, ring & port->queued);  /* PxSACT before PxCI, as AHCI asks */
	port_write(port, PxCI, ring);
}

/* Queue bio for bio_endio once port->lock is dropped (ahci_port_unlock). */
void ahci_complete_later(struct ahci_port *port, struct bio *bio, int status)
{
	bio->bi_status = status;
	bio->bi_driver = NULL;
	if (port->done_tail)
		port->done_tail->bi_driver = bio;
	else
		port->done_head = bio;
	port->done_tail = bio;
	port->finished = true;
}

/*
 * Ring the doorbell for the commands issued under port->lock, drop it
 * (taken with spin_lock_irqsave(&port->lock, flags)), then complete the
 * bios finished under it. Their submitters (or the waiter of
 * an internal command, which has no bio) may be halted on
 * other CPUs, waiting for exactly this: the OS wakes them
 * (ahci_os_wake_cpus) after the callbacks ran, so the waiter finds its
 * flag set. The completion itself was done here, on the CPU that took the
 * interrupt.
 */
void ahci_port_unlock(struct ahci_port *port, unsigned long flags)
{
	struct bio *bio = port->done_head;
	struct ahci_waiter *w = port->done_waiters;
	int me = smp_processor_id();
	u32 wake = port->finished ? port->submit_cpus & ~(1u << me) : 0;
	port->done_head = port->done_tail = NULL;
	port->done_waiters = NULL;
	port->finished = false;
	ring_doorbell(port);
	spin_unlock(&port->lock);
	while (bio) {
		struct bio *next = bio->bi_driver;
		bio_endio(bio);
		bio = next;
	}
	while (w) {
		struct ahci_waiter *next = w->next;     /* w may be gone once done is set */
		WRITE_ONCE(w->done, true);
		w = next;
	}
	if (wake)
		ahci_os_wake_cpus(port, wake);
	local_irq_restore(flags);
}

/* port->lock held. */
static void finish_slot(struct ahci_port *port, int s, int status)
{
	struct ahci_slot *slot = &port->slots[s];
	/* Checked for non-queued commands only: QEMU leaves PRDBC 0 for
	 * queued ones, whose data moves under DMA Setup FISes. */
	if (!status && !slot->queued && port->cmd_list[s].prdbc != slot->bytes) {
		pr_err("ahci: port %d: short transfer in slot %d: PRDBC %u of %u bytes\n", port->index, s,
		       port->cmd_list[s].prdbc, slot->bytes);
		status = -EIO;
	}
	if (slot->sg_nents)
		dma_unmap_sg(&port->host->dev, slot->sg, slot->sg_nents, slot->dir);
	port->busy &= ~(1u << s);
	port->queued &= ~(1u << s);
	(*this_cpu_ptr(port->completions))++;
	port->finished = true;          /* an internal command's waiter needs waking too */
	if (status)
		port->errors++;
	struct bio *bio = slot->bio;
	slot->bio = NULL;
	if (slot->waiter) {
		slot->waiter->status = status;
		slot->waiter->next = port->done_waiters;
		port->done_waiters = slot->waiter;
		slot->waiter = NULL;
	}
	if (bio) {
		if (bio->bi_op == REQ_OP_WRITE) {
			port->disk.writes++;
			port->disk.sectors_written += bio_sectors(bio);
		} else if (bio->bi_op == REQ_OP_READ) {
			port->disk.reads++;
			port->disk.sectors_read += bio_sectors(bio);
		}
		if (status)
			port->disk.errors++;
		ahci_complete_later(port, bio, status);
	}
}

static const char *const ata_error_bits[8] = {
	"AMNF", "TK0NF", "ABRT", "MCR", "IDNF", "MC", "UNC", "ICRC"
};

/* After a port restart: hand the HBA again the commands that were merely
 * in flight (queued ones get their PxSACT bits back first). */
static void reissue_busy(struct ahci_port *port)
{
	if (!port->busy)
		return;
	for (int s = 0; s < port->nslots; s++)
		if (port->busy & (1u << s))
			port->cmd_list[s].prdbc = 0;
	if (port->queued)
		port_write(port, PxSACT, port->queued);
	port_write(port, PxCI, port->busy);
}

/* Take slot s's bio back from the HBA, to be reissued later without NCQ. */
static void requeue_slot(struct ahci_port *port, int s)
{
	struct ahci_slot *slot = &port->slots[s];
	if (slot->sg_nents)
		dma_unmap_sg(&port->host->dev, slot->sg, slot->sg_nents, slot->dir);
	port->busy &= ~(1u << s);
	port->queued &= ~(1u << s);
	struct bio *bio = slot->bio;
	slot->bio = NULL;
	ahci_requeue_front(port, bio);
}

/*
 * An error while NCQ commands were outstanding. The device reports it in
 * a Set Device Bits FIS (ERR in the status, TFES in PxIS) and does not say
 * which tag failed: the standard way to learn that is READ LOG EXT page
 * 10h, which QEMU's disk does not implement. So the driver isolates the
 * failure itself: the commands whose PxSACT bits cleared succeeded; after
 * a port recovery every command still outstanding is issued again
 * *without* NCQ, and the one that was bad fails on its own, with its own
 * task-file status, through the non-queued path below.
 *
 * The recovery includes a COMRESET. A real disk aborts its whole queue
 * after an NCQ error; QEMU's keeps working on the other tags, and one it
 * finishes after the restart would complete whatever command the driver
 * has put in that slot since (or make QEMU drop the new command as a
 * duplicate tag). The reset cancels them all in the device.
 */
/*
 * A real device aborts every outstanding command after an NCQ error; QEMU
 * lets the others run on, and stopping the engine under a command still
 * moving data is unsafe there. Wait (at most 100 ms) until PxSACT/PxCI
 * have not changed for 5 ms, and return them.
 */
static u32 wait_queue_settled(struct ahci_port *port)
{
	u32 last = port_read(port, PxSACT) | port_read(port, PxCI);
	for (int i = 0, same = 0; i < 200 && same < 10; i++) {
		udelay(500);
		u32 now = port_read(port, PxSACT) | port_read(port, PxCI);
		same = now == last ? same + 1 : 0;
		last = now;
	}
	return last;
}

static void handle_ncq_error(struct ahci_port *port, u32 is, u32 tfd, u32 serr)
{
	u32 outstanding = wait_queue_settled(port);
	u32 finished = port->busy & ~outstanding;
	port->ncq_errors++;
	pr_err("ahci: port %d: NCQ error: IS %#x, task file status %#x error %#x, SERR %#x, "
	       "tags outstanding %#x\n", port->index, is, tfd & 0xff, (tfd >> 8) & 0xff, serr,
	       port->busy & outstanding);
	for (int s = 0; s < port->nslots; s++)
		if (finished & (1u << s))
			finish_slot(port, s, 0);
	ahci_port_recover(port, "an NCQ error", true);
	int n = 0;
	for (int s = port->nslots - 1; s >= 0; s--) {
		if (!(port->busy & (1u << s)))
			continue;
		if (port->present && port->slots[s].bio) {
			requeue_slot(port, s);
			n++;
		} else {
			finish_slot(port, s, -EIO);
		}
	}
	if (n)
		pr_warn("ahci: port %d: retrying %d command%s without NCQ to find the failed one\n",
			port->index, n, n == 1 ? "" : "s");
}

/* A device or HBA error: report it decoded, fail the slot that caused it,
 * recover the port, and reissue the commands that were merely in flight. */
static void handle_error(struct ahci_port *port, u32 is)
{
	u32 tfd = port_read(port, PxTFD), serr = port_read(port, PxSERR);
	if (port->queued) {
		handle_ncq_error(port, is, tfd, serr);
		return;
	}
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
	for (int s = 0; s < port->nslots; s++)
		if (finished & (1u << s))
			finish_slot(port, s, 0);
	if (!(port->busy & (1u << culprit)))
		culprit = __builtin_ctz(port->busy | (1u << 31));
	if (culprit < port->nslots && (port->busy & (1u << culprit)))
		finish_slot(port, culprit, -EIO);
	ahci_port_recover(port, is & IS_TFES ? "a device error" : "an interface error", false);
	if (port->present) {
		reissue_busy(port);
	} else {
		for (int s = 0; s < port->nslots; s++)
			if (port->busy & (1u << s))
				finish_slot(port, s, -EIO);
	}
}

/* Where the HBA copies the last Set Device Bits FIS it received (AHCI
 * 4.2.1): byte 2 is the device's status, with ERR. */
#define RX_FIS_SDB 0x58

/*
 * Every register read here is a trip out of the guest under emulation
 * (and a bus round trip on hardware), so the interrupt reads what it must:
 * PxIS; for queued commands PxSACT alone (a queued slot's PxCI bit clears
 * when the device accepts it, before its PxSACT bit can), for a non-queued
 * one PxCI alone (the two kinds never mix, ahci_free_slot); and the status
 * of an NCQ completion from the SDB FIS in memory, not from PxTFD.
 */
static void port_interrupt_locked(struct ahci_port *port)
{
	u32 is = port_read(port, PxIS);
	port_write(port, PxIS, is);
	/* An NCQ error arrives in a Set Device Bits FIS with ERR set; older
	 * QEMUs raise only SDBS for it, not TFES, so look at its status too. */
	bool ncq_err = port->queued && (is & IS_SDBS) &&
		       (READ_ONCE(((volatile u8 *)port->rx_fis)[RX_FIS_SDB + 2]) & TFD_ERR);
	if ((is & IS_ERRORS) || ncq_err) {
		handle_error(port, is);
		ahci_port_kick(port);
		return;
	}
	u32 active = port->queued ? port_read(port, PxSACT) : port->busy ? port_read(port, PxCI) : 0;
	u32 done = port->busy & ~active;
	for (int s = 0; s < port->nslots; s++)
		if (done & (1u << s))
			finish_slot(port, s, 0);
	ahci_port_kick(port);
}

/* The interrupt handler (on any CPU) and the polling loops. */
void ahci_port_interrupt(struct ahci_port *port)
{
	unsigned long flags;
	spin_lock_irqsave(&port->lock, flags);
	port_interrupt_locked(port);
	ahci_port_unlock(port, flags);
}

static void check_timeouts_locked(struct ahci_port *port)
{
	for (int s = 0; s < port->nslots; s++) {
		if (!(port->busy & (1u << s)))
			continue;
		if (jiffies - port->slots[s].issued_jiffies < AHCI_TIMEOUT_MS * HZ / 1000)
			continue;
		char state[128];
		pr_err("ahci: port %d: slot %d timed out after %d ms (%s)\n", port->index, s,
		       AHCI_TIMEOUT_MS, ahci_port_state(port, state, sizeof(state)));
		finish_slot(port, s, -ETIMEDOUT);
		ahci_port_recover(port, "a timeout", false);
		if (port->present)
			reissue_busy(port);
		return;
	}
}

/* From the tick, on CPU 0, while an interrupt may be finishing slots elsewhere. */
void ahci_check_timeouts(struct ahci_port *port)
{
	unsigned long flags;
	spin_lock_irqsave(&port->lock, flags);
	check_timeouts_locked(port);
	ahci_port_unlock(port, flags);
}

/*
 * Wait for internal command s in a process context, without the port
 * lock: wait for interrupts (ahci_os_wait) -- in the kernel the completion
 * may run on another CPU, which then wakes this one -- or poll the port
 * when the driver runs without interrupts. The timeout re-checks under the lock, as an
 * interrupt may have finished the command meanwhile.
 */
static int wait_internal(struct ahci_port *port, int s, struct ahci_waiter *w)
{
	u64 deadline = ktime_get_ns() + (u64)AHCI_TIMEOUT_MS * 1000000 + 1000000;
	might_sleep();                  /* halts between interrupts: not in atomic context */
	while (!READ_ONCE(w->done)) {
		if (port->host->polling) {
			ahci_port_interrupt(port);
			if (!READ_ONCE(w->done) && ktime_get_ns() > deadline) {
				unsigned long flags;
				spin_lock_irqsave(&port->lock, flags);
				/* Still this command in slot s? (done is set only after
				 * the unlock of whoever finished it, so it may lag.) */
				if (port->slots[s].waiter == w) {
					pr_err("ahci: port %d: slot %d timed out (polling)\n", port->index, s);
					finish_slot(port, s, -ETIMEDOUT);
					ahci_port_recover(port, "a timeout", false);
				}
				ahci_port_unlock(port, flags);
			}
			cpu_relax();
		} else {
			ahci_os_wait(port->host, &w->done);
		}
	}
	return w->status;
}

/*
 * buf (kmalloc memory) is mapped with dma_map_single, which in ahcid is a
 * bounce through the server's DMA memory (its heap has no bus address):
 * the slot gets the one DMA segment, already mapped (sg_nents 0: finish_slot
 * leaves the unmapping to us).
 */
int ahci_exec_internal(struct ahci_port *port, u8 command, u64 lba, u32 sectors, void *buf,
		       unsigned int bytes, enum dma_data_direction dir)
{
	struct device *dev = &port->host->dev;
	struct scatterlist sg[1];
	int nents = 0;
	if (!port->present)
		return -ENODEV;
	sg_init_table(sg, 1);
	if (bytes) {
		dma_addr_t a = dma_map_single(dev, buf, bytes, dir);
		if (dma_mapping_error(dev, a))
			return -EIO;
		sg_dma_address(&sg[0]) = a;
		sg_dma_len(&sg[0]) = bytes;
		nents = 1;
	}
	/* A non-queued command waits for the NCQ commands to drain. */
	u64 deadline = ktime_get_ns() + (u64)AHCI_TIMEOUT_MS * 1000000;
	struct ahci_waiter w = { .done = false };
	int s;
	for (;;) {
		unsigned long flags;
		spin_lock_irqsave(&port->lock, flags);
		s = ahci_issue(port, command, lba, sectors, sg, 0, nents, bytes, dir, NULL);
		if (s >= 0) {
			port->slots[s].waiter = &w;
			port->submit_cpus |= 1u << smp_processor_id();
		}
		ahci_port_unlock(port, flags);
		if (s != -EBUSY || ktime_get_ns() > deadline)
			break;
		if (port->host->polling)
			ahci_port_interrupt(port);
		cpu_relax();
	}
	int err = s < 0 ? s : wait_internal(port, s, &w);
	if (bytes)
		dma_unmap_single(dev, sg_dma_address(&sg[0]), bytes, dir);
	return err;
}
