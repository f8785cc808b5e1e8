/*
 * bench_smp: what the per-CPU caches and the TLB shootdown cost with more
 * than one CPU, measured in the kernel with each CPU's TSC while the CPUs
 * run at once (tools/bench/smp_bench.sh, docs/performance.md):
 *
 *   - order-0 alloc/free and kmalloc(64)/kfree throughput, with 1, 2, 4 ...
 *     of the online CPUs working concurrently: TSC cycles per operation on
 *     each CPU (an operation is one allocation or one free; the script turns
 *     them into operations per second with the host's TSC rate, which TCG's
 *     rdtsc follows, more steadily than the guest's PIT calibration under
 *     load). Each CPU takes a
 *     batch of 64 then frees it, so the per-CPU caches overflow and refill
 *     and the shared zone and slab locks see traffic;
 *   - one spin_lock+spin_unlock pair, uncontended (lock_debug shows here);
 *   - one TLB shootdown of 1, 16 and 64 pages to every online CPU.
 */
#include <pagoda/mm.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <pagoda/time.h>
#include <pagoda/tlbflush.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

#define BATCH 64
#define ROUNDS 200

struct tput {
	unsigned int workers;           /* CPUs 0..workers-1 take part */
	bool kmalloc;
	u64 cycles[NR_CPUS];
	unsigned long ops[NR_CPUS];
	unsigned long failures;
};

static void tput_cpu(void *arg, int cpu)
{
	struct tput *t = arg;
	void *held[BATCH];
	if ((unsigned int)cpu >= t->workers)
		return;
	u64 t0 = rdtsc();
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < BATCH; i++) {
			held[i] = t->kmalloc ? kmalloc(64, GFP_KERNEL) : (void *)alloc_page(GFP_KERNEL);
			if (!held[i])
				__atomic_add_fetch(&t->failures, 1, __ATOMIC_RELAXED);
		}
		for (int i = 0; i < BATCH; i++) {
			if (!held[i])
				continue;
			if (t->kmalloc)
				kfree(held[i]);
			else
				__free_page(held[i]);
		}
	}
	t->cycles[cpu] = rdtsc() - t0;
	t->ops[cpu] = 2UL * ROUNDS * BATCH;
}

static void run_tput(unsigned int workers, bool kmalloc)
{
	static struct tput t;
	t = (struct tput){ .workers = workers, .kmalloc = kmalloc };
	smp_run_on_all_cpus(tput_cpu, &t);
	u64 sum = 0;
	printk("bench_smp: %s cpus %u cycles/op", kmalloc ? "kmalloc64" : "page_order0", workers);
	for (unsigned int c = 0; c < workers; c++) {
		u64 per_op = t.cycles[c] / t.ops[c];
		sum += per_op;
		printk(KERN_CONT " cpu%u %llu", c, (unsigned long long)per_op);
	}
	printk(KERN_CONT " mean %llu%s\n", (unsigned long long)(sum / workers), t.failures ? " (allocations failed!)" : "");
}

static u64 shootdown_cycles(unsigned int pages)
{
	enum { N = 200 };
	unsigned long start = VMALLOC_END - 64 * PAGE_SIZE;       /* nothing needs to be mapped */
	flush_tlb_kernel_range(start, start + pages * PAGE_SIZE);
	u64 t0 = rdtsc();
	for (int i = 0; i < N; i++)
		flush_tlb_kernel_range(start, start + pages * PAGE_SIZE);
	return (rdtsc() - t0) / N;
}

static int cmd_bench_smp(int argc, char **argv)
{
	unsigned int online = num_online_cpus();
	printk("bench_smp: %u CPUs online, lock_debug %s, TSC %llu kHz\n", online, lock_debug ? "on" : "off",
	       (unsigned long long)tsc_khz);
	unsigned int w;
	for (w = 1; w <= online; w *= 2) {
		run_tput(w, false);
		run_tput(w, true);
	}
	if (w / 2 != online) {          /* end with all of them (3 CPUs: 1, 2, 3) */
		run_tput(online, false);
		run_tput(online, true);
	}
	DEFINE_SPINLOCK(l);
	unsigned long flags = local_irq_save();
	u64 t0 = rdtsc();
	for (int i = 0; i < 100000; i++) {
		spin_lock(&l);
		spin_unlock(&l);
	}
	u64 pair = (rdtsc() - t0) / 100000;
	local_irq_restore(flags);
	printk("bench_smp: spin_lock+spin_unlock %llu cycles/pair (uncontended)\n", (unsigned long long)pair);
	static const unsigned int sizes[] = { 1, 16, 64 };
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++)
		printk("bench_smp: shootdown cpus %u pages %u cycles %llu\n", online, sizes[i],
		       (unsigned long long)shootdown_cycles(sizes[i]));
	return 0;
}
MONITOR_CMD(bench_smp, cmd_bench_smp, "",
	    "per-CPU throughput of alloc_page/kmalloc(64) on 1, 2, 4... CPUs at once; spinlock pair; TLB shootdown cycles");
