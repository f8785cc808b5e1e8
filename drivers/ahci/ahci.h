/*
 * AHCI (Serial ATA Advanced Host Controller Interface, rev 1.3.1): the
 * registers and in-memory structures the driver shares between its files.
 *
 * The HBA's registers are memory-mapped at ABAR (PCI BAR5): generic host
 * registers, then 0x80 bytes per port. Each port reads commands from a
 * command list in RAM (32 headers), each header pointing to a command table
 * holding the command FIS and the PRD table -- the scatter-gather list the
 * HBA's DMA engine walks. The device's answers land in the received-FIS area.
 */
#ifndef DRIVERS_AHCI_H
#define DRIVERS_AHCI_H

#include "ahci_os.h"

/* Generic host control */
#define HOST_CAP        0x00
#define HOST_GHC        0x04
#define HOST_IS         0x08
#define HOST_PI         0x0c
#define HOST_VS         0x10
#define HOST_CAP2       0x24
#define HOST_BOHC       0x28

#define CAP_NP(c)       (((c) & 0x1f) + 1)
#define CAP_NCS(c)      ((((c) >> 8) & 0x1f) + 1)
#define CAP_SNCQ        (1u << 30)
#define CAP_S64A        (1u << 31)
#define CAP2_BOH        (1u << 0)
#define GHC_HR          (1u << 0)
#define GHC_IE          (1u << 1)
#define GHC_AE          (1u << 31)
#define BOHC_BOS        (1u << 0)
#define BOHC_OOS        (1u << 1)
#define BOHC_BB         (1u << 4)

/* Port registers, at 0x100 + 0x80 * port */
#define PORT_BASE(p)    (0x100 + 0x80 * (p))
#define PxCLB           0x00
#define PxCLBU          0x04
#define PxFB            0x08
#define PxFBU           0x0c
#define PxIS            0x10
#define PxIE            0x14
#define PxCMD           0x18
#define PxTFD           0x20
#define PxSIG           0x24
#define PxSSTS          0x28
#define PxSCTL          0x2c
#define PxSERR          0x30
#define PxSACT          0x34
#define PxCI            0x38

#define CMD_ST          (1u << 0)
#define CMD_SUD         (1u << 1)
#define CMD_POD         (1u << 2)
#define CMD_FRE         (1u << 4)
#define CMD_FR          (1u << 14)
#define CMD_CR          (1u << 15)

#define IS_DHRS         (1u << 0)       /* device-to-host register FIS */
#define IS_PSS          (1u << 1)       /* PIO setup FIS */
#define IS_DSS          (1u << 2)
#define IS_SDBS         (1u << 3)
#define IS_UFS          (1u << 4)
#define IS_DPS          (1u << 5)       /* a PRD with I set completed */
#define IS_OFS          (1u << 24)      /* overflow */
#define IS_INFS         (1u << 26)
#define IS_IFS          (1u << 27)
#define IS_HBDS         (1u << 28)      /* host bus data error */
#define IS_HBFS         (1u << 29)      /* host bus fatal error */
#define IS_TFES         (1u << 30)      /* task file error: the device said ERR */
#define IS_ERRORS       (IS_UFS | IS_OFS | IS_INFS | IS_IFS | IS_HBDS | IS_HBFS | IS_TFES)

#define TFD_ERR         (1u << 0)
#define TFD_DRQ         (1u << 3)
#define TFD_BSY         (1u << 7)

#define SSTS_DET(s)     ((s) & 0xf)     /* 3: device present, link up */

#define SIG_ATA         0x00000101
#define SIG_ATAPI       0xeb140101
#define SIG_SEMB        0xc33c0101
#define SIG_PM          0x96690101

/* ATA commands */
#define ATA_CMD_IDENTIFY        0xec
#define ATA_CMD_READ_DMA_EXT    0x25
#define ATA_CMD_WRITE_DMA_EXT   0x35
#define ATA_CMD_FLUSH_EXT       0xea
#define ATA_CMD_READ_PIO_EXT    0x24    /* READ SECTORS EXT: PIO data-in */
#define ATA_CMD_WRITE_PIO_EXT   0x34    /* WRITE SECTORS EXT: PIO data-out */
#define ATA_CMD_READ_FPDMA      0x60    /* READ FPDMA QUEUED (NCQ) */
#define ATA_CMD_WRITE_FPDMA     0x61    /* WRITE FPDMA QUEUED (NCQ) */

#define FIS_TYPE_REG_H2D        0x27
#define FIS_REG_H2D_SIZE        20      /* bytes: five dwords */

