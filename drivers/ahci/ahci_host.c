/*
 * Starting an AHCI controller whose registers (ABAR, PCI BAR5) the OS side
 * has mapped uncached: take it from the BIOS if it asks to be handed over,
 * reset it, switch it to AHCI mode, set up every implemented port, route
 * its interrupt, then IDENTIFY each disk and register it. Finding the
 * controller on PCI is the OS side's (ahci_os_kernel.c; ahcid's main.c).
 */
#include "ahci.h"

struct ahci_host *ahci_hosts[4];
int ahci_nhosts;

bool ahci_host_interrupt(struct ahci_host *host)
{
	u32 is = hba_read(host, HOST_IS);
	if (!is)
		return false;                   /* a device sharing the line */
	for (int p = 0; p < 32; p++)
		if ((is & (1u << p)) && host->ports[p].present)
			ahci_port_interrupt(&host->ports[p]);
	hba_write(host, HOST_IS, is);           /* after the ports' own IS, as 10.7.2.1 asks */
	return true;
}

void ahci_host_check_timeouts(struct ahci_host *host)
{
	for (int p = 0; p < 32; p++)
		if (host->ports[p].present && READ_ONCE(host->ports[p].busy))
			ahci_check_timeouts(&host->ports[p]);
}

/* BIOS/OS handoff (AHCI 10.6): ask for ownership, wait for the BIOS to let go. */
static void bios_handoff(struct ahci_host *host)
{
	if (!(host->cap2 & CAP2_BOH))
		return;
	hba_write(host, HOST_BOHC, hba_read(host, HOST_BOHC) | BOHC_OOS);
	if (ahci_wait(host->mmio, HOST_BOHC, BOHC_BOS, 0, 25) == 0 &&
	    !(hba_read(host, HOST_BOHC) & BOHC_BB))
		return;
	/* The BIOS is busy finishing commands: it may take up to 2 s. */
	if (ahci_wait(host->mmio, HOST_BOHC, BOHC_BOS | BOHC_BB, 0, 2000))
		pr_warn("ahci: BIOS did not release the controller; taking it anyway\n");
}

static int reset_hba(struct ahci_host *host)
{
	hba_write(host, HOST_GHC, hba_read(host, HOST_GHC) | GHC_AE);
	hba_write(host, HOST_GHC, hba_read(host, HOST_GHC) | GHC_HR);
	if (ahci_wait(host->mmio, HOST_GHC, GHC_HR, 0, 1000)) {
		pr_err("ahci: HBA reset did not complete\n");
		return -ETIMEDOUT;
	}
	hba_write(host, HOST_GHC, hba_read(host, HOST_GHC) | GHC_AE);
	return 0;
}

int ahci_host_probe(struct ahci_host *host, int *ndisks)
{
	host->cap2 = hba_read(host, HOST_CAP2);
	bios_handoff(host);
	if (reset_hba(host))
		return -EIO;
	host->cap = hba_read(host, HOST_CAP);
	host->pi = hba_read(host, HOST_PI);
	host->version = hba_read(host, HOST_VS);
	if (host->pio)
		host->noncq = true;
	host->dev = (struct device){
		.name = "ahci",
		/* 64-bit addresses only when the HBA says it can (CAP.S64A). */
		.dma_mask = (host->cap & CAP_S64A) && !host->dma32 ? DMA_BIT_MASK(64) : DMA_BIT_MASK(32),
		.max_segment_size = PRD_MAX_BYTES,
		.seg_boundary_mask = ~0ULL,
	};
	pr_info("ahci: %s AHCI %x.%x, %d ports (implemented %#x), %d slots, %s DMA%s%s, %s\n",
		host->name, host->version >> 16, (host->version >> 8) & 0xff,
		CAP_NP(host->cap), host->pi, CAP_NCS(host->cap),
		host->dev.dma_mask == DMA_BIT_MASK(64) ? "64-bit" : "32-bit",
		host->dma32 && (host->cap & CAP_S64A) ? " (ahci_dma32: the HBA could do 64)" : "",
		host->cap & CAP_SNCQ ? ", NCQ" : "", host->polling ? "polling" : "interrupts");

	ahci_hosts[ahci_nhosts++] = host;
	for (int p = 0; p < 32; p++) {
		if (!(host->pi & (1u << p)))
			continue;
		struct ahci_port *port = &host->ports[p];
		port->completions = alloc_percpu(unsigned long);
		if (!port->completions) {
			pr_err("ahci: port %d: no per-CPU counters; port not used\n", p);
			continue;
		}
		spin_lock_init(&port->lock);
		port->host = host;
		port->index = p;
		port->regs = host->mmio + PORT_BASE(p);
		ahci_port_setup(port);
	}
	if (!host->polling) {
		if (ahci_os_request_irq(host)) {
			pr_warn("ahci: %s: no interrupt; polling\n", host->name);
			host->polling = true;
		} else {
			hba_write(host, HOST_GHC, hba_read(host, HOST_GHC) | GHC_IE);
		}
	}
	for (int p = 0; p < 32; p++) {
		struct ahci_port *port = &host->ports[p];
		if (!port->present)
			continue;
		int err = ahci_identify(port);
		if (err) {
			pr_err("ahci: port %d: IDENTIFY failed (%s)\n", p, errname(err));
			continue;
		}
		ahci_register_disk(port, (*ndisks)++);
	}
	return 0;
}
