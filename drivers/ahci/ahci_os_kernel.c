/*
 * The AHCI driver's OS interface in the kernel (ahci_os.h): finding
 * controllers on PCI (class 01:06:01), mapping ABAR with ioremap, the
 * command-line options, the interrupt (MSI or INTx through request_irq),
 * the tick's timeout check, halting for an interrupt and waking other
 * CPUs. Everything else the driver uses is the kernel's own API. The user
 * build's counterpart is user/bin/ahcid/ahci_os_user.c.
 */
#include "ahci.h"
#include <pagoda/blk_backend.h>
#include <pagoda/cmdline.h>
#include <pagoda/init.h>
#include <pagoda/irq.h>
#include <pagoda/pci.h>
#include <asm/processor.h>

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
	return ahci_host_interrupt(data) ? IRQ_HANDLED : IRQ_NONE;
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

static int host_index(struct ahci_host *host)
{
	for (int h = 0; h < ahci_nhosts; h++)
		if (ahci_hosts[h] == host)
			return h;
	return -1;
}

int ahci_os_request_irq(struct ahci_host *host)
{
	struct pci_dev *pci = host->os;
	int h = host_index(host);
	if (!ahci_intx_option) {
		int cpu = cpu_online(ahci_msi_cpu) ? ahci_msi_cpu : 0;
		if (cpu != ahci_msi_cpu)
			pr_warn("ahci: CPU %d is not online; MSI to CPU 0\n", ahci_msi_cpu);
		int irq = pci_enable_msi(pci, cpu);
		if (irq >= 0) {
			if (!request_irq(irq, ahci_interrupt, "ahci-msi", host)) {
				host_irq[h] = irq;
				host_msi[h] = true;
				pr_info("ahci: %s MSI, IRQ %d -> CPU %d\n", host->name, irq, cpu);
				return 0;
			}
			pci_disable_msi(pci, irq);
		}
	}
	int irq = pci_intx_irq(pci->irq_line);
	if (irq < 0 || request_irq(irq, ahci_interrupt, "ahci", host)) {
		pr_warn("ahci: cannot use IRQ %u\n", pci->irq_line);
		return -1;
	}
	host_irq[h] = irq;
	pr_info("ahci: %s INTx, IRQ %d (%s)\n", host->name, irq,
		irq_using_ioapic() ? "I/O APIC, level" : "8259");
	return 0;
}

/* Test with interrupts off, then sti;hlt: the completion interrupt cannot
 * slip in between the test and the halt. */
void ahci_os_wait(struct ahci_host *host, const volatile bool *done)
{
	local_irq_disable();
	if (!*done)
		safe_halt();            /* the AHCI interrupt, a wake IPI or the tick */
	local_irq_enable();
}

static void ahci_wake(void *unused)
{
	(void)unused;                   /* the interrupt itself ends the waiter's hlt */
}

/* The waiters (submit_bio_wait and friends) sleep in hlt until an
 * interrupt: a call-function IPI wakes them, after the completions ran,
 * so each finds its flag set. The IPI does no work. */
void ahci_os_wake_cpus(struct ahci_port *port, u32 cpus)
{
	for (int cpu = 0; cpus; cpu++, cpus >>= 1) {
		if (!(cpus & 1) || !cpu_online(cpu))
			continue;
		__atomic_fetch_add(&port->wakeups, 1, __ATOMIC_RELAXED);
		smp_call_function_single(cpu, ahci_wake, NULL, false);
	}
}

static void ahci_tick(void)
{
	for (int h = 0; h < ahci_nhosts; h++)
		ahci_host_check_timeouts(ahci_hosts[h]);
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
	snprintf(host->name, sizeof(host->name), "%02x:%02x.%x", pci->bus, pci->dev, pci->fn);
	host->os = pci;
	pci_enable_device(pci);
	pci_set_master(pci);
	host->mmio = ioremap(abar->base, abar->size < PAGE_SIZE ? PAGE_SIZE : abar->size);
	if (!host->mmio) {
		kfree(host);
		pci_release(pci);
		return -ENOMEM;
	}
	host->polling = ahci_poll_option;
	host->noncq = ahci_noncq_option;
	host->pio = ahci_pio_option;
	host->dma32 = ahci_dma32_option;
	int err = ahci_host_probe(host, &ahci_ndisks);
	if (err) {
		iounmap(host->mmio);
		kfree(host);
		pci_release(pci);
	}
	return err;
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
