/*
 * Boot checks: what start_kernel set up is really there. Each case looks at
 * the machine itself (memory, page tables, the clock), not at a log line.
 */
#include <pagoda/ktest.h>
#include <pagoda/printk.h>
#include <pagoda/acpi.h>
#include <pagoda/apic.h>
#include <pagoda/bootinfo.h>
#include <pagoda/time.h>
#include <pagoda/sections.h>
#include <asm/fixmap.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

/* Read the first and last word of every usable region through __va(). A
 * missing direct-map entry would fault here, ending the run with a panic. */
static void e820_first_last_word(struct ktest *t)
{
	int regions = 0;
	u64 bytes = 0;
	for (int i = 0; i < bootinfo.nr_mem; i++) {
		const struct e820_entry *m = &bootinfo.mem[i];
		u64 start = PAGE_ALIGN(m->start), end = PAGE_ALIGN_DOWN(m->end);
		if (m->type != E820_TYPE_RAM || start >= end)
			continue;
		if (end > direct_map_limit())
			end = direct_map_limit();
		if (start >= end)
			continue;
		volatile unsigned long *first = __va(start);
		volatile unsigned long *last = (volatile unsigned long *)__va(end) - 1;
		(void)*first;
		(void)*last;
		/* The walk must agree that these addresses map to these frames. */
		struct pt_walk w;
		pt_walk(swapper_pg_dir, (unsigned long)first, &w);
		KTEST_EXPECT_TRUE(t, w.present);
		KTEST_EXPECT_EQ(t, w.phys, start);
		pt_walk(swapper_pg_dir, (unsigned long)last, &w);
		KTEST_EXPECT_TRUE(t, w.present);
		KTEST_EXPECT_EQ(t, w.phys, end - sizeof(unsigned long));
		regions++;
		bytes += end - start;
	}
	KTEST_EXPECT_GT(t, regions, 0);
	KTEST_EXPECT_GT(t, bytes, 0);
}

static void null_page_unmapped(struct ktest *t)
{
	struct pt_walk w;
	pt_walk(swapper_pg_dir, 0, &w);
	KTEST_EXPECT_FALSE(t, w.present);
	/* Nor anything else of the old identity mapping of low memory. */
	pt_walk(swapper_pg_dir, 0x100000, &w);
	KTEST_EXPECT_FALSE(t, w.present);
	KTEST_EXPECT_EQ(t, read_cr3() & PTE_ADDR_MASK, __pa(swapper_pg_dir));
}

static void kernel_image_w_xor_x(struct ktest *t)
{
	struct pt_walk w;
	pt_walk(swapper_pg_dir, (unsigned long)_text, &w);
	KTEST_ASSERT_TRUE(t, w.present);
	KTEST_EXPECT_FALSE(t, w.leaf & _PAGE_RW);
	KTEST_EXPECT_EQ(t, w.leaf & _PAGE_NX, 0);
	KTEST_EXPECT_EQ(t, w.phys, __pa(_text));

	pt_walk(swapper_pg_dir, (unsigned long)_srodata, &w);
	KTEST_ASSERT_TRUE(t, w.present);
	KTEST_EXPECT_FALSE(t, w.leaf & _PAGE_RW);
	KTEST_EXPECT_EQ(t, w.leaf & _PAGE_NX, _PAGE_NX & __supported_pte_mask);

	pt_walk(swapper_pg_dir, (unsigned long)_sdata, &w);
	KTEST_ASSERT_TRUE(t, w.present);
	KTEST_EXPECT_TRUE(t, w.leaf & _PAGE_RW);
	KTEST_EXPECT_EQ(t, w.leaf & _PAGE_NX, _PAGE_NX & __supported_pte_mask);
	KTEST_EXPECT_TRUE(t, read_cr0() & X86_CR0_WP);
}

