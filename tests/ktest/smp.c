/*
 * SMP core: every CPU the MADT lists checked in, each knows who it is, the
 * cross-CPU calls run where and when they promise, two CPUs calling each
 * other with interrupts off do not deadlock, and every CPU's timer ticks.
 * The runner boots these with -smp 2 and 4 (tests/manifest.d/smp.ini).
 */
#include <pagoda/ktest.h>
#include <pagoda/errno.h>
#include <pagoda/apic.h>
#include <pagoda/irq.h>
#include <pagoda/gfp.h>
#include <pagoda/mm.h>
#include <pagoda/mmzone.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>
#include <pagoda/panic.h>
#include <pagoda/smp.h>
#include <pagoda/time.h>
#include <asm/processor.h>

static bool need_cpus(struct ktest *t, unsigned int n)
{
	if (num_online_cpus() >= n)
		return true;
	ktest_skip(t, "needs more online CPUs");
	return false;
}

/* Every CPU the MADT offered (up to maxcpus) is online, with distinct
 * logical ids 0..n-1 and distinct APIC ids; the BSP is 0. */
static void all_cpus_checked_in(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, smp_processor_id(), 0);
	KTEST_EXPECT_EQ(t, num_online_cpus(), nr_cpus_possible);
	int cpu, n = 0;
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, cpu, n);     /* dense */
		KTEST_EXPECT_EQ(t, per_cpu(cpu_info, cpu).state, CPU_ONLINE);
		for (int other = 0; other < cpu; other++)
			KTEST_EXPECT_NE(t, per_cpu(cpu_info, other).apic_id, per_cpu(cpu_info, cpu).apic_id);
		n++;
	}
	KTEST_EXPECT_EQ(t, n, num_online_cpus());
	if (apic_enabled)
		KTEST_EXPECT_EQ(t, lapic_id(), per_cpu(cpu_info, 0).apic_id);
}

/* The MADT agrees with the hardware: the LAPIC address is the one the
 * APIC-base MSR reports, and the I/O APIC's redirection entries follow the
 * MADT's overrides -- pin, polarity and trigger -- for every ISA IRQ. */
static void madt_and_ioapic_routes(struct ktest *t)
{
	if (!apic_enabled) {
		ktest_skip(t, "no I/O APIC (noapic or no MADT)");
		return;
	}
	KTEST_EXPECT_EQ(t, madt.lapic_addr, rdmsr(MSR_IA32_APICBASE) & ~0xfffULL);
	KTEST_EXPECT_GE(t, madt.nr_cpus, (int)num_online_cpus());
	for (unsigned int irq = 0; irq < NR_ISA_IRQS; irq++) {
		if (irq == 2)
			continue;
		u16 f;
		u32 gsi = isa_irq_to_gsi(irq, &f), lo, hi;
		int pin = io_apic_get_route(irq, &lo, &hi);
		KTEST_EXPECT_EQ(t, pin, (int)(gsi - madt.ioapic_gsi_base));
		KTEST_EXPECT_EQ(t, lo & 0xff, IRQ_VECTOR_BASE + irq);
		KTEST_EXPECT_EQ(t, !!(lo & (1u << 15)), ((f >> 2) & 3) == 3);  /* level */
		KTEST_EXPECT_EQ(t, !!(lo & (1u << 13)), (f & 3) == 3);         /* active low */
		KTEST_EXPECT_EQ(t, hi >> 24, per_cpu(cpu_info, 0).apic_id);
	}
	/* At least the PIT's override is there on every PC-compatible machine. */
	KTEST_EXPECT_GT(t, madt.nr_overrides, 0);
}

struct whoami {
	volatile int id[NR_CPUS];
	volatile u32 apic[NR_CPUS];
	volatile int ran;
	volatile int irqs_on[NR_CPUS];
};

static void record_whoami(void *arg, int cpu)
{
	struct whoami *w = arg;
	w->id[cpu] = smp_processor_id();
	w->apic[cpu] = lapic_id();
	w->irqs_on[cpu] = !irqs_disabled();
	__atomic_add_fetch(&w->ran, 1, __ATOMIC_RELAXED);
}

/* smp_run_on_all_cpus runs the job once per CPU, in thread context with
 * interrupts on, and on each the per-CPU id matches the LAPIC's id. */
