/*
 * Device handles inside kernel/ipc/ (the contract: <uapi/pagoda/device.h>,
 * <uapi/pagoda/unistd.h> 128-135, docs/drivers-in-user-space.md).
 */
#ifndef KERNEL_IPC_DEVICE_INTERNAL_H
#define KERNEL_IPC_DEVICE_INTERNAL_H

#include <pagoda/ipc.h>
#include <pagoda/pci.h>
#include <pagoda/spinlock.h>
#include <uapi/pagoda/device.h>

/*
 * A HANDLE_TYPE_DEVICE object: the root (pci NULL), which lists and opens
 * functions, or one open PCI function. The object is the function's owner
 * (PCI_OWNER_HANDLE): dup'd and fork-copied handles share it, and its
 * release (the last handle closed, the last system call using it done)
 * stops the device: IRQ unbound, bus mastering off, ownership given back.
 */
struct device_obj {
	struct kobj obj;
	struct pci_dev *pci;            /* NULL: the device root */
	/* The interrupt binding (device_irq.c), under lock (the handler
	 * takes it too). */
	spinlock_t lock;
	int irq;                        /* -1: not bound */
	bool msi;                       /* MSI (masked at its controller) or INTx (masked by INTX_DISABLE) */
	bool masked;                    /* the handler masked it, no ack yet */
	struct kobj *notify;            /* the notification signalled, held */
	unsigned long bits;
};

static inline struct device_obj *to_device_obj(struct kobj *obj)
{
	return container_of(obj, struct device_obj, obj);
}

/* The device h names with need rights, held (kobj_put(&d->obj)): a PCI
 * function (root false) or the root (root true); NULL and *err = -EBADF,
 * -EPERM, or -EINVAL (a root where a function is wanted, or the reverse). */
struct device_obj *device_get(int h, u32 need, bool root, long *err);

/* A handle (RIGHTS_ALL) to PCI function bdf, which now belongs to it,
 * its memory space and bus mastering on: the handle, -ENODEV, -EBUSY,
 * -ENOMEM, -EMFILE. */
int device_open(unsigned int bdf);
/* What device_list says of p. */
void device_describe(const struct pci_dev *p, struct device_info *info);

/* Why bar of a function may not be mapped into a user-space driver, NULL
 * if it may: an I/O or absent BAR, one not starting on a page (its page
 * would hold another device's registers), or one ioremap would refuse
 * (RAM, beyond the page tables' reach). */
const char *device_bar_refusal(const struct pci_bar *bar);

/* device_irq.c: bind d's interrupt to notification n (held: the binding
 * keeps the reference), acknowledge it, and unbind it at release. */
long device_irq_bind(struct device_obj *d, struct kobj *n, unsigned long bits);
long device_irq_ack(struct device_obj *d);
void device_irq_unbind(struct device_obj *d);

#endif
