/*
 * TLB shootdown. Each CPU caches translations in its own TLB, and x86 does
 * not keep TLBs coherent: after a page-table entry is cleared or weakened,
 * another CPU may go on using the old translation -- reading a page that
 * has been freed and reused -- until that CPU flushes. So a kernel mapping
 * change is finished only when every CPU has flushed: the changing CPU
 * sends an IPI to the others (on_each_cpu), each flushes the range
 * locally, and the sender waits for all of them before the memory behind
 * the old mapping may be reused.
 *
 * One round covers a whole range: vfree of 100 pages is one IPI per CPU,
 * not 100. Each CPU applies the FLUSH_TLB_CEILING rule itself (invlpg per
 * page up to the ceiling, else a whole flush).
 */
#include <asm/pgtable.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <pagoda/tlbflush.h>
#include <pagoda/mm.h>
#include <pagoda/mm_user.h>

static struct tlb_stats stats;          /* the machine-wide counts */
/* Flush requests each CPU ran, counted by that CPU in its IPI handler. */
static DEFINE_PER_CPU(unsigned long, tlb_received);
static DEFINE_PER_CPU(unsigned long, tlb_full);

#define count(field, n) __atomic_add_fetch(&(field), (n), __ATOMIC_RELAXED)

struct flush_range {
	unsigned long start, end;       /* end == 0 with start == 0: everything */
};

static void flush_range_here(unsigned long start, unsigned long end)
{
	this_cpu_inc(tlb_received);
	if (start == end || (end - start) >> PAGE_SHIFT > FLUSH_TLB_CEILING) {
		this_cpu_inc(tlb_full);
		flush_tlb_all();
		return;
	}
	start &= PAGE_MASK;
	for (unsigned long i = 0; i < (end - start + PAGE_SIZE - 1) >> PAGE_SHIFT; i++)
		flush_tlb_one(start + i * PAGE_SIZE);
}

/* The IPI handler: interrupts off, on each CPU. */
static void flush_ipi(void *info)
{
	const struct flush_range *r = info;
	flush_range_here(r->start, r->end);
}

static void shootdown(unsigned long start, unsigned long end)
{
	unsigned int cpus = num_online_cpus();
	if (cpus == 1) {
		count(stats.local_flushes, 1);
		flush_range_here(start, end);
		return;
	}
	/* A CPU spinning with interrupts off on a lock we hold would never
	 * answer: lock_debug catches that here instead of hanging. */
	lock_debug_check_cross_cpu_wait("TLB shootdown");
	struct flush_range r = { start, end };
	count(stats.shootdowns, 1);
	count(stats.ipis, cpus - 1);
	count(stats.pages, start == end ? 0 : (end - start + PAGE_SIZE - 1) >> PAGE_SHIFT);
	on_each_cpu(flush_ipi, &r, true);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	if (end == start)
		return;
	shootdown(start, end);
}

void flush_tlb_all_cpus(void)
{
	shootdown(0, 0);
}

/*
 * User addresses: only the CPUs in mm->cpu_mask may cache mm's entries (a
 * CPU leaves the mask when it loads another CR3, which flushed them), so
 * only they are asked, one at a time. Each flushes only if mm is still in
 * its CR3: if it switched away meanwhile, that switch flushed already.
 */
struct mm_flush {
	phys_addr_t pgd_pa;
	unsigned long start, end;
};

static void flush_mm_ipi(void *info)
{
	const struct mm_flush *f = info;
	if ((read_cr3() & PTE_ADDR_MASK) == f->pgd_pa)
		flush_range_here(f->start, f->end);
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct mm_flush f = { __pa(mm->pgd), start, end };
	int me = smp_processor_id();        /* kernel code never migrates */

	if (end == start)
		return;
	/* The PTE changes before the mask is read (switch_mm orders the other
	 * way round): a CPU not in the mask loads CR3 after our change. */
	unsigned long mask = __atomic_load_n(&mm->cpu_mask, __ATOMIC_SEQ_CST);
	if (mask & (1UL << me)) {
		count(stats.local_flushes, 1);
		flush_mm_ipi(&f);
	}
	mask &= ~(1UL << me);
	if (!mask)
		return;
	lock_debug_check_cross_cpu_wait("TLB shootdown");
	count(stats.shootdowns, 1);
	count(stats.pages, (end - start + PAGE_SIZE - 1) >> PAGE_SHIFT);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		if ((mask & (1UL << cpu)) && cpu_online(cpu)) {
			count(stats.ipis, 1);
			smp_call_function_single(cpu, flush_mm_ipi, &f, true);
		}
}

/* Not counted as a shootdown: no other CPU is involved. */
void flush_tlb_kernel_range_local(unsigned long start, unsigned long end)
{
	start &= PAGE_MASK;
	for (; start < end; start += PAGE_SIZE)
		flush_tlb_one(start);
}

void tlb_stats_read(struct tlb_stats *s)
{
	*s = stats;     /* a snapshot; fields may be a count apart */
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		s->received[cpu] = READ_ONCE(per_cpu(tlb_received, cpu));
		s->full[cpu] = READ_ONCE(per_cpu(tlb_full, cpu));
	}
}
