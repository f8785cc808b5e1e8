/*
 * What the server world gives the driver world (ahcid.h): DMA memory,
 * the interrupt as a notification, time and the console, over the system
 * calls of docs/drivers-in-user-space.md.
 */
#include <errno.h>
#include <pagoda/mman.h>
#include <pagoda_device.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ahcid.h"
#include "ahcid_server.h"

int ahcid_dev = -1;
static int irq_note = -1;

int ahcid_dma_alloc(unsigned long size, int addr_bits, void **virt, unsigned long long *bus)
{
	int mo = device_dma_alloc(ahcid_dev, size, addr_bits);
	if (mo < 0) {
		dprintf(2, "ahcid: device_dma_alloc(%lu bytes below 2^%d): %s\n", size, addr_bits, strerror(errno));
		return -1;
	}
	struct dma_seg seg;
	void *v = memobj_map(mo, 0, size, PROT_READ | PROT_WRITE, 0);
	if (v == MAP_FAILED || device_dma_addr(ahcid_dev, mo, 0, &seg) < 0) {
		dprintf(2, "ahcid: mapping DMA memory: %s\n", strerror(errno));
		return -1;
	}
	/* Kept open: the memory lives as long as a handle or a mapping does. */
	*virt = v;
	*bus = seg.bus_addr;
	return 0;
}

void ahcid_log(const char *s, size_t len)
{
	debug_write(s, len);
}

unsigned long long ahcid_now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000000000ULL + (unsigned long long)t.tv_nsec;
}

void ahcid_sleep_ms(unsigned long ms)
{
	struct timespec t = { (long long)(ms / 1000), (long long)(ms % 1000) * 1000000 };
	nanosleep(&t, NULL);
}

int ahcid_irq_bind(void)
{
	irq_note = notify_create();
	if (irq_note < 0 || device_irq_bind(ahcid_dev, irq_note, 1) < 0) {
		dprintf(2, "ahcid: device_irq_bind: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

bool ahcid_irq_wait(long timeout_ms)
{
	return irq_note >= 0 && notify_wait(irq_note, timeout_ms) > 0;
}

void ahcid_irq_ack(void)
{
	device_irq_ack(ahcid_dev);
}

void ahcid_die(const char *why)
{
	dprintf(2, "ahcid: fatal: %s\n", why);
	exit(1);
}
