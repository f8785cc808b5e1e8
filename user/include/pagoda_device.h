/*
 * Device access for user-space drivers (docs/drivers-in-user-space.md; the
 * contract: <pagoda/device.h> and <pagoda/unistd.h> 128-135). Each
 * function returns 0 (or a handle, an address, a value) on success, -1
 * with errno on an error, like the rest of the library.
 *
 * A driver's start:
 *
 *     int dev = device_open(root, bdf);            // from init, really
 *     volatile u32 *regs = device_map_bar(dev, 5, 0);
 *     int n = notify_create();
 *     device_irq_bind(dev, n, 1);
 *     int mo = device_dma_alloc(dev, 4096, 32);    // a command list
 *     struct dma_seg seg;
 *     device_dma_addr(dev, mo, 0, &seg);           // what the device is told
 *     for (;;) { notify_wait(n, IPC_FOREVER); ...; device_irq_ack(dev); }
 */
#ifndef _PAGODA_DEVICE_USER_H
#define _PAGODA_DEVICE_USER_H

#include <stddef.h>
#include <pagoda/device.h>

int device_list(int root, struct device_info *buf, unsigned int n);
int device_open(int root, unsigned int bdf);
/* The address of the mapping, or (void *)-1 (MAP_FAILED) with errno. */
void *device_map_bar(int dev, int bar, void *addr);
int device_dma_alloc(int dev, size_t size, int addr_bits);
int device_dma_addr(int dev, int mo, unsigned long offset, struct dma_seg *seg);
int device_irq_bind(int dev, int notification, unsigned long bits);
int device_irq_ack(int dev);
/* The value, or -1 with errno. On i386 a 4-byte value of 0xfffff001 or
 * more reads as an error: read such a register as two 2-byte halves. */
long device_config_read(int dev, unsigned int offset, int size);

#define PCI_BDF(bus, dev, fn) ((unsigned int)(bus) << 8 | (unsigned int)(dev) << 3 | (fn))

#endif
