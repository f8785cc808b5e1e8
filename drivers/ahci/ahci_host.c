/*
 * Finding and starting AHCI controllers: PCI class 01:06:01, registers at
 * BAR5 (ABAR) mapped uncached with ioremap. Take the controller from the
 * BIOS if it asks to be handed over, reset it, switch it to AHCI mode, set
 * up every implemented port, then IDENTIFY each disk and register it.
 */
#include "ahci.h"
#include <pagoda/init.h>
#include <pagoda/blk_backend.h>
#include <pagoda/cmdline.h>
#include <pagoda/errno.h>
#include <pagoda/io.h>
#include <pagoda/irq.h>
#include <pagoda/printk.h>
#include <pagoda/pci.h>
#include <pagoda/smp.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/time.h>

struct ahci_host *ahci_hosts[4];
int ahci_nhosts;
static int ahci_ndisks;
static bool ahci_poll_option;
CMDLINE_FLAG(ahci_poll, ahci_poll_option, "AHCI without interrupts: the driver polls for completions");

/* Pretend the HBA lacks CAP.S64A: buffers above 4 GiB (PAE, x86_64) then
 * go through bounce buffers, which is what the tests of bouncing need. */
static bool ahci_dma32_option;
CMDLINE_FLAG(ahci_dma32, ahci_dma32_option,
	     "AHCI DMA limited to 32-bit addresses even when CAP.S64A offers 64: pages above 4 GiB bounce");

static bool ahci_noncq_option;
CMDLINE_FLAG(ahci_noncq, ahci_noncq_option,
	     "AHCI without NCQ: READ/WRITE DMA EXT even where the disk and HBA can queue");

static bool ahci_pio_option;
CMDLINE_FLAG(ahci_pio, ahci_pio_option,
	     "AHCI reads and writes as PIO commands (READ/WRITE SECTORS EXT), to compare with DMA");

/*
 * Interrupt routing: MSI when the controller has the capability (QEMU's
 * ich9-ahci does, on q35 and as -device ahci on pc), aimed at CPU
 * `ahci_msi_cpu` (default 0); the handler does the completion work on
 * whichever CPU the interrupt reaches, under each port's lock;
 * otherwise, or with `ahci_intx`, the PCI INTx line the BIOS assigned,
 * through the I/O APIC level-triggered (or the 8259 with noapic).
 */
static bool ahci_intx_option;
static int ahci_msi_cpu;
CMDLINE_FLAG(ahci_intx, ahci_intx_option, "AHCI: use the PCI INTx line (IOAPIC or 8259) even if MSI is available");

static int setup_ahci_msi_cpu(const char *val)
{
	if (!val || val[0] < '0' || val[0] >= '0' + NR_CPUS || val[1]) {
		pr_err("cmdline: ahci_msi_cpu takes a CPU number 0-%d\n", NR_CPUS - 1);
		return -1;
	}
	ahci_msi_cpu = val[0] - '0';
	return 0;
}
CMDLINE_OPTION(ahci_msi_cpu, setup_ahci_msi_cpu, "AHCI: the CPU its MSI interrupt goes to (default 0)");

static irqreturn_t ahci_interrupt(unsigned int irq, void *data)
{
	struct ahci_host *host = data;
	u32 is = hba_read(host, HOST_IS);
	if (!is)
		return IRQ_NONE;                /* a device sharing the line */
	for (int p = 0; p < 32; p++)
		if ((is & (1u << p)) && host->ports[p].present)
			ahci_port_interrupt(&host->ports[p]);
	hba_write(host, HOST_IS, is);           /* after the ports' own IS, as 10.7.2.1 asks */
	return IRQ_HANDLED;
}

static int host_irq[4] = { -1, -1, -1, -1 };
static bool host_msi[4];

int ahci_host_irq(int h, bool *msi)
{
	if (h < 0 || h >= ahci_nhosts)
		return -1;
	*msi = host_msi[h];
	return host_irq[h];
}

