/*
 * The AHCI driver's OS interface in user space (drivers/ahci/ahci_os.h),
 * the counterpart of drivers/ahci/ahci_os_kernel.c: the services behind
 * the kernel names the driver and the block layer use, built on what the
 * server world gives (../ahcid.h): DMA memory from device_dma_alloc,
 * interrupts as a notification, time from clock_gettime, messages through
 * debug_write.
 */
#include "../../../../drivers/ahci/ahci.h"
#include "../ahcid.h"
#include <pagoda/panic.h>
#include <stdarg.h>

/* ---- messages ---- */

void printk(const char *fmt, ...)
{
	char buf[256] = "ahcid: ";
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + 7, sizeof(buf) - 7, fmt, ap);
	va_end(ap);
	n += 7;
	ahcid_log(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void panic(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ahcid_die(buf);
}

/* ---- time ---- */

u64 ktime_get_ns(void)
{
	return ahcid_now_ns();
}

unsigned long ahcid_jiffies(void)
{
	return (unsigned long)(ahcid_now_ns() / (1000000000ULL / HZ));
}

void udelay(unsigned long us)
{
	u64 end = ahcid_now_ns() + us * 1000ULL;
	while (ahcid_now_ns() < end)
		cpu_relax();
}

void mdelay(unsigned long ms)
{
	ahcid_sleep_ms(ms);
}

/* ---- DMA ----
 * Two regions of the server's own DMA memory, both below 4 GiB so any HBA
 * reaches them: the coherent pool (command lists, received-FIS areas,
 * command tables; never freed, as the driver never frees them) and the
 * bounce pool, in pages, for kmalloc buffers (IDENTIFY) and for a client's
 * pages the HBA cannot reach (no CAP.S64A, or ahci_dma32). Everything
 * else is zero copy: the PRD entries carry the client's bus addresses.
 */
#define COHERENT_SIZE (512UL << 10)
#define BOUNCE_PAGES  1024      /* 4 MiB: a whole request, for an HBA without S64A */
#define BOUNCE_SMALL  16        /* for IDENTIFY, when the HBA reaches everything */

static u8 *coherent_virt;
static u64 coherent_bus;
static unsigned long coherent_used;
static u8 *bounce_virt;
static u64 bounce_bus;
static u8 bounce_map[BOUNCE_PAGES];             /* pages in use */
static int bounce_pages;
struct dma_stats dma_stats;

/* Called once the HBA's DMA mask is known (the first dma_alloc_coherent). */
static void dma_pools_init(const struct device *dev)
{
	void *v;
	unsigned long long b;
	if (coherent_virt)
		return;
	if (ahcid_dma_alloc(COHERENT_SIZE, 32, &v, &b))
		ahcid_die("no DMA memory for the command lists");
	coherent_virt = v;
	coherent_bus = b;
	bounce_pages = dev->dma_mask < DMA_BIT_MASK(64) ? BOUNCE_PAGES : BOUNCE_SMALL;
	if (ahcid_dma_alloc(bounce_pages * PAGE_SIZE, 32, &v, &b))
		ahcid_die("no DMA memory for bounce buffers");
	bounce_virt = v;
	bounce_bus = b;
}

void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp)
{
	/* Aligned to its size up to a page: the HBA wants 1 KiB for a command
	 * list, 256 bytes for a FIS area, 128 for a command table. */
	unsigned long align = 128;
	while (align < size && align < PAGE_SIZE)
		align <<= 1;
	dma_pools_init(dev);
	unsigned long off = (coherent_used + align - 1) & ~(align - 1);
	if (off + size > COHERENT_SIZE)
		return NULL;
	coherent_used = off + size;
	memset(coherent_virt + off, 0, size);
	*handle = coherent_bus + off;
	return coherent_virt + off;
}

/* n pages of bounce buffer: the index of the first, or -1. */
static int bounce_get(unsigned long bytes)
{
	int n = (int)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	for (int i = 0, run = 0; i < bounce_pages; i++) {
		run = bounce_map[i] ? 0 : run + 1;
		if (run == n) {
			memset(bounce_map + i - n + 1, 1, n);
			dma_stats.bounced_now++;
			return i - n + 1;
		}
	}
	return -1;
}

