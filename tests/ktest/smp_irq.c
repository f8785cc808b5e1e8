/*
 * Interrupt routing with the APICs: an AHCI read completes through the
 * route the driver chose (MSI to a given CPU, or INTx through the I/O
 * APIC), and the interrupt is counted on the CPU it was aimed at; the
 * completion work (finishing the slot) is done there too, under the port
 * lock, not handed to CPU 0. The manifest boots pick the route (ahci_msi_cpu=, ahci_intx) and check the
 * driver's announcement in the log (tests/manifest.d/smp.ini).
 */
#include <pagoda/ktest.h>
#include <pagoda/apic.h>
#include <pagoda/blkdev.h>
#include <pagoda/diskpattern.h>
#include <pagoda/gfp.h>
#include <pagoda/irq.h>
#include <pagoda/mm.h>
#include <pagoda/pci.h>
#include <pagoda/smp.h>
#include "../../drivers/ahci/ahci.h"

static int read_sectors(struct gendisk *d, struct page *page, sector_t lba)
{
	struct bio *bio = bio_alloc(d, 1, REQ_OP_READ, GFP_KERNEL);
	if (!bio)
		return -1;
	bio->bi_iter.bi_sector = lba;
	bio_add_page(bio, page, PAGE_SIZE, 0);
	int err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}

static void settle(void *unused)
{
	(void)unused;
}

static void ahci_read_completes_on_routed_irq(struct ktest *t)
{
	struct gendisk *d = get_disk_by_name("sda");
	if (!d) {
		ktest_skip(t, "no sda");
		return;
	}
	bool msi;
	int irq = ahci_host_irq(0, &msi);
	KTEST_ASSERT_GE(t, irq, 0);
	int target = msi ? pci_msi_cpu(irq) : 0;        /* I/O APIC lines all go to CPU 0 */
	if (msi) {
		KTEST_EXPECT_GE(t, irq, IRQ_MSI_BASE);
		KTEST_EXPECT_TRUE(t, apic_enabled);
		KTEST_ASSERT_TRUE(t, cpu_online(target));
	} else {
		KTEST_EXPECT_LT(t, irq, IRQ_MSI_BASE);
	}
	struct ahci_port *port = d->private_data;
	unsigned long done_before[NR_CPUS];
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		done_before[cpu] = READ_ONCE(*per_cpu_ptr(port->completions, cpu));
	unsigned long wakeups = READ_ONCE(port->wakeups), ipis0 = READ_ONCE(per_cpu(cpu_info, 0).ipis);
	struct page *page = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, page);
	unsigned long before = irq_count(irq), on_target = irq_count_cpu(irq, target);
	for (int i = 0; i < 8; i++) {
		KTEST_EXPECT_EQ(t, read_sectors(d, page, 100 + 8 * i), 0);
		const u32 *w = page_address(page);
		KTEST_EXPECT_EQ(t, w[0], disk_pattern_word(100 + 8 * i, 0, 0));
	}
	__free_page(page);
	KTEST_EXPECT_GE(t, irq_count(irq) - before, 8);
	KTEST_EXPECT_GE(t, irq_count_cpu(irq, target) - on_target, 8);
	/* And nowhere else: an edge MSI or an IOAPIC line goes to one CPU. */
	KTEST_EXPECT_EQ(t, irq_count(irq) - before, irq_count_cpu(irq, target) - on_target);
	/* The slots were finished by the CPU that took the interrupt, and by
	 * no other: not handed to CPU 0 (nor done by CPU 0's timeout tick). */
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned long finished_by_cpu = READ_ONCE(*per_cpu_ptr(port->completions, cpu)) - done_before[cpu];
		if (cpu == target)
			KTEST_EXPECT_GE(t, finished_by_cpu, 8);
		else
			KTEST_EXPECT_EQ(t, finished_by_cpu, 0);
	}
	/* Every call-function IPI CPU 0 took meanwhile was a wake-up of this
	 * waiter (one per completing interrupt at most), none a hand-off.
	 * The last wake-up may still be on its way: the waiter can leave hlt
	 * on a timer tick once its bio ended, before the completing CPU counts
	 * and sends the wake. A synchronous call to that CPU returns only once
	 * it has interrupts on again, so its completion path is over. Then the
	 * IPIs are read before the wake-ups: a wake is counted before it is
	 * sent, so every wake IPI received is already in `woke`. */
	if (target != 0)
		smp_call_function_single(target, settle, NULL, true);
	unsigned long ipis = READ_ONCE(per_cpu(cpu_info, 0).ipis) - ipis0;
	unsigned long woke = READ_ONCE(port->wakeups) - wakeups;
	KTEST_EXPECT_LE(t, ipis, woke);
	if (target == 0)
		KTEST_EXPECT_EQ(t, woke, 0);    /* completing on the waiter's own CPU: nothing to wake */
	else
		KTEST_EXPECT_GE(t, woke, 8);
}

static struct ktest_case smp_irq_cases[] = {
	KTEST_CASE(ahci_read_completes_on_routed_irq),
	{}
};
KTEST_SUITE(smp_irq, smp_irq_cases);