static int ahci_setup_irq(struct ahci_host *host, struct pci_dev *pci, int h)
{
	if (!ahci_intx_option) {
		int cpu = cpu_online(ahci_msi_cpu) ? ahci_msi_cpu : 0;
		if (cpu != ahci_msi_cpu)
			pr_warn("ahci: CPU %d is not online; MSI to CPU 0\n", ahci_msi_cpu);
		int irq = pci_enable_msi(pci, cpu);
		if (irq >= 0) {
			if (!request_irq(irq, ahci_interrupt, "ahci-msi", host)) {
				host_irq[h] = irq;
				host_msi[h] = true;
				pr_info("ahci: %02x:%02x.%x MSI, IRQ %d -> CPU %d\n", pci->bus, pci->dev, pci->fn,
					irq, cpu);
				return 0;
			}
			pci_disable_msi(pci, irq);
		}
	}
	int irq = pci_intx_irq(pci->irq_line);
	if (irq < 0 || request_irq(irq, ahci_interrupt, "ahci", host))
		return -1;
	host_irq[h] = irq;
	pr_info("ahci: %02x:%02x.%x INTx, IRQ %d (%s)\n", pci->bus, pci->dev, pci->fn, irq,
		irq_using_ioapic() ? "I/O APIC, level" : "8259");
	return 0;
}

static void ahci_tick(void)
{
	for (int h = 0; h < ahci_nhosts; h++)
		for (int p = 0; p < 32; p++)
			if (ahci_hosts[h]->ports[p].present && READ_ONCE(ahci_hosts[h]->ports[p].busy))
				ahci_check_timeouts(&ahci_hosts[h]->ports[p]);
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

static int ahci_probe(struct pci_dev *pci)
{
	struct pci_bar *abar = &pci->bar[5];
	if (!abar->size || abar->io) {
		pr_err("ahci: %02x:%02x.%x has no memory BAR5\n", pci->bus, pci->dev, pci->fn);
		return -ENODEV;
	}
	/* Ours now: device_open refuses it to user space (-EBUSY). */
	if (pci_claim(pci, PCI_OWNER_KERNEL, "ahci"))
		return -EBUSY;
	struct ahci_host *host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host) {
		pci_release(pci);
		return -ENOMEM;
	}
	host->pci = pci;
	pci_enable_device(pci);
	pci_set_master(pci);
	host->mmio = ioremap(abar->base, abar->size < PAGE_SIZE ? PAGE_SIZE : abar->size);
	if (!host->mmio) {
		kfree(host);
		pci_release(pci);
		return -ENOMEM;
	}
	host->cap2 = hba_read(host, HOST_CAP2);
	bios_handoff(host);
	if (reset_hba(host)) {
		iounmap(host->mmio);
		kfree(host);
		pci_release(pci);
		return -EIO;
	}
	host->cap = hba_read(host, HOST_CAP);
	host->pi = hba_read(host, HOST_PI);
	host->version = hba_read(host, HOST_VS);
	host->polling = ahci_poll_option;
	host->noncq = ahci_noncq_option || ahci_pio_option;
	host->pio = ahci_pio_option;
	host->dev = (struct device){
		.name = "ahci",
		/* 64-bit addresses only when the HBA says it can (CAP.S64A). */
		.dma_mask = (host->cap & CAP_S64A) && !ahci_dma32_option ? DMA_BIT_MASK(64) : DMA_BIT_MASK(32),
		.max_segment_size = PRD_MAX_BYTES,
		.seg_boundary_mask = ~0ULL,
	};
	pr_info("ahci: %02x:%02x.%x AHCI %x.%x, %d ports (implemented %#x), %d slots, %s DMA%s%s, %s\n",
		pci->bus, pci->dev, pci->fn, host->version >> 16, (host->version >> 8) & 0xff,
		CAP_NP(host->cap), host->pi, CAP_NCS(host->cap),
		host->dev.dma_mask == DMA_BIT_MASK(64) ? "64-bit" : "32-bit",
		ahci_dma32_option && (host->cap & CAP_S64A) ? " (ahci_dma32: the HBA could do 64)" : "",
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
		if (ahci_setup_irq(host, pci, ahci_nhosts - 1)) {
			pr_warn("ahci: cannot use IRQ %u; polling\n", pci->irq_line);
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
		ahci_register_disk(port, ahci_ndisks++);
	}
	return 0;
}

void ahci_init(void)
{
	if (blk_user()) {
		pr_info("ahci: blk=user: the kernel driver does not bind; controllers are left to a user-space driver\n");
		return;
	}
	for (struct pci_dev *d = pci_find_class(0x01, 0x06, 0x01, NULL); d && ahci_nhosts < 4;
	     d = pci_find_class(0x01, 0x06, 0x01, d))
		ahci_probe(d);
	if (!ahci_nhosts)
		pr_info("ahci: no AHCI controller (PCI class 01:06:01)\n");
	else
		register_tick_hook(ahci_tick);
}