static void bounce_put(int first, unsigned long bytes)
{
	memset(bounce_map + first, 0, (bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	dma_stats.bounced_now--;
}

static bool copies_to(enum dma_data_direction dir) { return dir != DMA_FROM_DEVICE; }
static bool copies_back(enum dma_data_direction dir) { return dir != DMA_TO_DEVICE; }

/* kmalloc memory has no bus address here: a single mapping always bounces. */
#define MAX_SINGLE 4
static struct { dma_addr_t dma; void *virt; size_t size; int first; } singles[MAX_SINGLE];

dma_addr_t dma_map_single(struct device *dev, void *cpu_addr, size_t size, enum dma_data_direction dir)
{
	for (int i = 0; i < MAX_SINGLE; i++) {
		if (singles[i].virt)
			continue;
		int first = bounce_get(size);
		if (first < 0)
			break;
		if (copies_to(dir))
			memcpy(bounce_virt + first * PAGE_SIZE, cpu_addr, size);
		singles[i].dma = bounce_bus + first * PAGE_SIZE;
		singles[i].virt = cpu_addr;
		singles[i].size = size;
		singles[i].first = first;
		return singles[i].dma;
	}
	pr_err("dma_map_single(%s): no bounce buffer\n", dev->name);
	return DMA_MAPPING_ERROR;
}

void dma_unmap_single(struct device *dev, dma_addr_t dma, size_t size, enum dma_data_direction dir)
{
	for (int i = 0; i < MAX_SINGLE; i++) {
		if (!singles[i].virt || singles[i].dma != dma)
			continue;
		if (copies_back(dir))
			memcpy(singles[i].virt, bounce_virt + singles[i].first * PAGE_SIZE, size);
		bounce_put(singles[i].first, singles[i].size);
		singles[i].virt = NULL;
		return;
	}
}

/* The bounce index of an sg entry is kept in its bounce pointer, +1 (the
 * struct page of the kernel's bounce block has no meaning here). */
static int sg_bounce(const struct scatterlist *sg) { return (int)(unsigned long)sg->bounce - 1; }

void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents, enum dma_data_direction dir)
{
	for (int i = 0; i < nents; i++) {
		int first = sg_bounce(&sg[i]);
		if (first < 0)
			continue;
		if (copies_back(dir))
			memcpy((u8 *)sg[i].page->virt + sg[i].offset, bounce_virt + first * PAGE_SIZE,
			       sg[i].length);
		bounce_put(first, sg[i].length);
		sg[i].bounce = NULL;
	}
}

static bool crosses_boundary(const struct device *dev, dma_addr_t start, u64 len)
{
	return (start & ~dev->seg_boundary_mask) != ((start + len - 1) & ~dev->seg_boundary_mask);
}

/* As the kernel's: each entry's bus address (bounced if the device cannot
 * reach it), neighbours that turn out contiguous merged. */
int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents, enum dma_data_direction dir)
{
	int out = 0;
	for (int i = 0; i < nents; i++) {
		dma_addr_t a = sg_phys(&sg[i]);
		sg[i].bounce = NULL;
		if (a + sg[i].length - 1 > dev->dma_mask) {
			int first = sg[i].page->virt ? bounce_get(sg[i].length) : -1;
			if (first < 0) {
				pr_err("dma_map_sg(%s): cannot bounce %u bytes at %#llx\n", dev->name,
				       sg[i].length, (unsigned long long)a);
				dma_unmap_sg(dev, sg, i, DMA_TO_DEVICE);        /* no copy back */
				return 0;
			}
			if (!dma_stats.bounced_total++)
				pr_info("dma_map_sg(%s): bus address %#llx is out of reach: bounced (said once)\n",
					dev->name, (unsigned long long)a);
			sg[i].bounce = (struct page *)(unsigned long)(first + 1);
			if (copies_to(dir))
				memcpy(bounce_virt + first * PAGE_SIZE, (u8 *)sg[i].page->virt + sg[i].offset,
				       sg[i].length);
			a = bounce_bus + first * PAGE_SIZE;
		}
		struct scatterlist *prev = out ? &sg[out - 1] : NULL;
		if (prev && prev->dma_address + prev->dma_length == a &&
		    prev->dma_length + sg[i].length <= dev->max_segment_size &&
		    !crosses_boundary(dev, prev->dma_address, prev->dma_length + sg[i].length)) {
			prev->dma_length += sg[i].length;
			dma_stats.merged_segments++;
			continue;
		}
		sg[out].dma_address = a;
		sg[out].dma_length = sg[i].length;
		out++;
	}
	dma_stats.mapped_sg++;
	return out;
}

/* ---- interrupts ---- */

int ahci_os_request_irq(struct ahci_host *host)
{
	if (ahcid_irq_bind())
		return -1;
	pr_info("ahci: %s interrupt bound to a notification\n", host->name);
	return 0;
}

/* The interrupt is a message: wait for it, do the handler's work here,
 * then let the kernel unmask it. A while without one runs the handler
 * anyway (harmless: HOST_IS is 0), so a lost interrupt costs time, never
 * a hang. */
void ahci_os_wait(struct ahci_host *host, const volatile bool *done)
{
	if (*done)
		return;
	bool irq = ahcid_irq_wait(10);
	ahci_host_interrupt(host);
	if (irq)
		ahcid_irq_ack();
}

void ahci_os_wake_cpus(struct ahci_port *port, u32 cpus)
{
	(void)port;
	(void)cpus;                     /* one thread: nobody else to wake */
}

/* The block layer's plug (blk_merge.c, per task) is not built here:
 * requests arrive whole from the clients, nothing to merge. */
bool blk_plug_add(struct bio *bio)
{
	(void)bio;
	return false;
}
