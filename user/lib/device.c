/* Device access for user-space drivers (<pagoda_device.h>): one system call each. */
#include "syscall.h"
#include <pagoda_device.h>

int device_list(int root, struct device_info *buf, unsigned int n)
{
	return (int)__syscall_ret(syscall3(__NR_device_list, root, buf, n));
}

int device_open(int root, unsigned int bdf)
{
	return (int)__syscall_ret(syscall2(__NR_device_open, root, bdf));
}

void *device_map_bar(int dev, int bar, void *addr)
{
	return (void *)__syscall_ret(syscall3(__NR_device_map_bar, dev, bar, addr));
}

int device_dma_alloc(int dev, size_t size, int addr_bits)
{
	return (int)__syscall_ret(syscall3(__NR_device_dma_alloc, dev, size, addr_bits));
}

int device_dma_addr(int dev, int mo, unsigned long offset, struct dma_seg *seg)
{
	return (int)__syscall_ret(syscall4(__NR_device_dma_addr, dev, mo, offset, seg));
}

int device_irq_bind(int dev, int notification, unsigned long bits)
{
	return (int)__syscall_ret(syscall3(__NR_device_irq_bind, dev, notification, bits));
}

int device_irq_ack(int dev)
{
	return (int)__syscall_ret(syscall1(__NR_device_irq_ack, dev));
}

long device_config_read(int dev, unsigned int offset, int size)
{
	return __syscall_ret(syscall3(__NR_device_config_read, dev, offset, size));
}
