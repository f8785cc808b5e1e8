/*
 * Device access for user-space drivers (issue #15,
 * docs/drivers-in-user-space.md): what device_list describes and
 * device_dma_addr answers. The system calls are <pagoda/unistd.h> 128-136.
 */
#ifndef _UAPI_PAGODA_DEVICE_H
#define _UAPI_PAGODA_DEVICE_H

#define DEVICE_BARS      6

/* One PCI function, as device_list describes it. */
struct device_info {
	unsigned int bdf;               /* bus << 8 | device << 3 | function */
	unsigned short vendor, device;
	unsigned int class_code;        /* class << 16 | subclass << 8 | prog-if */
	unsigned long long bar_size[DEVICE_BARS];       /* 0: none or not memory */
	int irq;                        /* INTx line, -1: none */
	int has_msi;
	int owner;                      /* 0 free, 1 a kernel driver, 2 a device handle */
	char driver[16];                /* the kernel driver bound ("ahci"), or "" */
	unsigned short command;         /* its PCI command register when listed (bit 2: bus master) */
};

/* A stretch of memory as a device sees it (device_dma_addr). */
struct dma_seg {
	unsigned long long bus_addr;
	unsigned long len;              /* contiguous bytes from bus_addr */
};

#endif
