/*
 * One AHCI port: its DMA engine and link. Firmware may leave a port running
 * with its own command list, so before the driver points the port at its
 * own memory it stops the engine in the order the spec demands: clear ST
 * and wait for CR to drop (the command list engine stopped), then clear FRE
 * and wait for FR (the FIS receive engine stopped). Starting is the reverse.
 */
#include "ahci.h"

int ahci_wait(volatile u8 *regs, u32 off, u32 mask, u32 want, unsigned int ms)
{
	for (unsigned int i = 0; i < ms * 10; i++) {
		if ((readl(regs + off) & mask) == want)
			return 0;
		udelay(100);
	}
	return (readl(regs + off) & mask) == want ? 0 : -ETIMEDOUT;
}

int ahci_port_stop(struct ahci_port *port)
{
	u32 cmd = port_read(port, PxCMD);
	if (cmd & (CMD_ST | CMD_CR)) {
		port_write(port, PxCMD, cmd & ~CMD_ST);
		if (ahci_wait(port->regs, PxCMD, CMD_CR, 0, 500)) {
			pr_err("ahci: port %d: command list engine did not stop (PxCMD %#x)\n",
			       port->index, port_read(port, PxCMD));
			return -ETIMEDOUT;
		}
	}
	cmd = port_read(port, PxCMD);
	if (cmd & (CMD_FRE | CMD_FR)) {
		port_write(port, PxCMD, cmd & ~CMD_FRE);
		if (ahci_wait(port->regs, PxCMD, CMD_FR, 0, 500)) {
			pr_err("ahci: port %d: FIS receive engine did not stop (PxCMD %#x)\n",
			       port->index, port_read(port, PxCMD));
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* COMRESET: hold SCTL.DET at 1 for more than 1 ms, release, wait for the link. */
static int comreset(struct ahci_port *port)
{
	u32 sctl = port_read(port, PxSCTL);
	port_write(port, PxSCTL, (sctl & ~0xfu) | 1);
	mdelay(2);
	port_write(port, PxSCTL, sctl & ~0xfu);
	int err = ahci_wait(port->regs, PxSSTS, 0xf, 3, 1000);
	port_write(port, PxSERR, 0xffffffff);
	return err;
}

int ahci_port_start(struct ahci_port *port)
{
	port_write(port, PxCMD, port_read(port, PxCMD) | CMD_FRE);
	/* ST may be set only while the device is not busy. */
	if (ahci_wait(port->regs, PxTFD, TFD_BSY | TFD_DRQ, 0, 1000)) {
		pr_warn("ahci: port %d: device busy (TFD %#x), COMRESET\n", port->index,
			port_read(port, PxTFD));
		if (comreset(port) || ahci_wait(port->regs, PxTFD, TFD_BSY | TFD_DRQ, 0, 2000))
			return -ETIMEDOUT;
	}
	port_write(port, PxCMD, port_read(port, PxCMD) | CMD_ST);
	return 0;
}

/*
 * A command table (one page: FIS + PRD table) for each of the CAP.NCS
 * slots, only for a port with a disk: 32 slots are 128 KiB per port. With
 * NCQ a slot number is also the command's tag, so more slots is a deeper
 * queue.
 */
int ahci_port_alloc_slots(struct ahci_port *port)
{
	struct device *dev = &port->host->dev;
	port->nslots = CAP_NCS(port->host->cap);
	for (int s = 0; s < port->nslots; s++) {
		port->tables[s] = dma_alloc_coherent(dev, AHCI_CMD_TABLE_SIZE, &port->tables_dma[s], GFP_KERNEL);
		if (!port->tables[s]) {
			pr_err("ahci: port %d: no memory for command table %d\n", port->index, s);
			port->nslots = s;
			return s ? 0 : -ENOMEM;         /* fewer slots still work */
		}
		port->cmd_list[s].ctba = (u32)port->tables_dma[s];
		port->cmd_list[s].ctbau = (u32)(port->tables_dma[s] >> 32);
	}
	return 0;
}

int ahci_port_setup(struct ahci_port *port)
{
	struct device *dev = &port->host->dev;
	if (ahci_port_stop(port))
		return -EIO;
	port->cmd_list = dma_alloc_coherent(dev, 1024, &port->cmd_list_dma, GFP_KERNEL);
	port->rx_fis = dma_alloc_coherent(dev, 256, &port->rx_fis_dma, GFP_KERNEL);
	if (!port->cmd_list || !port->rx_fis)
		return -ENOMEM;
	port_write(port, PxCLB, (u32)port->cmd_list_dma);
	port_write(port, PxCLBU, (u32)(port->cmd_list_dma >> 32));
	port_write(port, PxFB, (u32)port->rx_fis_dma);
	port_write(port, PxFBU, (u32)(port->rx_fis_dma >> 32));
	port_write(port, PxSERR, 0xffffffff);
	port_write(port, PxIS, 0xffffffff);
	port_write(port, PxCMD, port_read(port, PxCMD) | CMD_FRE | CMD_SUD | CMD_POD);

	u32 ssts = port_read(port, PxSSTS);
	if (SSTS_DET(ssts) != 3) {
		port->absent = "no device";
		pr_info("ahci: port %d: no device (SSTS %#x)\n", port->index, ssts);
		return -ENODEV;
	}
	/* The signature arrives with the device's first register FIS. */
	ahci_wait(port->regs, PxTFD, TFD_BSY, 0, 1000);
	u32 sig = port_read(port, PxSIG);
	if (sig != SIG_ATA) {
		port->absent = sig == SIG_ATAPI ? "ATAPI device (CD/DVD)" : sig == SIG_PM ? "port multiplier" :
			       sig == SIG_SEMB ? "enclosure bridge" : "unknown device";
		pr_info("ahci: port %d: %s (signature %#x), skipped\n", port->index, port->absent, sig);
		return -ENODEV;
	}
	int err = ahci_port_alloc_slots(port);
	if (!err)
		err = ahci_port_start(port);
	if (err)
		return err;
	port_write(port, PxIE, IS_DHRS | IS_PSS | IS_DSS | IS_SDBS | IS_DPS | IS_ERRORS);
	port->present = true;
	return 0;
}

/*
 * After an error the port stops processing commands (PxCMD.CR stays set
 * but nothing moves). Recovery per AHCI 6.2.2: stop the engine, clear
 * SERR and IS, COMRESET if the device is still busy (or `reset` asks for
 * it), start again.
 */
int ahci_port_recover(struct ahci_port *port, const char *why, bool reset)
{
	port->recoveries++;
	pr_warn("ahci: port %d: recovering after %s\n", port->index, why);
	ahci_port_stop(port);
	port_write(port, PxSERR, 0xffffffff);
	port_write(port, PxIS, 0xffffffff);
	u32 tfd = port_read(port, PxTFD);
	if (reset || (tfd & (TFD_BSY | TFD_DRQ))) {
		if (!reset)
			pr_warn("ahci: port %d: device still busy (TFD %#x), COMRESET\n", port->index, tfd);
		if (comreset(port)) {
			pr_err("ahci: port %d: no link after COMRESET; port disabled\n", port->index);
			port->present = false;
			return -EIO;
		}
	}
	int err = ahci_port_start(port);
	if (err) {
		pr_err("ahci: port %d: cannot restart after recovery; port disabled\n", port->index);
		port->present = false;
	}
	/* The device's status register keeps ERR until it runs another
	 * command; QEMU reports that stale ERR with the D2H FIS of the next
	 * *queued* command, as if that one had failed. A non-queued command
	 * refreshes the status, so the next command goes without NCQ. */
	port->stale_err = port_read(port, PxTFD) & TFD_ERR;
	return err;
}

const char *ahci_port_state(struct ahci_port *port, char *buf, size_t size)
{
	snprintf(buf, size, "CMD %#x TFD %#x SSTS %#x SERR %#x IS %#x CI %#x", port_read(port, PxCMD),
		 port_read(port, PxTFD), port_read(port, PxSSTS), port_read(port, PxSERR),
		 port_read(port, PxIS), port_read(port, PxCI));
	return buf;
}
