/*
 * Who owns a PCI function (<pagoda/pci.h>): a kernel driver or a
 * user-space driver's device handle, never both. Without this record a
 * user driver could open the controller the kernel's AHCI driver is
 * using, and the two would program the same registers and DMA engines.
 */
#include <pagoda/errno.h>
#include <pagoda/pci.h>
#include <pagoda/spinlock.h>

static DEFINE_SPINLOCK(owner_lock);

int pci_claim(struct pci_dev *d, u8 owner, const char *driver)
{
	unsigned long flags;
	int ret = -EBUSY;
	spin_lock_irqsave(&owner_lock, flags);
	if (d->owner == PCI_OWNER_NONE) {
		d->owner = owner;
		d->driver = driver;
		ret = 0;
	}
	spin_unlock_irqrestore(&owner_lock, flags);
	return ret;
}

void pci_release(struct pci_dev *d)
{
	unsigned long flags;
	spin_lock_irqsave(&owner_lock, flags);
	d->owner = PCI_OWNER_NONE;
	d->driver = NULL;
	spin_unlock_irqrestore(&owner_lock, flags);
}
