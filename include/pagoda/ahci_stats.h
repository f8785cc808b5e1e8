/*
 * Looking at the AHCI driver without touching it: each host's registers,
 * each port's state and counters, and the last command a port issued as
 * the HBA saw it (the `ahci` monitor command). Snapshots, read without the
 * port lock: a busy port may have moved on by the time they print.
 * Process context (the registers are read over MMIO).
 */
#ifndef PAGODA_AHCI_STATS_H
#define PAGODA_AHCI_STATS_H

#include <pagoda/types.h>

struct ahci_host_info {
	u32 cap, cap2, pi, ghc;         /* the HBA's CAP, CAP2, PI (ports implemented), GHC */
	bool polling;                   /* no interrupt line: completions are polled */
	bool noncq;                     /* ahci_noncq */
};

struct ahci_port_info {
	bool present;                   /* a SATA disk answered */
	const char *absent;             /* if not: why; NULL if the port was never set up */
	const char *disk_name;          /* "sda" ... when present */
	bool busy;                      /* commands in flight */
	char state[128];                /* the port registers decoded (PxSSTS, PxTFD, PxCMD) */
	unsigned long errors, recoveries, ncq_errors;
	int nslots;                     /* command slots (CAP.NCS) */
	int qdepth;                     /* NCQ tags in use; 0: NCQ off */
	bool ncq;                       /* the disk supports NCQ */
	int peak_inflight;              /* most commands in flight at once */
	u32 sact;                       /* PxSACT now */
};

/* The last command a port issued: its header, FIS and PRD count, decoded. */
struct ahci_last_cmd {
	int slot;
	u64 header_addr;                /* bus address of its command header */
	u32 dw0, prdbc;                 /* header DW0 and DW1 (bytes transferred) */
	unsigned int cfl;               /* command FIS length, dwords */
	bool write;                     /* to the device */
	unsigned int prdtl;             /* PRD entries */
	u64 table_addr;                 /* bus address of the command table */
	u8 fis_type, command;
	u64 lba;
	unsigned int count;             /* sectors (0 means 65536) */
	bool ncq;
	unsigned int tag;               /* NCQ tag, if ncq */
};

struct ahci_prd_info {
	u64 addr;                       /* DBA */
	u32 dbc;                        /* the DBC field: bytes - 1 */
	bool intr;                      /* I: interrupt on completion */
};

/* Hosts found, numbered from 0. */
int ahci_host_count(void);
/* Host h's registers; false if there is no host h. */
bool ahci_get_host_info(int h, struct ahci_host_info *info);
/* Port p (0-31) of host h; false unless the host implements it (PI). */
bool ahci_get_port_info(int h, int p, struct ahci_port_info *info);
/* The last command of port p; false unless a disk is present there.
 * PRD entry i of that command (i < prdtl); false past the table. */
bool ahci_get_last_cmd(int h, int p, struct ahci_last_cmd *cmd);
bool ahci_get_last_prd(int h, int p, unsigned int i, struct ahci_prd_info *prd);

/* What is in flight now (`ahci inflight`, the seed question's "in flight"):
 * the mask of slots issued and not completed; a busy slot's command,
 * decoded as above, with the bio it carries (*bio NULL: the driver's own
 * command, e.g. IDENTIFY); PRD entry i of slot's command table. A slot
 * may complete while it is read: the bio is only to be printed, at once,
 * and the caller should hold completions back (or accept a stale view). */
struct bio;
u32 ahci_get_busy(int h, int p);
bool ahci_get_slot_cmd(int h, int p, int slot, struct ahci_last_cmd *cmd, const struct bio **bio);
bool ahci_get_slot_prd(int h, int p, int slot, unsigned int i, struct ahci_prd_info *prd);

#endif
