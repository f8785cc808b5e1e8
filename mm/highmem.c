/*
 * kmap_local_page, kmap_atomic and their checks, both builds (the API is
 * in <pagoda/highmem.h>). Each CPU has a stack of KM_MAX_IDX entries; a
 * mapping pushes one, its unmap must pop the same one. A highmem page also
 * takes the fixmap slot FIX_KMAP_BEGIN + cpu * KM_MAX_IDX + depth
 * (mm/highmem_32.c); a lowmem page (every page on x86_64) is pushed with
 * its direct-map address and takes no slot, so a wrong unmap is caught in
 * both builds. The stack is why the order must be strict: the slot of a
 * mapping is its depth, and only the top can be given back.
 */
#include <pagoda/highmem.h>
#include <pagoda/highmem_stats.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include "internal.h"

struct kmap_slot {
	unsigned long vaddr;            /* page-aligned address handed out */
	struct page *page;
	bool atomic;                    /* from kmap_atomic: raised the atomic depth */
	bool high;                      /* holds a fixmap slot */
};

struct kmap_ctrl {
	int idx;                        /* entries in use */
	struct kmap_slot stack[KM_MAX_IDX];
};

static DEFINE_PER_CPU(struct kmap_ctrl, kmap_ctrl);

/*
 * No lock and no cli: only this CPU touches its stack, and an interrupt
 * handler that maps something unmaps it again before it returns, leaving
 * the stack as it found it. What matters is the order of the steps: the
 * index is raised before the slot is filled (a handler arriving in between
 * takes the next slot, not ours) and lowered only after the slot is clear.
 * barrier() keeps the compiler from reordering them.
 *
 * Tasks: the stack is this CPU's, so no other task may run here while a
 * mapping is held (it would push and pop on the same stack): a mapping
 * holds preempt_block() until it is unmapped. Code may call functions that
 * might sleep meanwhile, but must not actually sleep (schedule() reports
 * it). Linux instead saves a task's mappings at each switch.
 */
static void *__kmap_local(struct page *page, bool atomic)
{
	preempt_block();
	int cpu = smp_processor_id();
	struct kmap_ctrl *kc = per_cpu_ptr(&kmap_ctrl, cpu);
	int idx = kc->idx;
	if (idx >= KM_MAX_IDX)
		panic("BUG: kmap_local stack overflow on CPU %d: %d mappings held, at most %d "
		      "(missing kunmap_local? mapping pfn %#lx)", cpu, idx, KM_MAX_IDX, page_to_pfn(page));
	kc->idx = idx + 1;
	barrier();
	struct kmap_slot *s = &kc->stack[idx];
	s->page = page;
	s->atomic = atomic;
	s->high = PageHighMem(page);
	if (s->high)
		s->vaddr = (unsigned long)arch_kmap_local_high(page, cpu * KM_MAX_IDX + idx);
	else
		s->vaddr = (unsigned long)page_address(page);
	if (atomic)
		preempt_count_inc();
	return (void *)s->vaddr;
}

static void __kunmap_local(const void *addr, bool atomic)
{
	unsigned long va = (unsigned long)addr & PAGE_MASK;
	int cpu = smp_processor_id();
	struct kmap_ctrl *kc = per_cpu_ptr(&kmap_ctrl, cpu);
	int idx = kc->idx;
	const char *who = atomic ? "kunmap_atomic" : "kunmap_local";

	if (!idx || kc->stack[idx - 1].vaddr != va) {
		/* Deeper in the stack: mapped, but not the innermost mapping. */
		for (int i = idx - 2; i >= 0; i--)
			if (kc->stack[i].vaddr == va)
				panic("BUG: kunmap_local out of order: %s(%p) on CPU %d is mapping %d of %d, "
				      "the innermost is %p (pfn %#lx): unmap in reverse order of mapping",
				      who, addr, cpu, i + 1, idx, (void *)kc->stack[idx - 1].vaddr,
				      page_to_pfn(kc->stack[idx - 1].page));
		panic("BUG: kunmap of %p which is not mapped (%s on CPU %d, %d kmap_local mappings held)",
		      addr, who, cpu, idx);
	}
	struct kmap_slot *s = &kc->stack[idx - 1];
	if (s->atomic != atomic)
		panic("BUG: %s(%p) of a mapping made by %s", who, addr,
		      s->atomic ? "kmap_atomic" : "kmap_local_page");
	if (atomic)
		preempt_count_dec();
	if (s->high)
		arch_kunmap_local_high((void *)va, cpu * KM_MAX_IDX + idx - 1);
	s->vaddr = 0;
	s->page = NULL;
	barrier();
	kc->idx = idx - 1;
	preempt_unblock();
}

void *kmap_local_page(struct page *page)
{
	return __kmap_local(page, false);
}

void kunmap_local(const void *addr)
{
	__kunmap_local(addr, false);
}

void *kmap_atomic(struct page *page)
{
	return __kmap_local(page, true);
}

void kunmap_atomic(const void *addr)
{
	__kunmap_local(addr, true);
}

int kmap_local_depth(void)
{
	return this_cpu_read(kmap_ctrl.idx);
}

void memcpy_to_page(struct page *page, size_t offset, const void *from, size_t len)
{
	char *to = kmap_local_page(page);
	memcpy(to + offset, from, len);
	kunmap_local(to);
}

void memcpy_from_page(void *to, struct page *page, size_t offset, size_t len)
{
	const char *from = kmap_local_page(page);
	memcpy(to, from + offset, len);
	kunmap_local(from);
}

int kmap_local_for_each(void (*fn)(const struct kmap_local_info *info, void *arg), void *arg)
{
	int n = 0;
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct kmap_ctrl *kc = per_cpu_ptr(&kmap_ctrl, cpu);
		int depth = READ_ONCE(kc->idx);
		for (int i = 0; i < depth && i < KM_MAX_IDX; i++, n++) {
			const struct kmap_slot *s = &kc->stack[i];
			struct kmap_local_info info = {
				.cpu = cpu, .depth = i, .slot = s->high ? cpu * KM_MAX_IDX + i : -1,
				.vaddr = s->vaddr, .pfn = s->page ? page_to_pfn(s->page) : 0, .atomic = s->atomic,
			};
			fn(&info, arg);
		}
	}
	return n;
}