static void boot_stack_guard_unmapped(struct ktest *t)
{
	extern char boot_stack_guard[], boot_stack[];
	struct pt_walk w;
	pt_walk(swapper_pg_dir, (unsigned long)boot_stack_guard, &w);
	KTEST_EXPECT_FALSE(t, w.present);
	pt_walk(swapper_pg_dir, (unsigned long)boot_stack, &w);
	KTEST_EXPECT_TRUE(t, w.present);
}

static void direct_map_nx_and_large(struct ktest *t)
{
	struct pt_walk w;
	/* Some usable page above 2 MiB: the direct map uses large pages there. */
	u64 probe = 0;
	for (int i = 0; i < bootinfo.nr_mem && !probe; i++)
		if (bootinfo.mem[i].type == E820_TYPE_RAM && bootinfo.mem[i].end >= 0x800000)
			probe = 0x600000 > bootinfo.mem[i].start ? 0x600000 : PAGE_ALIGN(bootinfo.mem[i].start);
	KTEST_ASSERT_NE(t, probe, 0);
	if (KERNEL_VIRT_BASE == PAGE_OFFSET && probe < __pa(_end))
		probe = PAGE_ALIGN(__pa(_end)) + (4 << 20);
	pt_walk(swapper_pg_dir, (unsigned long)__va(probe), &w);
	KTEST_ASSERT_TRUE(t, w.present);
	KTEST_EXPECT_EQ(t, w.phys, probe);
	KTEST_EXPECT_TRUE(t, w.leaf & _PAGE_RW);
	KTEST_EXPECT_EQ(t, w.leaf & _PAGE_NX, _PAGE_NX & __supported_pte_mask);
	KTEST_EXPECT_GT(t, w.page_size, PAGE_SIZE);
}

static void timer_ticks(struct ktest *t)
{
	unsigned long j0 = jiffies;
	u64 t0 = ktime_get_ns();
	mdelay(50);
	u64 t1 = ktime_get_ns();
	KTEST_EXPECT_GT(t, jiffies, j0);
	KTEST_EXPECT_GE(t, t1 - t0, 50ULL * 1000 * 1000);
	KTEST_EXPECT_TRUE(t, !irqs_disabled());
	KTEST_EXPECT_GT(t, tsc_khz, 0);
}

/*
 * The CPU runs the paging mode this build was made for: CR4.PAE with 3 or
 * 4 levels, not with 2. A PAE PDPT entry may carry P, PWT and PCD only
 * (R/W, U/S, PS or NX there is a reserved bit, and the CR3 load would have
 * failed); the kernel's 3-4 GiB entry is present.
 */
static void paging_mode_matches_build(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, !!(read_cr4() & X86_CR4_PAE), PT_LEVELS > 2);
	if (PT_LEVELS != 3)
		return;
	for (int i = 0; i < PTRS_PER_PGD; i++)
		KTEST_EXPECT_EQ(t, swapper_pg_dir[i] & (_PAGE_RW | _PAGE_USER | _PAGE_PSE | _PAGE_NX), 0);
	KTEST_EXPECT_TRUE(t, swapper_pg_dir[pt_index(PAGE_OFFSET, 0)] & _PAGE_PRESENT);
	KTEST_EXPECT_EQ(t, pt_index(PAGE_OFFSET, 0), 3);
}

/*
 * The rates time_init() calibrated are what a fresh measurement finds: the
 * TSC's and the LAPIC timer's, within 1% (each is known to 0.1-0.2%; a
 * window stalled by the host once made both 2.3 times too fast).
 */
static void rates_remeasured(struct ktest *t)
{
	struct time_rates r;
	unsigned long flags = local_irq_save();
	bool ok = time_measure_rates(&r);
	if (apic_enabled)
		lapic_timer_start();
	local_irq_restore(flags);
	KTEST_ASSERT_TRUE(t, ok);
	printk("# remeasured: TSC %llu kHz (at boot %llu) in %d PIT windows, %u us in all, uncertainty %llu ppm\n",
	       (unsigned long long)r.tsc_khz, (unsigned long long)tsc_khz, r.windows, r.us, (unsigned long long)r.ppm);
	u64 dt = r.tsc_khz > tsc_khz ? r.tsc_khz - tsc_khz : tsc_khz - r.tsc_khz;
	KTEST_EXPECT_LE(t, dt * 100, tsc_khz);
	if (!apic_enabled)
		return;
	unsigned long dl = r.lapic_per_tick > lapic_timer_per_tick ? r.lapic_per_tick - lapic_timer_per_tick :
								      lapic_timer_per_tick - r.lapic_per_tick;
	KTEST_EXPECT_LE(t, (u64)dl * 100, (u64)lapic_timer_per_tick);
}

