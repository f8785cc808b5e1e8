/*
 * The AHCI driver's OS interface: everything drivers/ahci/ asks of the
 * system around it, and nothing else. The driver's files include only this
 * header and their own (ahci.h), so the same sources build twice (issue
 * #15, docs/ahcid.md "One source, two builds"):
 *
 *   - in the kernel, where each header below is the kernel's own and the
 *     three ahci_os_* functions are drivers/ahci/ahci_os_kernel.c;
 *   - as the user-space server /bin/ahcid, where user/bin/ahcid/include/
 *     comes first on the include path and gives the same names a user
 *     implementation (user/bin/ahcid/ahci_os_user.c): MMIO through a
 *     mapped BAR, DMA memory from device_dma_alloc, interrupts as
 *     notifications, time from clock_gettime.
 *
 * The services, by the Linux names a student meets in Linux's drivers:
 *
 *   registers      readl, writel (<pagoda/io.h>), barrier, READ_ONCE
 *   DMA            struct device (mask, segment limits), dma_alloc_coherent,
 *                  dma_map_single/dma_unmap_single, dma_map_sg/dma_unmap_sg
 *                  (bouncing what the HBA cannot reach)
 *   block layer    struct bio, bio_endio, struct gendisk, add_disk,
 *                  blk_bio_map_sg, blk_set_default_limits, sd_disk_name
 *   locking        spinlock_t, spin_lock_init, spin_lock_irqsave,
 *                  spin_unlock, local_irq_restore (no-ops in ahcid: one
 *                  thread, and the interrupt is a message it reads itself)
 *   CPUs           smp_processor_id, alloc_percpu, this_cpu_ptr, cpu_relax
 *                  (<asm/irqflags.h>), might_sleep
 *   time           jiffies, HZ, udelay, mdelay, ktime_get_ns
 *   memory         kzalloc, kcalloc, kfree
 *   messages       pr_info, pr_warn, pr_err, snprintf, errname
 *   library        memset, strlcpy, hweight32
 */
#ifndef DRIVERS_AHCI_OS_H
#define DRIVERS_AHCI_OS_H

#include <pagoda/bitops.h>
#include <pagoda/blkdev.h>
#include <pagoda/compiler.h>
#include <pagoda/device.h>
#include <pagoda/dma-mapping.h>
#include <pagoda/errno.h>
#include <pagoda/io.h>
#include <pagoda/percpu.h>
#include <pagoda/preempt.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <pagoda/time.h>
#include <pagoda/types.h>
#include <asm/irqflags.h>        /* cpu_relax, local_irq_restore */

struct ahci_host;
struct ahci_port;

/*
 * What has no Linux name, because it is where the two worlds differ.
 */

/* Route the host's interrupt to ahci_host_interrupt(host): 0, or an error
 * (the driver then polls). Kernel: MSI or INTx through request_irq.
 * ahcid: device_irq_bind to a notification. Process context. */
int ahci_os_request_irq(struct ahci_host *host);

/* Wait until *done may have become true: an interrupt came, or a while
 * passed. Kernel: halt until the next interrupt (its handler, on whichever
 * CPU it reaches, does the completion work). ahcid: wait on the interrupt
 * notification, run ahci_host_interrupt itself, acknowledge the
 * interrupt. Process context, port lock not held. */
void ahci_os_wait(struct ahci_host *host, const volatile bool *done);

/* Completions were done on this CPU for commands submitted from the CPUs
 * in `cpus` (a bit each; never this one): wake them if they halt waiting.
 * Kernel: a call-function IPI. ahcid: one CPU, never called with any. */
void ahci_os_wake_cpus(struct ahci_port *port, u32 cpus);

#endif