/* One command header in the command list (32 bytes). */
struct ahci_cmd_hdr {
	u32 opts;               /* CFL (FIS dwords), W, PRDTL in the upper half */
	u32 prdbc;              /* bytes the HBA moved, written back by the HBA */
	u32 ctba, ctbau;        /* command table address, 128-byte aligned */
	u32 reserved[4];
};
#define HDR_CFL(dw)     ((dw) & 0x1f)
#define HDR_WRITE       (1u << 6)
#define HDR_PRDTL(n)    ((u32)(n) << 16)

/* One PRD entry (16 bytes): a physically contiguous piece of the buffer. */
struct ahci_prd {
	u32 dba, dbau;          /* data base address; bit 0 must be 0 */
	u32 reserved;
	u32 flags_dbc;          /* byte count - 1 (bit 0 set: even counts), I bit 31 */
};
#define PRD_MAX_BYTES   (4u << 20)      /* 22-bit count: 4 MiB per entry */
#define PRD_INTR        (1u << 31)

/* A command table: the FIS, then the PRD table. One page per slot. */
#define AHCI_CMD_TABLE_SIZE 4096
#define AHCI_MAX_PRD ((AHCI_CMD_TABLE_SIZE - 0x80) / sizeof(struct ahci_prd))   /* 248 */
struct ahci_cmd_table {
	u8 cfis[64];
	u8 acmd[16];
	u8 reserved[48];
	struct ahci_prd prdt[AHCI_MAX_PRD];
};

/* Command slots in a command list; a port uses CAP.NCS of them. */
#define AHCI_MAX_SLOTS 32

struct ahci_host;

/* An internal command's outcome, filled in by whichever CPU finishes it.
 * Not in the slot: a pending bio may reuse the slot at once. `done` is set
 * when that CPU drops the port's lock (ahci_port_unlock), not when it
 * fails the slot: an error is then followed by the port's recovery under
 * the same lock, and the caller must not go on before it is over. */
struct ahci_waiter {
	volatile bool done;
	int status;
	struct ahci_waiter *next;       /* on the port's done_waiters until then */
};

/* What a command slot carries while in flight. */
struct ahci_slot {
	struct bio *bio;                /* NULL for internal commands */
	struct scatterlist *sg;
	int sg_nents;                   /* entries given to dma_map_sg */
	unsigned int bytes;             /* the request's size: PRDBC must match */
	enum dma_data_direction dir;
	unsigned long issued_jiffies;
	bool queued;                    /* NCQ: tag == slot, completion through PxSACT */
	struct ahci_waiter *waiter;     /* internal commands: told when it finishes */
};

/*
 * Locking: `lock` guards everything below that changes while the port
 * runs (slots, busy/queued, the pending list, counters) and the port's
 * registers while a command is issued, completed or recovered. It is taken
 * with interrupts off (spin_lock_irqsave) by the submit path, by the
 * interrupt handler on whichever CPU the MSI or INTx reaches, by the
 * polling loops, the tick's timeout check and error recovery. Nothing
 * waits for a completion holding it. Bios finished under the lock are
 * collected on the done list and completed (bio_endio) by
 * ahci_port_unlock after the lock is dropped, so a bi_end_io that submits
 * again cannot deadlock, and a CPU halted waiting for them is woken.
 */
struct ahci_port {
	spinlock_t lock;
	struct ahci_host *host;
	struct scatterlist *slot_sg[AHCI_MAX_SLOTS];    /* each AHCI_MAX_PRD entries */
	int index;
	bool present;                   /* a SATA disk answered */
	const char *absent;             /* if not: why ("no device", "ATAPI device (CD/DVD)" ...) */
	volatile u8 *regs;
	struct ahci_cmd_hdr *cmd_list;  /* 32 headers, 1 KiB */
	dma_addr_t cmd_list_dma;
	void *rx_fis;                   /* 256 bytes */
	dma_addr_t rx_fis_dma;
	struct ahci_cmd_table *tables[AHCI_MAX_SLOTS];
	dma_addr_t tables_dma[AHCI_MAX_SLOTS];
	struct ahci_slot slots[AHCI_MAX_SLOTS];
	int nslots;                     /* slots in use: CAP.NCS */
	int qdepth;                     /* NCQ tags in use (0: NCQ off); tags are slots < qdepth */
	u32 busy;                       /* slots we issued and have not completed */
	u32 queued;                     /* the NCQ ones among them (their PxSACT bits) */
	u32 ring;                       /* issued, doorbell not yet rung (ahci_port_unlock) */
	int last_slot;                  /* the slot issued last, for `ahci last` */
	struct bio *pending_head, *pending_tail;  /* waiting for a free slot */
	int retry_noncq;                /* the first n pending bios go without NCQ */
	bool stale_err;                 /* TFD still says ERR after a recovery */
	struct gendisk disk;
	char model[41], serial[21];
	u64 sectors;
	bool lba48, ncq;                /* ncq: the device supports it (IDENTIFY) */
	int ncq_depth;                  /* the device's queue depth (IDENTIFY word 75) */
	unsigned long errors, recoveries, ncq_errors;
	int peak_inflight;              /* most commands in flight at once */
	struct bio *done_head, *done_tail;      /* finished, bio_endio after unlock */
	struct ahci_waiter *done_waiters;       /* finished, told after unlock */
	bool finished;                  /* a slot finished since the lock was taken */
	u32 submit_cpus;                /* CPUs that submitted here: woken after completions */
	unsigned long __percpu *completions;    /* slots finished, by the CPU that finished them */
	unsigned long wakeups;          /* wake IPIs sent to submitters on other CPUs */
};

