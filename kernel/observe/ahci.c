/*
 * `ahci [last|inflight]`: each AHCI host's registers and each port's
 * state, errors, recoveries and NCQ use; `last`: the last command of each
 * port as the HBA saw it: header, FIS (with the NCQ tag) and PRD entries;
 * `inflight`: every command issued and not yet completed, with the bio it
 * carries (its sectors and its segments: page, offset, length) beside the
 * PRD entries the driver made of them: a bio "in flight", and why its
 * segments need not be contiguous. Read through <pagoda/ahci_stats.h>.
 */
#include <pagoda/ahci_stats.h>
#include <pagoda/bio.h>
#include <pagoda/bitops.h>
#include <pagoda/mm.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

#define FIS_TYPE_REG_H2D 0x27

static void show_command(int p, const struct ahci_last_cmd *cmd)
{
	struct ahci_last_cmd c = *cmd;
	printk("port %d, slot %d: command header at %#llx\n", p, c.slot, (unsigned long long)c.header_addr);
	printk("  DW0 %08x: CFL %u dwords, %s, PRDTL %u entries\n", c.dw0, c.cfl,
	       c.write ? "write (to device)" : "read (from device)", c.prdtl);
	printk("  DW1 %08x: PRDBC, bytes transferred\n", c.prdbc);
	printk("  DW2-3: command table at %#llx\n", (unsigned long long)c.table_addr);
	printk("  FIS: type %#x, command %#x, LBA %llu, count %u%s", c.fis_type, c.command,
	       (unsigned long long)c.lba, c.count ? c.count : 65536,
	       c.fis_type == FIS_TYPE_REG_H2D ? " (Register H2D)" : "");
	if (c.ncq)
		printk(KERN_CONT ", NCQ tag %u", c.tag);
	printk(KERN_CONT "\n");
}

static void show_prd(unsigned int i, const struct ahci_prd_info *prd)
{
	printk("  PRD[%u]: DBA %#llx, DBC %u (%u bytes)%s\n", i, (unsigned long long)prd->addr, prd->dbc,
	       prd->dbc + 1, prd->intr ? ", I" : "");
}

static void show_last_command(int h, int p)
{
	struct ahci_last_cmd c;
	struct ahci_prd_info prd;
	if (!ahci_get_last_cmd(h, p, &c))
		return;
	show_command(p, &c);
	for (unsigned int i = 0; ahci_get_last_prd(h, p, i, &prd); i++)
		show_prd(i, &prd);
}

static void show_bio(const struct bio *bio)
{
	printk("  bio %s sector %llu, %u bytes, %u segments:", bio->bi_op == REQ_OP_WRITE ? "write" : "read",
	       (unsigned long long)bio->bi_iter.bi_sector, bio->bi_iter.bi_size, bio->bi_vcnt);
	for (unsigned int i = 0; i < bio->bi_vcnt; i++) {
		const struct bio_vec *v = &bio->bi_io_vec[i];
		printk(KERN_CONT " [%#llx +%u, %u]", (unsigned long long)page_to_phys(v->bv_page), v->bv_offset,
		       v->bv_len);
	}
	printk(KERN_CONT "\n");
}

/* Every busy slot of every port: the bio, the command, its PRD entries. */
static void show_inflight(int h, int p)
{
	struct ahci_port_info port;
	u32 busy = ahci_get_busy(h, p);
	if (!ahci_get_port_info(h, p, &port) || !port.present)
		return;
	printk("port %d (%s): %d commands in flight (slots %#x)\n", p, port.disk_name, hweight32(busy), busy);
	for (int s = 0; s < 32; s++) {
		struct ahci_last_cmd c;
		struct ahci_prd_info prd;
		const struct bio *bio;
		if (!(busy & (1u << s)) || !ahci_get_slot_cmd(h, p, s, &c, &bio))
			continue;
		show_command(p, &c);
		if (bio)
			show_bio(bio);
		else
			printk("  the driver's own command (no bio)\n");
		for (unsigned int i = 0; ahci_get_slot_prd(h, p, s, i, &prd); i++)
			show_prd(i, &prd);
	}
}

static void show_host(int h)
{
	struct ahci_host_info host;
	struct ahci_port_info port;
	ahci_get_host_info(h, &host);
	printk("host %d: CAP %#x CAP2 %#x PI %#x GHC %#x, %s\n", h, host.cap, host.cap2, host.pi, host.ghc,
	       host.polling ? "polling" : "interrupts");
	for (int p = 0; p < 32; p++) {
		if (!ahci_get_port_info(h, p, &port))
			continue;
		printk("  port %d: %s%s%s, %s, errors %lu, recoveries %lu\n", p,
		       port.present ? "disk " : port.absent ? port.absent : "not set up",
		       port.present ? port.disk_name : "", port.busy ? " (busy)" : "", port.state, port.errors,
		       port.recoveries);
		if (!port.present)
			continue;
		if (port.qdepth)
			printk("    NCQ in use, queue depth %d; ", port.qdepth);
		else
			printk("    NCQ not in use (%s); ", !port.ncq ? "the disk lacks it" :
			       host.noncq ? "ahci_noncq" : "the HBA lacks CAP.SNCQ");
		printk(KERN_CONT "%d slots, peak %d in flight, NCQ errors %lu, SACT %#x\n", port.nslots,
		       port.peak_inflight, port.ncq_errors, port.sact);
	}
}

static int cmd_ahci(int argc, char **argv)
{
	int hosts = ahci_host_count();
	if (argc == 2 && strcmp(argv[1], "last") && strcmp(argv[1], "inflight")) {
		printk("ahci: '%s': the arguments are 'last' and 'inflight'\n", argv[1]);
		return MON_USAGE;
	}
	if (argc == 2) {
		bool last = !strcmp(argv[1], "last");
		for (int h = 0; h < hosts; h++)
			for (int p = 0; p < 32; p++)
				(last ? show_last_command : show_inflight)(h, p);
		return 0;
	}
	for (int h = 0; h < hosts; h++)
		show_host(h);
	if (!hosts)
		printk("no AHCI controller\n");
	return 0;
}
MONITOR_CMD(ahci, cmd_ahci, "[last|inflight]",
	    "AHCI ports: registers and errors; `last`: the last command's header, FIS and PRDs; `inflight`: the commands in flight with their bios");