/*
 * The firmware tables as QEMU builds them (pc and q35 alike), read through
 * the RSDP -> RSDT/XSDT -> FADT/MADT layouts: a field at the wrong offset
 * shows up as a wrong port or address here.
 */
static void acpi_tables_read(struct ktest *t)
{
	if (!bootinfo.rsdp) {
		ktest_skip(t, "no ACPI (-machine acpi=off)");
		return;
	}
	KTEST_EXPECT_TRUE(t, acpi.found);
	KTEST_EXPECT_TRUE(t, acpi.s5_from_dsdt);
	KTEST_EXPECT_EQ(t, acpi.pm1a_cnt & 0xf, 0x4);          /* PM base + 4, PIIX4 and ICH9 */
	KTEST_EXPECT_NE(t, acpi.pm1a_cnt, 0x4);
	KTEST_EXPECT_TRUE(t, madt.found);
	KTEST_EXPECT_EQ(t, madt.lapic_addr, 0xfee00000);
	KTEST_EXPECT_TRUE(t, madt.has_ioapic);
	KTEST_EXPECT_EQ(t, madt.ioapic_addr, 0xfec00000);
	KTEST_EXPECT_EQ(t, madt.ioapic_gsi_base, 0);
	KTEST_EXPECT_TRUE(t, madt.pcat_compat);
	KTEST_EXPECT_TRUE(t, madt.nr_cpus >= (int)nr_cpus_possible);     /* maxcpus=, noapic: fewer */
	bool irq0_to_gsi2 = false;
	for (int i = 0; i < madt.nr_overrides; i++)
		irq0_to_gsi2 |= madt.overrides[i].bus == 0 && madt.overrides[i].source_irq == 0 &&
				madt.overrides[i].gsi == 2;
	KTEST_EXPECT_TRUE(t, irq0_to_gsi2);
}

/* early_memremap takes any EARLY_MEMREMAP_MAX bytes at any alignment, and
 * nothing that needs more than its NR_FIX_EARLY_MAPS windows. */
static void early_memremap_limit(struct ktest *t)
{
	const void *v = early_memremap(PAGE_SIZE - 1, EARLY_MEMREMAP_MAX);
	KTEST_EXPECT_NOT_NULL(t, v);
	if (v)
		early_memunmap(v);
	v = early_memremap(0, NR_FIX_EARLY_MAPS * PAGE_SIZE);
	KTEST_EXPECT_NOT_NULL(t, v);
	if (v)
		early_memunmap(v);
	KTEST_EXPECT_NULL(t, early_memremap(PAGE_SIZE - 1, EARLY_MEMREMAP_MAX + 2));
	KTEST_EXPECT_NULL(t, early_memremap(0, NR_FIX_EARLY_MAPS * PAGE_SIZE + 1));
}

static struct ktest_case boot_cases[] = {
	KTEST_CASE(e820_first_last_word),
	KTEST_CASE(null_page_unmapped),
	KTEST_CASE(kernel_image_w_xor_x),
	KTEST_CASE(boot_stack_guard_unmapped),
	KTEST_CASE(direct_map_nx_and_large),
	KTEST_CASE(paging_mode_matches_build),
	KTEST_CASE(timer_ticks),
	KTEST_CASE(rates_remeasured),
	KTEST_CASE(acpi_tables_read),
	KTEST_CASE(early_memremap_limit),
	{}
};
KTEST_SUITE(boot, boot_cases);
