/*
 * A device's interrupt as a notification (device_irq_bind, _ack). The
 * kernel cannot know how to quiet a device it does not drive, so at each
 * interrupt it masks the source, signals the driver's notification and
 * leaves the rest to the driver, which clears the device's status and
 * then acks: only then is the source unmasked. A level-triggered line
 * left unmasked would fire again the moment the handler returned.
 *
 * The mask: for MSI, the MSI capability's mask bit through the irq layer
 * (disable_irq_nosync); an MSI without a mask bit is an edge, one message
 * per event, and cannot scream. For INTx, the function's own
 * INTX_DISABLE bit in its command register, not the I/O APIC line: the
 * line may be shared, and masking it would silence the other devices on
 * it until this driver acks. The PCI status register's interrupt bit says
 * whether this function is the one pulling a shared line.
 */
#include <pagoda/errno.h>
#include <pagoda/irq.h>
#include "device_internal.h"

#define PCI_STATUS_INTERRUPT 0x0008

static void intx_set_disabled(struct pci_dev *pci, bool disabled)
{
	u16 cmd = pci_read_config16(pci, PCI_COMMAND);
	cmd = disabled ? cmd | PCI_COMMAND_INTX_DISABLE : cmd & ~PCI_COMMAND_INTX_DISABLE;
	pci_write_config16(pci, PCI_COMMAND, cmd);
}

static irqreturn_t device_interrupt(unsigned int irq, void *data)
{
	struct device_obj *d = data;
	spin_lock(&d->lock);
	if (!d->msi && !(pci_read_config16(d->pci, PCI_STATUS) & PCI_STATUS_INTERRUPT)) {
		spin_unlock(&d->lock);
		return IRQ_NONE;        /* another device on a shared line */
	}
	if (!d->masked) {
		d->masked = true;
		if (d->msi)
			disable_irq_nosync(irq);
		else
			intx_set_disabled(d->pci, true);
	}
	notify_signal_kobj(d->notify, d->bits);
	spin_unlock(&d->lock);
	return IRQ_HANDLED;
}

long device_irq_bind(struct device_obj *d, struct kobj *n, unsigned long bits)
{
	if (!bits || (bits & ~NOTIFY_BITS))
		return -EINVAL;
	unsigned long flags;
	spin_lock_irqsave(&d->lock, flags);
	bool bound = d->notify != NULL;
	if (!bound) {
		/* Claimed before the IRQ is set up, so two binds cannot race. */
		kobj_get(n);
		d->notify = n;
		d->bits = bits;
		d->masked = false;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	if (bound)
		return -EBUSY;

	struct pci_dev *pci = d->pci;
	int irq = pci_enable_msi(pci, 0);
	bool msi = irq >= 0;
	if (!msi) {
		irq = pci->irq_pin ? pci_intx_irq(pci->irq_line) : -1;
		if (irq >= 0)
			intx_set_disabled(pci, false);
	}
	d->msi = msi;
	d->irq = irq;
	if (irq >= 0 && !request_irq(irq, device_interrupt, "udev", d))
		return 0;
	if (msi)
		pci_disable_msi(pci, irq);
	spin_lock_irqsave(&d->lock, flags);
	d->irq = -1;
	d->notify = NULL;
	spin_unlock_irqrestore(&d->lock, flags);
	kobj_put(n);
	return -EINVAL;                 /* no MSI and no routed INTx line */
}

long device_irq_ack(struct device_obj *d)
{
	unsigned long flags;
	long ret = 0;
	spin_lock_irqsave(&d->lock, flags);
	if (d->irq < 0) {
		ret = -EINVAL;
	} else if (d->masked) {
		d->masked = false;
		if (d->msi)
			enable_irq((unsigned int)d->irq);
		else
			intx_set_disabled(d->pci, false);
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return ret;
}

/* The object's release: nobody can bind or ack any more. */
void device_irq_unbind(struct device_obj *d)
{
	if (d->irq < 0)
		return;
	/* Quiet the source first, then take the handler away. */
	unsigned int irq = (unsigned int)d->irq;
	intx_set_disabled(d->pci, true);
	free_irq(irq, d);
	synchronize_irq(irq);           /* a handler still running elsewhere uses d */
	if (d->msi) {
		pci_disable_msi(d->pci, irq);
		intx_set_disabled(d->pci, true);       /* pci_disable_msi gave INTx back */
	}
	d->irq = -1;
	kobj_put(d->notify);
	d->notify = NULL;
}