static void processor_id_matches_apic(struct ktest *t)
{
	struct whoami w;
	for (int i = 0; i < NR_CPUS; i++)
		w.id[i] = -1;
	w.ran = 0;
	smp_run_on_all_cpus(record_whoami, &w);
	KTEST_EXPECT_EQ(t, w.ran, num_online_cpus());
	int cpu;
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, w.id[cpu], cpu);
		if (apic_enabled)
			KTEST_EXPECT_EQ(t, w.apic[cpu], per_cpu(cpu_info, cpu).apic_id);
		KTEST_EXPECT_TRUE(t, w.irqs_on[cpu]);
	}
}

struct call_probe {
	volatile int cpu;
	volatile int irqs_off;
	volatile unsigned long mask;
	volatile int count;
};

static void probe(void *arg)
{
	struct call_probe *p = arg;
	p->cpu = smp_processor_id();
	p->irqs_off = irqs_disabled();
	__atomic_or_fetch(&p->mask, 1UL << smp_processor_id(), __ATOMIC_RELAXED);
	__atomic_add_fetch(&p->count, 1, __ATOMIC_RELAXED);
}

/* With wait, the function has run on the target (interrupts off) when the
 * call returns; a call to self runs directly; an offline CPU is refused. */
static void call_single_wait(struct ktest *t)
{
	int cpu;
	for_each_online_cpu(cpu) {
		struct call_probe p = { .cpu = -1 };
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, probe, &p, true), 0);
		KTEST_EXPECT_EQ(t, p.cpu, cpu);
		KTEST_EXPECT_TRUE(t, p.irqs_off);
		KTEST_EXPECT_EQ(t, p.count, 1);
	}
	struct call_probe p = { .cpu = -1 };
	KTEST_EXPECT_EQ(t, smp_call_function_single(NR_CPUS, probe, &p, true), -EINVAL);
	KTEST_EXPECT_EQ(t, smp_call_function_single(-1, probe, &p, true), -EINVAL);
	KTEST_EXPECT_EQ(t, p.count, 0);
}

/* Without wait the call returns at once; the function still runs, once. */
static void call_single_nowait(struct ktest *t)
{
	if (!need_cpus(t, 2))
		return;
	static struct call_probe p;
	p = (struct call_probe){ .cpu = -1 };
	KTEST_ASSERT_EQ(t, smp_call_function_single(1, probe, &p, false), 0);
	u64 deadline = rdtsc() + tsc_khz * 2000;
	while (!READ_ONCE(p.count) && rdtsc() < deadline)
		cpu_relax();
	KTEST_EXPECT_EQ(t, p.count, 1);
	KTEST_EXPECT_EQ(t, p.cpu, 1);
}

/* smp_call_function reaches every other CPU, not this one; on_each_cpu
 * reaches all of them. */
static void call_many(struct ktest *t)
{
	struct call_probe p = { 0 };
	smp_call_function(probe, &p, true);
	KTEST_EXPECT_EQ(t, p.count, num_online_cpus() - 1);
	KTEST_EXPECT_EQ(t, p.mask, cpu_online_mask & ~1UL);
	p = (struct call_probe){ 0 };
	on_each_cpu(probe, &p, true);
	KTEST_EXPECT_EQ(t, p.count, num_online_cpus());
	KTEST_EXPECT_EQ(t, p.mask, cpu_online_mask);
}

#define CROSS_CALLS 200
static volatile int cross_count[NR_CPUS];

static void count_call(void *arg)
{
	__atomic_add_fetch(&cross_count[smp_processor_id()], 1, __ATOMIC_RELAXED);
}

/* Every CPU at once, interrupts off, calls the next CPU in a ring and
 * waits: each caller is itself being called while it waits. Without the
 * "service your own mailbox while waiting" rule this deadlocks (the call
 * timeout would then panic, naming the CPUs). */
static void ring_caller(void *arg, int cpu)
{
	unsigned int n = num_online_cpus();
	unsigned long flags = local_irq_save();
	for (int i = 0; i < CROSS_CALLS; i++)
		smp_call_function_single((cpu + 1) % n, count_call, NULL, true);
	local_irq_restore(flags);
}

static void cross_calls_no_deadlock(struct ktest *t)
{
	if (!need_cpus(t, 2))
		return;
	for (int i = 0; i < NR_CPUS; i++)
		cross_count[i] = 0;
	smp_run_on_all_cpus(ring_caller, NULL);
	int cpu;
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, cross_count[cpu], CROSS_CALLS);
}

