/*
 * Device handles (device_internal.h): the root pid 1 starts with, and open
 * PCI functions. What the kernel promises a driver it does not trust with
 * its memory: it names a device only if no kernel driver owns it and
 * nobody else holds it; and when the last handle goes (a driver that
 * exits or dies) the device stops mastering the bus and its interrupt is
 * unbound, so a dead driver leaves neither DMA nor a screaming line.
 */
#include <pagoda/errno.h>
#include <pagoda/io.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <asm/pgtable.h>
#include "device_internal.h"

static void device_release(struct kobj *obj)
{
	struct device_obj *d = to_device_obj(obj);
	if (d->pci) {
		device_irq_unbind(d);
		u16 cmd = pci_read_config16(d->pci, PCI_COMMAND);
		pci_write_config16(d->pci, PCI_COMMAND, cmd & ~PCI_COMMAND_MASTER);
		pci_release(d->pci);
	}
	kfree(d);
}

static void device_show(struct kobj *obj, char *buf, size_t size)
{
	struct device_obj *d = to_device_obj(obj);
	if (!d->pci)
		snprintf(buf, size, "root");
	else
		snprintf(buf, size, "%02x:%02x.%x irq %d%s", d->pci->bus, d->pci->dev, d->pci->fn,
			 READ_ONCE(d->irq), READ_ONCE(d->masked) ? " masked" : "");
}

static const struct kobj_ops device_ops = {
	.name = "device",
	.release = device_release,
	.show = device_show,
};

static struct device_obj *device_alloc(struct pci_dev *pci)
{
	struct device_obj *d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return NULL;
	kobj_init(&d->obj, HANDLE_TYPE_DEVICE, &device_ops);
	d->pci = pci;
	d->irq = -1;
	spin_lock_init(&d->lock);
	return d;
}

int device_root_create(u32 rights)
{
	struct device_obj *d = device_alloc(NULL);
	if (!d)
		return -ENOMEM;
	return handle_create(&d->obj, rights);
}

struct device_obj *device_get(int h, u32 need, bool root, long *err)
{
	struct kobj *obj = handle_get(h, HANDLE_TYPE_DEVICE, need, err);
	if (!obj)
		return NULL;
	struct device_obj *d = to_device_obj(obj);
	if (!d->pci != root) {
		kobj_put(obj);
		*err = -EINVAL;
		return NULL;
	}
	return d;
}

static unsigned int bdf_of(const struct pci_dev *p)
{
	return (unsigned int)p->bus << 8 | (unsigned int)p->dev << 3 | p->fn;
}

int device_open(unsigned int bdf)
{
	struct pci_dev *pci = NULL;
	for (int i = 0; i < pci_device_count(); i++)
		if (bdf_of(pci_get_device_at(i)) == bdf)
			pci = pci_get_device_at(i);
	if (!pci)
		return -ENODEV;
	if (pci_claim(pci, PCI_OWNER_HANDLE, NULL))
		return -EBUSY;
	struct device_obj *d = device_alloc(pci);
	if (!d) {
		pci_release(pci);
		return -ENOMEM;
	}
	/* Memory decoding for its BARs (I/O ports are not given out) and bus
	 * mastering for its DMA. */
	u16 cmd = pci_read_config16(pci, PCI_COMMAND);
	pci_write_config16(pci, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	return handle_create(&d->obj, RIGHTS_ALL);     /* -EMFILE: the release undoes it all */
}

void device_describe(const struct pci_dev *p, struct device_info *info)
{
	*info = (struct device_info){
		.bdf = bdf_of(p),
		.vendor = p->vendor,
		.device = p->device,
		.class_code = (unsigned int)p->class << 16 | (unsigned int)p->subclass << 8 | p->prog_if,
		.irq = p->irq_pin ? p->irq_line : -1,
		.has_msi = pci_find_capability(p, PCI_CAP_ID_MSI) != 0,
		.owner = READ_ONCE(p->owner),
		.command = pci_read_config16(p, PCI_COMMAND),
	};
	for (int i = 0; i < DEVICE_BARS; i++)
		if (!p->bar[i].io)
			info->bar_size[i] = p->bar[i].size;
	const char *drv = READ_ONCE(p->driver);
	if (drv)
		snprintf(info->driver, sizeof(info->driver), "%s", drv);
}

const char *device_bar_refusal(const struct pci_bar *bar)
{
	if (!bar->size || !bar->base)
		return "no such BAR";
	if (bar->io)
		return "an I/O-port BAR (not mappable)";
	if (bar->base & (PAGE_SIZE - 1))
		return "not page-aligned: its page holds other registers";
	if (bar->base + bar->size > (u64)PTE_ADDR_MASK + PAGE_SIZE)
		return "beyond what this build's page tables can map";
	return ioremap_refusal((phys_addr_t)bar->base, PAGE_ALIGN((unsigned long)bar->size));
}
