/*
 * ahcid's seam: the server is two worlds linked into one program.
 *
 *   the driver world   the files of drivers/ahci and drivers/block/{bio,blk_core,
 *                      blk_limits,genhd}.c, unchanged, with os/: the
 *                      kernel's names (include/ and include/ here);
 *   the server world   main.c and the rest of this folder: the user
 *                      library, system calls, IPC (user/include, uapi).
 *
 * Their headers clash (<pagoda/device.h> is struct device in one and
 * struct device_info in the other), so they meet only here, in plain C
 * types. docs/ahcid.md.
 */
#ifndef AHCID_H
#define AHCID_H

#include <stdbool.h>
#include <stddef.h>

/* ---- What the server world gives the driver world (sys.c) ---- */

/* Physically contiguous DMA memory below 2^addr_bits, mapped: its address
 * here and its bus address. 0, or -1 (fatal to a driver start). */
int ahcid_dma_alloc(unsigned long size, int addr_bits, void **virt, unsigned long long *bus);
/* Write a line to the console (debug_write), as it is. */
void ahcid_log(const char *s, size_t len);
unsigned long long ahcid_now_ns(void);
void ahcid_sleep_ms(unsigned long ms);
/* Bind the device's interrupt to the server's notification. 0 or -1. */
int ahcid_irq_bind(void);
/* Wait up to timeout_ms for the interrupt: true if it came (then masked
 * until ahcid_irq_ack). */
bool ahcid_irq_wait(long timeout_ms);
void ahcid_irq_ack(void);
__attribute__((noreturn)) void ahcid_die(const char *why);

/* ---- What the driver world gives the server world (os/ahcid_disk.c) ---- */

struct ahcid_options {
	bool noncq, pio, dma32, poll;
};

/* Start the HBA whose ABAR is mapped at mmio: the driver's probe. The
 * first disk found is the one served. 0, or -1 (no disk). */
int ahcid_driver_start(volatile void *mmio, const char *name, const struct ahcid_options *opt);

struct ahcid_disk_info {
	unsigned long long sectors;
	unsigned int max_sectors;       /* per request, as the server accepts them */
	bool ncq;
	unsigned long long dma_limit;   /* highest bus address the HBA reaches */
};
void ahcid_disk_info(struct ahcid_disk_info *info);

/* One run of a request's buffer: bus address, length, and where it is in
 * this process (NULL unless the server mapped it: needed for a bounce). */
struct ahcid_seg {
	unsigned long long bus;
	unsigned int len;
	void *virt;
};

#define AHCID_READ  0
#define AHCID_WRITE 1
#define AHCID_FLUSH 2

/* Submit a request (a bio through the block layer, split as the disk's
 * limits need); ahcid_done(cookie, status) is called once it completes,
 * from ahcid_submit itself or from ahcid_run. 0, or -errno at once (then
 * no ahcid_done). */
int ahcid_submit(int op, unsigned long long sector, unsigned int count, const struct ahcid_seg *segs,
		 int nsegs, void *cookie);
/* Implemented by the server world. */
void ahcid_done(void *cookie, int status);
/* Requests submitted and not yet done. */
int ahcid_inflight(void);
/* Wait up to timeout_ms for the interrupt, then do the completion work
 * (ahcid_done for each finished request) and the timeout checks. */
void ahcid_run(long timeout_ms);

#endif