/*
 * One HBA. The OS side (ahci_os_kernel.c, or ahcid's) fills name, mmio,
 * os and the options, then calls ahci_host_probe.
 */
struct ahci_host {
	char name[16];                  /* the PCI function, "00:1f.2" */
	void *os;                       /* the OS side's own (kernel: the struct pci_dev) */
	volatile u8 *mmio;              /* ABAR, mapped uncached */
	struct device dev;              /* DMA limits: mask from CAP.S64A */
	u32 cap, cap2, pi, version;
	int nports;
	bool polling;
	bool noncq;                     /* ahci_noncq: never queue, even if both sides can */
	bool pio;                       /* ahci_pio: READ/WRITE SECTORS EXT, for comparison */
	bool dma32;                     /* ahci_dma32: a 32-bit DMA mask even with CAP.S64A */
	struct ahci_port ports[32];
};

/* ahci_host.c: take over, reset and start the HBA at host->mmio, set up
 * its ports and interrupt, IDENTIFY and register each disk (sda, sdb ...
 * from *ndisks on). 0 or -EIO. Process context. */
int ahci_host_probe(struct ahci_host *host, int *ndisks);
/* The interrupt's work, on whichever CPU it reaches: false if the HBA had
 * nothing to say (a device sharing the line). */
bool ahci_host_interrupt(struct ahci_host *host);
/* Fail and recover commands that ran past their timeout (the tick). */
void ahci_host_check_timeouts(struct ahci_host *host);

/* ahci_os_kernel.c: host h's IRQ number (-1: none, polling) and whether it is MSI. */
int ahci_host_irq(int h, bool *msi);

/* ahci_port.c */
int ahci_port_stop(struct ahci_port *port);
int ahci_port_start(struct ahci_port *port);
int ahci_port_setup(struct ahci_port *port);
int ahci_port_recover(struct ahci_port *port, const char *why, bool reset);
int ahci_port_alloc_slots(struct ahci_port *port);
const char *ahci_port_state(struct ahci_port *port, char *buf, size_t size);

/* ahci_cmd.c */
int ahci_free_slot(struct ahci_port *port, bool queued);
int ahci_issue(struct ahci_port *port, u8 command, u64 lba, u32 sectors, struct scatterlist *sg,
	       int sg_nents, int mapped, unsigned int bytes, enum dma_data_direction dir, struct bio *bio);
int ahci_exec_internal(struct ahci_port *port, u8 command, u64 lba, u32 sectors, void *buf,
		       unsigned int bytes, enum dma_data_direction dir);
void ahci_port_interrupt(struct ahci_port *port);      /* takes port->lock */
void ahci_port_unlock(struct ahci_port *port, unsigned long flags);
void ahci_complete_later(struct ahci_port *port, struct bio *bio, int status);
void ahci_check_timeouts(struct ahci_port *port);
int ahci_build_prdt(struct ahci_prd *prdt, int max, const struct scatterlist *sg, int n);

/* ahci_disk.c */
void ahci_port_kick(struct ahci_port *port);     /* start bios waiting for a slot; lock held */
void ahci_requeue_front(struct ahci_port *port, struct bio *bio);  /* retry it first, without NCQ */
int ahci_identify(struct ahci_port *port);
void ahci_register_disk(struct ahci_port *port, int index);

/* Register access */
static inline u32 hba_read(struct ahci_host *h, u32 off) { return readl(h->mmio + off); }
static inline void hba_write(struct ahci_host *h, u32 off, u32 v) { writel(v, h->mmio + off); }
static inline u32 port_read(struct ahci_port *p, u32 off) { return readl(p->regs + off); }
static inline void port_write(struct ahci_port *p, u32 off, u32 v) { writel(v, p->regs + off); }

/* Wait up to ms milliseconds for (read(off) & mask) == want. 0 or -ETIMEDOUT. */
int ahci_wait(volatile u8 *regs, u32 off, u32 mask, u32 want, unsigned int ms);

extern struct ahci_host *ahci_hosts[4];
extern int ahci_nhosts;

#endif
