/*
 * The Page Attribute Table: PWT, PCD (and the PAT bit) in an entry select
 * one of eight memory types held in the IA32_PAT MSR. The power-on value
 * gives WB, WT, UC-, UC, WB, WT, UC-, UC; there is no write-combining. Like
 * Linux we turn entry 1 (PWT alone, formerly write-through, which nothing
 * here uses) into write-combining, so ioremap_wc() needs no PAT bit.
 *
 * IA32_PAT is per CPU, and every CPU must agree: a mapping means the same
 * memory type wherever it is used. So the change runs on every online CPU
 * (on_each_cpu), each flushing its own caches and TLB, and a CPU started
 * later calls pat_cpu_init() before it touches any mapping.
 */
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>

enum { PAT_UC = 0, PAT_WC = 1, PAT_WT = 4, PAT_WP = 5, PAT_WB = 6, PAT_UC_MINUS = 7 };
#define PAT(i, type) ((u64)(type) << ((i) * 8))

pteval_t _page_cache_wc = _PAGE_CACHE_UC;
u64 pat_value;

/* On one CPU, interrupts off. Nothing may be cached under the old types:
 * no mapping uses PWT alone yet, but the SDM's order is flush caches,
 * write, flush caches and TLB. */
static void pat_apply(void *unused)
{
	wbinvd();
	wrmsr(MSR_IA32_PAT, pat_value);
	wbinvd();
	flush_tlb_all();
}

void pat_cpu_init(void)
{
	if (pat_value)
		pat_apply(NULL);
}

void pat_init(void)
{
	if (!boot_cpu.has_pat) {
		pr_info("pat: CPU has no PAT; write-combining mappings fall back to uncached\n");
		return;
	}
	pat_value = PAT(0, PAT_WB) | PAT(1, PAT_WC) | PAT(2, PAT_UC_MINUS) | PAT(3, PAT_UC) |
		    PAT(4, PAT_WB) | PAT(5, PAT_WT) | PAT(6, PAT_UC_MINUS) | PAT(7, PAT_UC);
	on_each_cpu(pat_apply, NULL, true);
	_page_cache_wc = _PAGE_PWT;
	pr_info("pat: IA32_PAT = %016llx (PWT selects write-combining, PCD|PWT uncached)\n",
		(unsigned long long)pat_value);
}