/* Each CPU's LAPIC timer ticks; CPU 0's drives jiffies. */
static void timer_ticks_every_cpu(struct ktest *t)
{
	if (!apic_enabled) {
		ktest_skip(t, "no LAPIC (noapic)");
		return;
	}
	unsigned long before[NR_CPUS], j0 = jiffies;
	int cpu;
	for_each_online_cpu(cpu)
		before[cpu] = per_cpu(cpu_info, cpu).ticks;
	u64 deadline = rdtsc() + tsc_khz * 3000;
	bool all;
	do {
		/* IRQ 0 too: the PIT's first tick after the handover. */
		all = jiffies != j0 && irq_count(0) > 0;
		for_each_online_cpu(cpu)
			all &= per_cpu(cpu_info, cpu).ticks != before[cpu];
		cpu_relax();
	} while (!all && rdtsc() < deadline);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_GT(t, per_cpu(cpu_info, cpu).ticks, before[cpu]);
	KTEST_EXPECT_GT(t, jiffies, j0);
	/* The PIT's IRQ 0 came in through the I/O APIC (GSI 2 on PCs): as the
	 * clock until smp_init, or once after it (time.c frees it then). */
	KTEST_EXPECT_GT(t, irq_count(0), 0);
}

/* `cpus` lists every online CPU with its APIC id, and the per-CPU page
 * cache of a CPU that just freed pages is not empty. */
static void pcp_fill(void *arg, int cpu)
{
	struct page *p[4];
	for (int i = 0; i < 4; i++)
		p[i] = alloc_page(GFP_KERNEL);
	for (int i = 0; i < 4; i++)
		if (p[i])
			__free_page(p[i]);
}

static void cpus_command(struct ktest *t)
{
	static char out[2048];
	smp_run_on_all_cpus(pcp_fill, NULL);
	console_capture_start(out, sizeof(out));
	int ret = monitor_exec("cpus");
	console_capture_stop();
	KTEST_EXPECT_EQ(t, ret, 0);
	int cpu;
	for_each_online_cpu(cpu) {
		char want[32];
		snprintf(want, sizeof(want), "%3d  %4u  online ", cpu, per_cpu(cpu_info, cpu).apic_id);
		KTEST_EXPECT_NOT_NULL(t, strstr(out, want));
		unsigned long n = 0;
		struct zone *z;
		for_each_zone(z)
			n += per_cpu_ptr(z->per_cpu_pageset, cpu)->count;
		KTEST_EXPECT_GT(t, n, 0);
	}
}

static void panic_on_cpu1(void *arg)
{
	panic("ktest: deliberate panic on CPU %d", smp_processor_id());
}

/* A panic on an AP stops the other CPUs and reports once. */
static void panic_on_other_cpu(struct ktest *t)
{
	if (!need_cpus(t, 2))
		return;
	smp_call_function_single(1, panic_on_cpu1, NULL, true);
	KTEST_EXPECT_TRUE(t, false);    /* not reached */
}

/* Each AP's stack has a guard page below it, and (x86_64) its own TSS with
 * its own double-fault stack: overflowing CPU 1's stack is reported as
 * such, from CPU 1. */
static volatile unsigned long overflow_limit = ~0UL;

static __noinline unsigned long overflow(unsigned long n)
{
	volatile char pad[256];
	pad[0] = (char)n;
	if (n >= overflow_limit)
		return pad[0];
	return overflow(n + 1) + pad[0];
}

static void overflow_here(void *arg)
{
	overflow(0);
}

static void stack_overflow_on_cpu1(struct ktest *t)
{
	if (!need_cpus(t, 2))
		return;
	smp_call_function_single(1, overflow_here, NULL, true);
	KTEST_EXPECT_TRUE(t, false);    /* not reached */
}

static struct ktest_case smp_cases[] = {
	KTEST_CASE(all_cpus_checked_in),
	KTEST_CASE(madt_and_ioapic_routes),
	KTEST_CASE(processor_id_matches_apic),
	KTEST_CASE(call_single_wait),
	KTEST_CASE(call_single_nowait),
	KTEST_CASE(call_many),
	KTEST_CASE(cross_calls_no_deadlock),
	KTEST_CASE(timer_ticks_every_cpu),
	KTEST_CASE(cpus_command),
	KTEST_PANIC_CASE(panic_on_other_cpu, "ktest: deliberate panic on CPU 1"),
	KTEST_PANIC_CASE(stack_overflow_on_cpu1, "BUG: kernel stack overflow"),
	{}
};
KTEST_SUITE(smp, smp_cases);
