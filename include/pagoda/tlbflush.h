/*
 * TLB shootdown: when a kernel mapping is removed or its permissions
 * change, every CPU's TLB may still hold the old translation, so every CPU
 * must flush it, not only the one that changed the page table.
 * flush_tlb_kernel_range() (declared in <asm/pgtable.h>) asks all online
 * CPUs at once, with one round of IPIs, and returns when all have flushed;
 * each applies the FLUSH_TLB_CEILING rule to its own TLB. See docs/smp.md.
 */
#ifndef PAGODA_TLBFLUSH_H
#define PAGODA_TLBFLUSH_H

#include <pagoda/smp.h>

/* Flush [start, end) on this CPU only: for mappings that only this CPU can
 * have used (the kmap_local/kmap_atomic slots). Any context. */
void flush_tlb_kernel_range_local(unsigned long start, unsigned long end);
/* Flush every TLB entry, global ones too, on every online CPU. */
void flush_tlb_all_cpus(void);

/* What shootdowns cost so far (`tlbinfo`, tests, benchmarks): a snapshot,
 * with every CPU's per-CPU counts gathered into received[] and full[]. */
struct tlb_stats {
	unsigned long shootdowns;       /* rounds that asked other CPUs */
	unsigned long ipis;             /* IPIs sent by those rounds */
	unsigned long pages;            /* pages those rounds asked to flush */
	unsigned long local_flushes;    /* flushes that needed no other CPU */
	unsigned long received[NR_CPUS];        /* flush requests each CPU ran */
	unsigned long full[NR_CPUS];            /* ... of which became a whole flush */
};
void tlb_stats_read(struct tlb_stats *s);

#endif
