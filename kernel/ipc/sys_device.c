/*
 * The device system calls (<uapi/pagoda/unistd.h> 128-135; each one's
 * comment there is its spec). The root lists and opens PCI functions; a
 * device handle maps BARs, reads config space and binds the interrupt.
 * The DMA calls are in sys_device_dma.c.
 */
#include <pagoda/errno.h>
#include <pagoda/mm_user.h>
#include <pagoda/sched.h>
#include <pagoda/syscalls.h>
#include <pagoda/uaccess.h>
#include "device_internal.h"

SYSCALL_DEFINE3(device_list, int, root, struct device_info __user *, buf, unsigned int, n)
{
	long err;
	struct device_obj *r = device_get(root, RIGHT_READ, true, &err);
	if (!r)
		return err;
	int count = pci_device_count();
	for (int i = 0; i < count && (unsigned int)i < n && !err; i++) {
		struct device_info info;
		device_describe(pci_get_device_at(i), &info);
		if (copy_to_user(&buf[i], &info, sizeof(info)))
			err = -EFAULT;
	}
	kobj_put(&r->obj);
	return err ? err : count;
}

SYSCALL_DEFINE2(device_open, int, root, unsigned int, bdf)
{
	long err;
	struct device_obj *r = device_get(root, RIGHT_WRITE, true, &err);
	if (!r)
		return err;
	err = device_open(bdf);
	kobj_put(&r->obj);
	return err;
}

SYSCALL_DEFINE3(device_map_bar, int, dev, int, bar, unsigned long, addr)
{
	long err;
	struct device_obj *d = device_get(dev, RIGHT_READ | RIGHT_WRITE, false, &err);
	if (!d)
		return err;
	if (bar < 0 || bar >= DEVICE_BARS || device_bar_refusal(&d->pci->bar[bar])) {
		err = -EINVAL;
	} else {
		const struct pci_bar *b = &d->pci->bar[bar];
		err = (long)vm_map_io(current->mm, addr & PAGE_MASK, b->base, PAGE_ALIGN((unsigned long)b->size),
				      "[device]");
	}
	kobj_put(&d->obj);
	return err;
}

SYSCALL_DEFINE3(device_irq_bind, int, dev, int, notification, unsigned long, bits)
{
	long err;
	struct device_obj *d = device_get(dev, RIGHT_RECEIVE, false, &err);
	if (!d)
		return err;
	struct kobj *n = handle_get(notification, HANDLE_TYPE_NOTIFICATION, RIGHT_SEND, &err);
	if (n) {
		err = device_irq_bind(d, n, bits);
		kobj_put(n);
	}
	kobj_put(&d->obj);
	return err;
}

SYSCALL_DEFINE1(device_irq_ack, int, dev)
{
	long err;
	struct device_obj *d = device_get(dev, RIGHT_RECEIVE, false, &err);
	if (!d)
		return err;
	err = device_irq_ack(d);
	kobj_put(&d->obj);
	return err;
}

SYSCALL_DEFINE3(device_config_read, int, dev, unsigned int, offset, int, size)
{
	long err;
	struct device_obj *d = device_get(dev, RIGHT_READ, false, &err);
	if (!d)
		return err;
	if ((size != 1 && size != 2 && size != 4) || (offset & (unsigned int)(size - 1)) ||
	    offset >= PCI_CFG_SPACE_EXP_SIZE) {
		err = -EINVAL;
	} else {
		/* Extended space reads all ones where only mechanism #1 reaches. */
		u32 v = pci_read_config_ext32(d->pci, (u16)(offset & ~3u)) >> ((offset & 3) * 8);
		err = size == 4 ? (long)v : (long)(v & ((1u << (size * 8)) - 1));
	}
	kobj_put(&d->obj);
	return err;
}
