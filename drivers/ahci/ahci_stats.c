/*
 * The read-only view of the AHCI hosts and ports (<pagoda/ahci_stats.h>):
 * snapshots for the monitor, so that nothing outside drivers/ahci/ needs
 * struct ahci_port or the HBA's register layout.
 */
#include <pagoda/ahci_stats.h>
#include <pagoda/string.h>
#include "ahci.h"

static struct ahci_port *get_port(int h, int p)
{
	if (h < 0 || h >= ahci_nhosts || p < 0 || p >= 32 || !(ahci_hosts[h]->pi & (1u << p)))
		return NULL;
	return &ahci_hosts[h]->ports[p];
}

int ahci_host_count(void)
{
	return ahci_nhosts;
}

bool ahci_get_host_info(int h, struct ahci_host_info *info)
{
	if (h < 0 || h >= ahci_nhosts)
		return false;
	struct ahci_host *host = ahci_hosts[h];
	*info = (struct ahci_host_info){ host->cap, host->cap2, host->pi, hba_read(host, HOST_GHC),
					 host->polling, host->noncq };
	return true;
}

bool ahci_get_port_info(int h, int p, struct ahci_port_info *info)
{
	struct ahci_port *port = get_port(h, p);
	if (!port)
		return false;
	memset(info, 0, sizeof(*info));
	info->present = port->present;
	info->absent = port->absent;
	info->disk_name = port->present ? port->disk.disk_name : NULL;
	info->busy = READ_ONCE(port->busy) != 0;
	ahci_port_state(port, info->state, sizeof(info->state));
	info->errors = port->errors;
	info->recoveries = port->recoveries;
	info->ncq_errors = port->ncq_errors;
	info->nslots = port->nslots;
	info->qdepth = port->qdepth;
	info->ncq = port->ncq;
	info->peak_inflight = port->peak_inflight;
	info->sact = port->present ? port_read(port, PxSACT) : 0;
	return true;
}

/* Slot s's header and command table, decoded: what the HBA reads. */
static void slot_cmd(struct ahci_port *port, int s, struct ahci_last_cmd *c)
{
	const struct ahci_cmd_hdr *hdr = &port->cmd_list[s];
	const u8 *f = port->tables[s]->cfis;
	c->slot = s;
	c->header_addr = port->cmd_list_dma + s * sizeof(*hdr);
	c->dw0 = hdr->opts;
	c->prdbc = hdr->prdbc;
	c->cfl = HDR_CFL(hdr->opts);
	c->write = hdr->opts & HDR_WRITE;
	c->prdtl = hdr->opts >> 16;
	c->table_addr = (u64)hdr->ctba | (u64)hdr->ctbau << 32;
	c->fis_type = f[0];
	c->command = f[2];
	c->lba = f[4] | (u64)f[5] << 8 | (u64)f[6] << 16 | (u64)f[8] << 24 | (u64)f[9] << 32 | (u64)f[10] << 40;
	c->ncq = f[2] == ATA_CMD_READ_FPDMA || f[2] == ATA_CMD_WRITE_FPDMA;
	c->count = c->ncq ? f[3] | f[11] << 8 : f[12] | f[13] << 8;     /* NCQ: in features */
	c->tag = c->ncq ? f[12] >> 3 : 0;
}

static bool slot_prd(struct ahci_port *port, int s, unsigned int i, struct ahci_prd_info *prd)
{
	if (i >= AHCI_MAX_PRD || i >= (port->cmd_list[s].opts >> 16))
		return false;
	const struct ahci_prd *e = &port->tables[s]->prdt[i];
	prd->addr = (u64)e->dba | (u64)e->dbau << 32;
	prd->dbc = e->flags_dbc & 0x3fffff;
	prd->intr = e->flags_dbc & PRD_INTR;
	return true;
}

bool ahci_get_last_cmd(int h, int p, struct ahci_last_cmd *c)
{
	struct ahci_port *port = get_port(h, p);
	if (!port || !port->present)
		return false;
	slot_cmd(port, port->last_slot, c);
	return true;
}

bool ahci_get_last_prd(int h, int p, unsigned int i, struct ahci_prd_info *prd)
{
	struct ahci_port *port = get_port(h, p);
	return port && port->present && slot_prd(port, port->last_slot, i, prd);
}

u32 ahci_get_busy(int h, int p)
{
	struct ahci_port *port = get_port(h, p);
	return port && port->present ? READ_ONCE(port->busy) : 0;
}

bool ahci_get_slot_cmd(int h, int p, int slot, struct ahci_last_cmd *c, const struct bio **bio)
{
	struct ahci_port *port = get_port(h, p);
	if (!port || !port->present || slot < 0 || slot >= port->nslots)
		return false;
	slot_cmd(port, slot, c);
	*bio = READ_ONCE(port->slots[slot].bio);
	return true;
}

bool ahci_get_slot_prd(int h, int p, int slot, unsigned int i, struct ahci_prd_info *prd)
{
	struct ahci_port *port = get_port(h, p);
	return port && port->present && slot >= 0 && slot < port->nslots && slot_prd(port, slot, i, prd);
}
