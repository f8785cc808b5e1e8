/*
 * User address spaces (<pagoda/mm_user.h>, docs/user-memory.md): VMA lists
 * after mmap, munmap and mprotect (exact, splits and merges), demand
 * paging, copy-on-write through dup_mm, stack growth and its guard gap,
 * the faults that must be refused, brk, highmem user pages, no page leaked
 * by a storm of address spaces, and (2+ CPUs) no stale TLB entry after
 * munmap on a CPU that uses the mm.
 *
 * The tests build their own mm (no process needed) and touch its memory
 * as user space would: through the uaccess calls (get_user/put_user)
 * while the test thread works in the mm (kthread_use_mm), so each access
 * goes through the page fault path of mm/fault.c. Where a test needs the
 * fault's own verdict it calls handle_user_fault_why directly.
 */
#include "ktest_observe.h"
#include <pagoda/errno.h>
#include <pagoda/highmem.h>
#include <pagoda/ktest.h>
#include <pagoda/memmap.h>
#include <pagoda/mm.h>
#include <pagoda/monitor.h>
#include <pagoda/mm_user.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/slab.h>
#include <pagoda/smp.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <pagoda/syscalls.h>
#include <pagoda/time.h>
#include <pagoda/uaccess.h>
#include <uapi/pagoda/mman.h>
#include <asm/pgtable.h>
#include "ktest_pages.h"

#define P PAGE_SIZE
#define BASE 0x10000000UL               /* below mmap_base in every build */
#define RW (PROT_READ | PROT_WRITE)
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

/* ---- helpers ----------------------------------------------------------------- */

/* Store / load a u32 at va as user space would, in mm: 0 or -EFAULT. */
static int uput(struct mm_struct *mm, unsigned long va, u32 val)
{
	kthread_use_mm(mm);
	int r = put_user(val, (u32 __user *)va);
	kthread_unuse_mm(mm);
	return r;
}

static int uget(struct mm_struct *mm, unsigned long va, u32 *val)
{
	kthread_use_mm(mm);
	int r = get_user(*val, (u32 __user *)va);
	kthread_unuse_mm(mm);
	return r;
}

/* The leaf PTE for va in mm (0 if none). */
static pteval_t leaf(struct mm_struct *mm, unsigned long va)
{
	struct pt_walk w;
	pt_walk(mm->pgd, va, &w);
	return w.present ? w.leaf : 0;
}

static unsigned long leaf_pfn(struct mm_struct *mm, unsigned long va)
{
	return (unsigned long)((leaf(mm, va) & PTE_ADDR_MASK) >> PAGE_SHIFT);
}

/* What the fault handler says to an access: "served", or why it refused. */
static const char *refusal(struct mm_struct *mm, unsigned long addr, unsigned int flags)
{
	const char *why = NULL;
	int r = handle_user_fault_why(mm, addr, flags, &why);
	if (!r)
		return "served";
	if (r == VM_FAULT_OOM)
		return "OOM";
	return why ? why : "(no reason)";
}

/* The threads a case started are freed before it ends: a later suite's
 * free-page count must not see their stacks come back. */
static void reap_threads(void)
{
	ktest_settled_free_pages();
}

struct want_vma {
	unsigned long start, end, flags;
};

/* The VMA list is exactly want[0..n). */
static void expect_vmas(struct ktest *t, struct mm_struct *mm, const struct want_vma *want, int n)
{
	struct vm_area_struct *vma;
	int i = 0;
	list_for_each_entry(vma, &mm->mmap, vm_list) {
		if (i >= n) {
			ktest_fail_msg(t, __FILE__, __LINE__, "extra VMA %lx-%lx", vma->vm_start, vma->vm_end);
			return;
		}
		if (vma->vm_start != want[i].start || vma->vm_end != want[i].end || vma->vm_flags != want[i].flags)
			ktest_fail_msg(t, __FILE__, __LINE__, "VMA %d is %lx-%lx flags %lx, want %lx-%lx flags %lx", i,
				       vma->vm_start, vma->vm_end, vma->vm_flags, want[i].start, want[i].end,
				       want[i].flags);
		i++;
	}
	if (i != n)
		ktest_fail_msg(t, __FILE__, __LINE__, "%d VMAs, want %d", i, n);
	KTEST_EXPECT_EQ(t, mm->map_count, n);
}

static unsigned long map_fixed(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long prot)
{
	return vm_mmap(mm, addr, len, prot, FIXED, NULL);
}

/* ---- VMAs ---------------------------------------------------------------------- */

static void mmap_munmap_vma_list(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_EXPECT_EQ(t, map_fixed(mm, BASE, 8 * P, RW), BASE);
	KTEST_EXPECT_EQ(t, map_fixed(mm, BASE + 16 * P, 4 * P, PROT_READ), BASE + 16 * P);
	const struct want_vma two[] = {
		{ BASE, BASE + 8 * P, VM_READ | VM_WRITE },
		{ BASE + 16 * P, BASE + 20 * P, VM_READ },
	};
	expect_vmas(t, mm, two, 2);
	KTEST_EXPECT_EQ(t, mm->total_vm, 12);

	/* A hole in the middle splits the first. */
	KTEST_EXPECT_EQ(t, vm_munmap(mm, BASE + 2 * P, 3 * P), 0);
	const struct want_vma three[] = {
		{ BASE, BASE + 2 * P, VM_READ | VM_WRITE },
		{ BASE + 5 * P, BASE + 8 * P, VM_READ | VM_WRITE },
		{ BASE + 16 * P, BASE + 20 * P, VM_READ },
	};
	expect_vmas(t, mm, three, 3);
	KTEST_EXPECT_EQ(t, mm->total_vm, 9);

	/* Filling the hole with the same protection merges all three. */
	KTEST_EXPECT_EQ(t, map_fixed(mm, BASE + 2 * P, 3 * P, RW), BASE + 2 * P);
	const struct want_vma merged[] = {
		{ BASE, BASE + 8 * P, VM_READ | VM_WRITE },
		{ BASE + 16 * P, BASE + 20 * P, VM_READ },
	};
	expect_vmas(t, mm, merged, 2);

	/* MAP_FIXED over both replaces what was there. */
	KTEST_EXPECT_EQ(t, map_fixed(mm, BASE + 6 * P, 12 * P, PROT_READ | PROT_EXEC), BASE + 6 * P);
	const struct want_vma replaced[] = {
		{ BASE, BASE + 6 * P, VM_READ | VM_WRITE },
		{ BASE + 6 * P, BASE + 18 * P, VM_READ | VM_EXEC },
		{ BASE + 18 * P, BASE + 20 * P, VM_READ },
	};
	expect_vmas(t, mm, replaced, 3);

	/* Unmapping across everything, holes included, leaves nothing. */
	KTEST_EXPECT_EQ(t, vm_munmap(mm, BASE - 4 * P, 40 * P), 0);
	expect_vmas(t, mm, NULL, 0);
	KTEST_EXPECT_EQ(t, mm->total_vm, 0);
	mmput(mm);
}

static void mmap_errors_and_search(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_EXPECT_EQ(t, vm_mmap(mm, BASE, 0, RW, FIXED, NULL), (unsigned long)-EINVAL);
	KTEST_EXPECT_EQ(t, vm_mmap(mm, BASE + 1, P, RW, FIXED, NULL), (unsigned long)-EINVAL);
	KTEST_EXPECT_EQ(t, vm_mmap(mm, TASK_SIZE - P, 2 * P, RW, FIXED, NULL), (unsigned long)-EINVAL);
	KTEST_EXPECT_EQ(t, vm_mmap(mm, TASK_SIZE, P, RW, FIXED, NULL), (unsigned long)-EINVAL);
	KTEST_EXPECT_EQ(t, vm_mmap(mm, 0, TASK_SIZE - P, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL),
			(unsigned long)-ENOMEM);
	KTEST_EXPECT_EQ(t, vm_munmap(mm, BASE + 1, P), -EINVAL);
	KTEST_EXPECT_EQ(t, vm_munmap(mm, BASE, 0), -EINVAL);
	expect_vmas(t, mm, NULL, 0);

	/* Without a hint: top down from mmap_base, each below the last. */
	unsigned long a = vm_mmap(mm, 0, 3 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL);
	unsigned long b = vm_mmap(mm, 0, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL);
	KTEST_EXPECT_EQ(t, a, mm->mmap_base - 3 * P);
	KTEST_EXPECT_EQ(t, b, a - P);
	/* A free hint is taken; a taken one is not. */
	KTEST_EXPECT_EQ(t, vm_mmap(mm, BASE, P, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL), BASE);
	unsigned long c = vm_mmap(mm, BASE, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL);
	KTEST_EXPECT_EQ(t, c, b - P);
	mmput(mm);
}

static void map_count_limit(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	/* Every other page: no two VMAs touch, none merge. */
	for (int i = 0; i < MAX_MAP_COUNT; i++)
		KTEST_ASSERT_EQ(t, map_fixed(mm, BASE + 2 * i * P, P, RW), BASE + 2 * i * P);
	KTEST_EXPECT_EQ(t, mm->map_count, MAX_MAP_COUNT);
	KTEST_EXPECT_EQ(t, map_fixed(mm, BASE + 2 * MAX_MAP_COUNT * P, P, RW), (unsigned long)-ENOMEM);
	/* Splitting one would make one more: refused, nothing changed. */
	KTEST_EXPECT_EQ(t, vm_mprotect(mm, BASE, P / 2, PROT_READ), 0);        /* whole VMA: no split */
	KTEST_EXPECT_EQ(t, map_fixed(mm, BASE + P, P, PROT_READ), (unsigned long)-ENOMEM);
	KTEST_EXPECT_EQ(t, mm->map_count, MAX_MAP_COUNT);
	mmput(mm);
}

/* mprotect rebuilds each PTE's protection: the high half of a 64-bit entry
 * (NX on x86_64 and PAE) must survive it, as must write-protection for
 * fork. (A 32-bit ~_PAGE_RW once cleared NX on PAE: data became executable.) */
static void mprotect_keeps_nx(struct ktest *t)
{
	if (!(__supported_pte_mask & _PAGE_NX)) {
		ktest_skip(t, "no NX in this build or on this CPU");
		return;
	}
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE, 2 * P, RW), BASE);
	KTEST_ASSERT_EQ(t, uput(mm, BASE, 1), 0);
	KTEST_ASSERT_EQ(t, uput(mm, BASE + P, 1), 0);
	KTEST_EXPECT_TRUE(t, leaf(mm, BASE) & _PAGE_NX);
	KTEST_EXPECT_EQ(t, vm_mprotect(mm, BASE, P, PROT_READ), 0);
	KTEST_EXPECT_TRUE(t, leaf(mm, BASE) & _PAGE_NX);
	KTEST_EXPECT_FALSE(t, leaf(mm, BASE) & _PAGE_RW);
	KTEST_EXPECT_EQ(t, vm_mprotect(mm, BASE, 2 * P, RW), 0);
	KTEST_EXPECT_TRUE(t, leaf(mm, BASE + P) & _PAGE_NX);
	KTEST_EXPECT_EQ(t, vm_mprotect(mm, BASE, P, PROT_READ | PROT_EXEC), 0);
	KTEST_EXPECT_FALSE(t, leaf(mm, BASE) & _PAGE_NX);
	KTEST_EXPECT_TRUE(t, leaf(mm, BASE + P) & _PAGE_NX);
	mmput(mm);
}

static void mprotect_splits_and_merges(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE, 4 * P, RW), BASE);
	KTEST_ASSERT_EQ(t, uput(mm, BASE + P, 0x1234), 0);
	KTEST_EXPECT_TRUE(t, leaf(mm, BASE + P) & _PAGE_RW);

	KTEST_EXPECT_EQ(t, vm_mprotect(mm, BASE + P, P, PROT_READ), 0);
	const struct want_vma split[] = {
		{ BASE, BASE + P, VM_READ | VM_WRITE },
		{ BASE + P, BASE + 2 * P, VM_READ },
		{ BASE + 2 * P, BASE + 4 * P, VM_READ | VM_WRITE },
	};
	expect_vmas(t, mm, split, 3);
	/* The PTE lost write access; the page is still there. */
	KTEST_EXPECT_TRUE(t, leaf(mm, BASE + P) & _PAGE_PRESENT);
	KTEST_EXPECT_FALSE(t, leaf(mm, BASE + P) & _PAGE_RW);
	KTEST_EXPECT_EQ(t, uput(mm, BASE + P, 1), -EFAULT);
	u32 v = 0;
	KTEST_EXPECT_EQ(t, uget(mm, BASE + P, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x1234u);

	/* PROT_NONE: no access at all, but the page is kept for later. */
	KTEST_EXPECT_EQ(t, vm_mprotect(mm, BASE + P, P, PROT_NONE), 0);
	KTEST_EXPECT_EQ(t, uget(mm, BASE + P, &v), -EFAULT);
	KTEST_EXPECT_EQ(t, mm->rss, 1);

	/* Back to read-write: one VMA again, the data unchanged, writable. */
	KTEST_EXPECT_EQ(t, vm_mprotect(mm, BASE + P, P, RW), 0);
	const struct want_vma one[] = { { BASE, BASE + 4 * P, VM_READ | VM_WRITE } };
	expect_vmas(t, mm, one, 1);
	KTEST_EXPECT_EQ(t, uget(mm, BASE + P, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x1234u);
	unsigned long cow = mm->nr_cow;
	KTEST_EXPECT_EQ(t, uput(mm, BASE + P, 0x5678), 0);
	KTEST_EXPECT_EQ(t, mm->nr_cow, cow);        /* its own page: no copy */

	/* A range with a hole: -ENOMEM, nothing changed. */
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE + 6 * P, P, RW), BASE + 6 * P);
	KTEST_EXPECT_EQ(t, vm_mprotect(mm, BASE, 7 * P, PROT_READ), -ENOMEM);
	const struct want_vma holed[] = {
		{ BASE, BASE + 4 * P, VM_READ | VM_WRITE },
		{ BASE + 6 * P, BASE + 7 * P, VM_READ | VM_WRITE },
	};
	expect_vmas(t, mm, holed, 2);
	KTEST_EXPECT_EQ(t, vm_mprotect(mm, BASE + 1, P, PROT_READ), -EINVAL);
	mmput(mm);
}

/* ---- demand paging and the refused faults ------------------------------------------ */

static void demand_paging(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE, 16 * P, RW), BASE);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	KTEST_EXPECT_EQ(t, leaf(mm, BASE + 5 * P), 0);

	unsigned long faults = mm->nr_faults;
	KTEST_EXPECT_EQ(t, uput(mm, BASE + 5 * P + 8, 0xfeedf00d), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	KTEST_EXPECT_EQ(t, mm->nr_faults, faults + 1);
	pteval_t e = leaf(mm, BASE + 5 * P);
	KTEST_EXPECT_TRUE(t, e & _PAGE_PRESENT);
	KTEST_EXPECT_TRUE(t, e & _PAGE_USER);
	KTEST_EXPECT_TRUE(t, e & _PAGE_RW);
	KTEST_EXPECT_EQ(t, e & _PAGE_NX, _PAGE_NX & __supported_pte_mask);
	KTEST_EXPECT_TRUE(t, PageUser(pfn_to_page(leaf_pfn(mm, BASE + 5 * P))));

	/* The same page again: no fault, no page. */
	KTEST_EXPECT_EQ(t, uput(mm, BASE + 5 * P + 12, 1), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	KTEST_EXPECT_EQ(t, mm->nr_faults, faults + 1);

	/* A new page reads as zeros, and costs a fault. */
	u32 v = 1;
	KTEST_EXPECT_EQ(t, uget(mm, BASE + 9 * P + 100, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0u);
	KTEST_EXPECT_EQ(t, mm->rss, 2);
	KTEST_EXPECT_EQ(t, mm->nr_faults, faults + 2);
	KTEST_EXPECT_EQ(t, uget(mm, BASE + 5 * P + 8, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0xfeedf00du);

	/* munmap gives the page back. */
	KTEST_EXPECT_EQ(t, vm_munmap(mm, BASE + 5 * P, P), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	KTEST_EXPECT_EQ(t, leaf(mm, BASE + 5 * P), 0);
	KTEST_EXPECT_EQ(t, uget(mm, BASE + 5 * P, &v), -EFAULT);
	mmput(mm);
}

static void refused_faults(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE, P, PROT_READ), BASE);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE + 2 * P, P, PROT_NONE), BASE + 2 * P);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE + 4 * P, P, RW), BASE + 4 * P);

	KTEST_EXPECT_STREQ(t, refusal(mm, BASE + P, 0), "no VMA");
	KTEST_EXPECT_STREQ(t, refusal(mm, BASE + 100 * P, FAULT_FLAG_USER), "no VMA");
	KTEST_EXPECT_STREQ(t, refusal(mm, BASE, FAULT_FLAG_WRITE), "write to read-only VMA");
	KTEST_EXPECT_STREQ(t, refusal(mm, BASE + 2 * P, 0), "access to PROT_NONE VMA");
	if (_PAGE_NX & __supported_pte_mask)
		KTEST_EXPECT_STREQ(t, refusal(mm, BASE + 4 * P, FAULT_FLAG_INSTRUCTION),
				   "instruction fetch from non-executable VMA");
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	KTEST_EXPECT_EQ(t, mm->nr_faults, 0);
	/* The same through uaccess: -EFAULT, nothing mapped. */
	u32 v;
	KTEST_EXPECT_EQ(t, uput(mm, BASE, 1), -EFAULT);
	KTEST_EXPECT_EQ(t, uget(mm, BASE + 2 * P, &v), -EFAULT);
	KTEST_EXPECT_EQ(t, uget(mm, BASE + P, &v), -EFAULT);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	/* A read of the read-only VMA is served. */
	KTEST_EXPECT_EQ(t, uget(mm, BASE, &v), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	mmput(mm);
}

/* ---- stacks ------------------------------------------------------------------------ */

static void stack_grows_down_to_guard_gap(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	unsigned long top = BASE + 64 * P;
	mm->stack_limit = top - 32 * P;
	KTEST_ASSERT_EQ(t, vm_mmap(mm, top - P, P, RW, FIXED | MAP_GROWSDOWN, "[stack]"), top - P);
	/* Below it: the VMA grows down to the page touched. */
	KTEST_EXPECT_EQ(t, uput(mm, top - 5 * P + 4, 42), 0);
	const struct want_vma grown[] = { { top - 5 * P, top, VM_READ | VM_WRITE | VM_GROWSDOWN } };
	expect_vmas(t, mm, grown, 1);
	KTEST_EXPECT_EQ(t, mm->total_vm, 5);
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	/* Not below the stack limit. */
	KTEST_EXPECT_STREQ(t, refusal(mm, mm->stack_limit - 1, FAULT_FLAG_WRITE),
			   "stack growth beyond the stack limit");

	/* A VMA below: the stack may come no closer than one page. */
	unsigned long below_end = top - 20 * P;
	KTEST_ASSERT_EQ(t, map_fixed(mm, below_end - 4 * P, 4 * P, RW), below_end - 4 * P);
	KTEST_EXPECT_STREQ(t, refusal(mm, below_end + 8, FAULT_FLAG_WRITE), "stack guard gap");
	KTEST_EXPECT_EQ(t, uput(mm, below_end + P, 7), 0);       /* just above the gap */
	const struct want_vma gapped[] = {
		{ below_end - 4 * P, below_end, VM_READ | VM_WRITE },
		{ below_end + P, top, VM_READ | VM_WRITE | VM_GROWSDOWN },
	};
	expect_vmas(t, mm, gapped, 2);
	/* mmap's search keeps the gap below a stack too. */
	KTEST_EXPECT_EQ(t, vm_mmap(mm, below_end, P, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL) == below_end, false);
	mmput(mm);
}

/* ---- brk ------------------------------------------------------------------------------ */

static void brk_grows_and_shrinks(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_EXPECT_EQ(t, vm_brk(mm, BASE + P), 0);        /* no heap yet: start_brk unset */
	mm->start_brk = mm->brk = BASE;
	KTEST_EXPECT_EQ(t, vm_brk(mm, BASE + 3 * P + 10), BASE + 3 * P + 10);
	const struct want_vma heap[] = { { BASE, BASE + 4 * P, VM_READ | VM_WRITE } };
	expect_vmas(t, mm, heap, 1);
	KTEST_EXPECT_STREQ(t, list_first_entry(&mm->mmap, struct vm_area_struct, vm_list)->vm_name, "[heap]");
	for (int i = 0; i < 4; i++)
		KTEST_EXPECT_EQ(t, uput(mm, BASE + i * P, i), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 4);
	/* Growing again extends the same VMA. */
	KTEST_EXPECT_EQ(t, vm_brk(mm, BASE + 6 * P), BASE + 6 * P);
	const struct want_vma heap6[] = { { BASE, BASE + 6 * P, VM_READ | VM_WRITE } };
	expect_vmas(t, mm, heap6, 1);
	/* Shrinking frees the pages above. */
	KTEST_EXPECT_EQ(t, vm_brk(mm, BASE + P), BASE + P);
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	const struct want_vma heap1[] = { { BASE, BASE + P, VM_READ | VM_WRITE } };
	expect_vmas(t, mm, heap1, 1);
	/* Below start_brk, or into another VMA: refused, brk unchanged. */
	KTEST_EXPECT_EQ(t, vm_brk(mm, BASE - P), BASE + P);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE + 3 * P, P, PROT_READ), BASE + 3 * P);
	KTEST_EXPECT_EQ(t, vm_brk(mm, BASE + 5 * P), BASE + P);
	KTEST_EXPECT_EQ(t, mm->brk, BASE + P);
	mmput(mm);
}

/* ---- copy-on-write ------------------------------------------------------------------------ */

static void cow_each_side_sees_its_own_writes(struct ktest *t)
{
	struct mm_struct *parent = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, parent);
	KTEST_ASSERT_EQ(t, map_fixed(parent, BASE, 2 * P, RW), BASE);
	KTEST_ASSERT_EQ(t, map_fixed(parent, BASE + 4 * P, P, PROT_READ), BASE + 4 * P);
	KTEST_ASSERT_EQ(t, uput(parent, BASE, 0x1111), 0);
	u32 v;
	KTEST_ASSERT_EQ(t, uget(parent, BASE + 4 * P, &v), 0);
	unsigned long pfn = leaf_pfn(parent, BASE);

	struct mm_struct *child = dup_mm(parent);
	KTEST_ASSERT_NOT_NULL(t, child);
	const struct want_vma vmas[] = {
		{ BASE, BASE + 2 * P, VM_READ | VM_WRITE },
		{ BASE + 4 * P, BASE + 5 * P, VM_READ },
	};
	expect_vmas(t, child, vmas, 2);
	KTEST_EXPECT_EQ(t, child->rss, 2);
	/* One page, two read-only mappings. */
	KTEST_EXPECT_EQ(t, leaf_pfn(child, BASE), pfn);
	KTEST_EXPECT_EQ(t, pfn_to_page(pfn)->_mapcount, 2);
	KTEST_EXPECT_FALSE(t, leaf(parent, BASE) & _PAGE_RW);
	KTEST_EXPECT_FALSE(t, leaf(child, BASE) & _PAGE_RW);

	/* The child writes: it gets a copy, the parent still sees its value. */
	KTEST_EXPECT_EQ(t, uput(child, BASE, 0x2222), 0);
	KTEST_EXPECT_EQ(t, child->nr_cow, 1);
	KTEST_EXPECT_NE(t, leaf_pfn(child, BASE), pfn);
	KTEST_EXPECT_EQ(t, uget(parent, BASE, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x1111u);
	KTEST_EXPECT_EQ(t, uget(child, BASE, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x2222u);
	KTEST_EXPECT_EQ(t, pfn_to_page(pfn)->_mapcount, 1);

	/* The parent is the last mapper: write access back, no copy. */
	KTEST_EXPECT_EQ(t, uput(parent, BASE, 0x3333), 0);
	KTEST_EXPECT_EQ(t, parent->nr_cow, 0);
	KTEST_EXPECT_EQ(t, leaf_pfn(parent, BASE), pfn);
	KTEST_EXPECT_EQ(t, uget(parent, BASE, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x3333u);
	KTEST_EXPECT_EQ(t, uget(child, BASE, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x2222u);

	/* A page first touched after the fork is each side's own. */
	KTEST_EXPECT_EQ(t, uput(child, BASE + P, 5), 0);
	KTEST_EXPECT_EQ(t, uget(parent, BASE + P, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0u);
	/* The read-only VMA's page stays shared and read-only. */
	KTEST_EXPECT_EQ(t, leaf_pfn(child, BASE + 4 * P), leaf_pfn(parent, BASE + 4 * P));
	KTEST_EXPECT_EQ(t, uput(child, BASE + 4 * P, 1), -EFAULT);

	/* The parent goes first: the child's pages stay good. */
	mmput(parent);
	KTEST_EXPECT_EQ(t, uget(child, BASE, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x2222u);
	mmput(child);
}

/* ---- highmem ------------------------------------------------------------------------------- */

static void user_pages_come_from_highmem(struct ktest *t)
{
	drain_all_pages();
	if (!zones[ZONE_HIGHMEM].free_pages) {
		ktest_skip(t, "no free high memory (x86_64, or i386 with <= 896 MiB)");
		return;
	}
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE, 4 * P, RW), BASE);
	KTEST_ASSERT_EQ(t, uput(mm, BASE + 8, 0xabcd), 0);
	struct page *page = pfn_to_page(leaf_pfn(mm, BASE));
	KTEST_EXPECT_EQ(t, page_zonenum(page), ZONE_HIGHMEM);
	KTEST_EXPECT_TRUE(t, PageHighMem(page));
	/* The kernel reaches it only through kmap_local. */
	u32 *k = kmap_local_page(page);
	KTEST_EXPECT_EQ(t, k[2], 0xabcdu);
	KTEST_EXPECT_EQ(t, k[3], 0u);
	kunmap_local(k);
	/* Copy-on-write between two highmem pages. */
	unsigned long pfn = page_to_pfn(page);
	struct mm_struct *child = dup_mm(mm);
	KTEST_ASSERT_NOT_NULL(t, child);
	KTEST_EXPECT_EQ(t, uput(child, BASE + 12, 0x77), 0);
	KTEST_EXPECT_NE(t, leaf_pfn(child, BASE), pfn);
	KTEST_EXPECT_EQ(t, page_zonenum(pfn_to_page(leaf_pfn(child, BASE))), ZONE_HIGHMEM);
	printk("# user page at pfn %#lx (HighMem), the child's COW copy at pfn %#lx\n", pfn,
	       leaf_pfn(child, BASE));
	u32 v;
	KTEST_EXPECT_EQ(t, uget(child, BASE + 8, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0xabcdu);
	KTEST_EXPECT_EQ(t, uget(mm, BASE + 12, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0u);                  /* the child's write stayed its own */
	/* The parent is the highmem page's last user now: it keeps it. */
	KTEST_EXPECT_EQ(t, uput(mm, BASE + 16, 0x99), 0);
	KTEST_EXPECT_EQ(t, leaf_pfn(mm, BASE), pfn);
	KTEST_EXPECT_EQ(t, mm->nr_cow, 0);
	KTEST_EXPECT_EQ(t, uget(child, BASE + 16, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0u);
	mmput(child);
	mmput(mm);
}

/* ---- nothing leaks ------------------------------------------------------------------------ */

static void page_leak_storm(struct ktest *t)
{
	unsigned long before = ktest_settled_free_pages();
	unsigned long tables = pgtable_pages_allocated();
	u64 t0 = ktime_get_ns();
	for (int i = 0; i < 300; i++) {
		struct mm_struct *mm = mm_alloc();
		KTEST_ASSERT_NOT_NULL(t, mm);
		unsigned long a = vm_mmap(mm, 0, 8 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL);
		KTEST_ASSERT_FALSE(t, IS_ERR_VALUE(a));
		/* Far apart: a table of its own at every level. */
		KTEST_ASSERT_EQ(t, map_fixed(mm, BASE + (i % 7) * (4UL << 20), 2 * P, RW), BASE + (i % 7) * (4UL << 20));
		KTEST_ASSERT_EQ(t, uput(mm, a + (i % 8) * P, i), 0);
		KTEST_ASSERT_EQ(t, uput(mm, BASE + (i % 7) * (4UL << 20), i), 0);
		struct mm_struct *child = dup_mm(mm);
		KTEST_ASSERT_NOT_NULL(t, child);
		KTEST_ASSERT_EQ(t, uput(child, a + (i % 8) * P, i + 1), 0);
		if (i & 1)
			KTEST_ASSERT_EQ(t, vm_munmap(mm, a, 8 * P), 0);
		mmput(i & 2 ? child : mm);
		mmput(i & 2 ? mm : child);
	}
	printk("# 300 rounds of mm_alloc, mmap, touch, dup_mm, COW, mmput: %llu us each\n",
	       (unsigned long long)((ktime_get_ns() - t0) / 300 / 1000));
	unsigned long after = ktest_settled_free_pages();
	KTEST_EXPECT_EQ(t, after, before);
	KTEST_EXPECT_EQ(t, pgtable_pages_allocated(), tables);
}

/* ---- out of memory ------------------------------------------------------------------------------ */

/* Take every free page gfp can get onto hog (through lru); returns how many. */
static unsigned long hog_all(struct list_head *hog, gfp_t gfp)
{
	unsigned long n = 0;
	struct page *page;
	drain_all_pages();
	while ((page = alloc_page(gfp | __GFP_NOWARN))) {
		list_add(&page->lru, hog);
		n++;
	}
	return n;
}

static void hog_free(struct list_head *hog, unsigned long n)
{
	while (n-- && !list_empty(hog)) {
		struct page *page = list_first_entry(hog, struct page, lru);
		list_del(&page->lru);
		__free_page(page);
	}
}

static void fault_without_memory_is_oom(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	LIST_HEAD(hog);
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE, 2 * P, RW), BASE);
	KTEST_ASSERT_EQ(t, uput(mm, BASE, 1), 0);       /* the page tables exist */
	hog_all(&hog, GFP_HIGHUSER);
	const char *why = NULL;
	KTEST_EXPECT_EQ(t, handle_user_fault_why(mm, BASE + P, FAULT_FLAG_WRITE, &why), VM_FAULT_OOM);
	KTEST_EXPECT_STREQ(t, why ? why : "(none)", "out of memory");
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	hog_free(&hog, ~0UL);
	KTEST_EXPECT_EQ(t, uput(mm, BASE + P, 2), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 2);
	mmput(mm);
}

/* dup_mm with too little memory for its tables: NULL, and every failed
 * attempt gives back all it took; with enough, it works. */
static void dup_mm_unwinds_on_failure(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	LIST_HEAD(hog);
	KTEST_ASSERT_NOT_NULL(t, mm);
	/* 8 VMAs 4 MiB apart: a page table each in the copy. */
	for (int i = 0; i < 8; i++) {
		unsigned long a = BASE + i * (4UL << 20);
		KTEST_ASSERT_EQ(t, map_fixed(mm, a, 2 * P, i & 1 ? PROT_READ : RW), a);
		KTEST_ASSERT_EQ(t, uget(mm, a, &(u32){ 0 }), 0);
	}
	/* Memory pressure itself lets some caches go: once before counting. */
	hog_all(&hog, GFP_KERNEL);
	hog_free(&hog, ~0UL);
	unsigned long before = ktest_settled_free_pages();
	hog_all(&hog, GFP_KERNEL);
	int failures = 0;
	struct mm_struct *child = NULL;
	for (int k = 0; k < 64 && !child; k++) {
		hog_free(&hog, 1);      /* one more page each round */
		unsigned long free = nr_free_pages();
		child = dup_mm(mm);
		if (!child) {
			failures++;
			kmem_cache_shrink_all();
			drain_all_pages();
			KTEST_EXPECT_EQ(t, nr_free_pages(), free);
		}
	}
	hog_free(&hog, ~0UL);
	printk("# dup_mm failed %d times (each one page shorter) before it had enough\n", failures);
	KTEST_EXPECT_GT(t, failures, 0);
	KTEST_ASSERT_NOT_NULL(t, child);
	KTEST_EXPECT_EQ(t, child->rss, 8);
	KTEST_EXPECT_EQ(t, child->map_count, 8);
	/* The parent's pages lost write access in the failed copies: its
	 * writes get it back without a copy (it is the only mapper). */
	mmput(child);
	unsigned long cow = mm->nr_cow;
	KTEST_EXPECT_EQ(t, uput(mm, BASE, 3), 0);
	KTEST_EXPECT_EQ(t, mm->nr_cow, cow);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
	mmput(mm);
}

/* ---- no stale TLB entry on another CPU -------------------------------------------------------- */

struct tlb_reader {
	struct mm_struct *mm;
	unsigned long addr;
	volatile int phase;             /* 1: read once; 2: the test unmapped, read again; 3: done */
	int first, second;              /* get_user's results */
	u32 value;
};

static int tlb_reader_fn(void *arg)
{
	struct tlb_reader *r = arg;
	kthread_use_mm(r->mm);
	r->first = get_user(r->value, (u32 __user *)r->addr);
	__atomic_store_n(&r->phase, 1, __ATOMIC_RELEASE);
	/* Stay in the mm, on this CPU, with the translation cached. */
	while (__atomic_load_n(&r->phase, __ATOMIC_ACQUIRE) != 2)
		cpu_relax();
	r->second = get_user(r->value, (u32 __user *)r->addr);
	kthread_unuse_mm(r->mm);
	__atomic_store_n(&r->phase, 3, __ATOMIC_RELEASE);
	return 0;
}

static void munmap_flushes_other_cpus(struct ktest *t)
{
	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs 2 CPUs");
		return;
	}
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE, P, RW), BASE);
	KTEST_ASSERT_EQ(t, uput(mm, BASE, 0x5a5a), 0);
	struct tlb_reader r = { .mm = mm, .addr = BASE };
	int other = cpu_next_online(smp_processor_id());
	struct task_struct *k = kthread_create(tlb_reader_fn, &r, "tlb_reader");
	KTEST_ASSERT_NOT_NULL(t, k);
	kthread_bind(k, other);
	wake_up_process(k);
	while (__atomic_load_n(&r.phase, __ATOMIC_ACQUIRE) != 1)
		msleep(1);
	KTEST_EXPECT_EQ(t, r.first, 0);
	KTEST_EXPECT_EQ(t, r.value, 0x5a5au);
	KTEST_EXPECT_TRUE(t, mm->cpu_mask & (1UL << other));
	KTEST_EXPECT_EQ(t, vm_munmap(mm, BASE, P), 0);
	__atomic_store_n(&r.phase, 2, __ATOMIC_RELEASE);
	while (__atomic_load_n(&r.phase, __ATOMIC_ACQUIRE) != 3)
		msleep(1);
	/* Without the shootdown its TLB would still translate the page. */
	KTEST_EXPECT_EQ(t, r.second, -EFAULT);
	KTEST_EXPECT_FALSE(t, mm->cpu_mask & (1UL << other));
	mmput(mm);
	reap_threads();
}

/* ---- lazy TLB ---------------------------------------------------------------------------------- */

struct lazy_user {
	struct mm_struct *mm;
	volatile int phase;             /* 1: using the mm, asleep; 2: may go on; 3: done */
};

static int lazy_user_fn(void *arg)
{
	struct lazy_user *u = arg;
	kthread_use_mm(u->mm);
	__atomic_store_n(&u->phase, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&u->phase, __ATOMIC_ACQUIRE) != 2)
		msleep(1);              /* its CPU runs others meanwhile, in mm's tables */
	kthread_unuse_mm(u->mm);
	__atomic_store_n(&u->phase, 3, __ATOMIC_RELEASE);
	return 0;
}

/* While a task using mm sleeps, whoever runs on its CPU next borrows mm
 * (CR3 stays) and holds a reference, so the pgd cannot go while it is in
 * CR3; the reference goes when the owner comes back. */
static void lazy_tlb_holds_borrowed_mm(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	struct lazy_user u = { .mm = mm };
	struct task_struct *k = kthread_create(lazy_user_fn, &u, "lazy_user");
	KTEST_ASSERT_NOT_NULL(t, k);
	int me = smp_processor_id();
	kthread_bind(k, num_online_cpus() > 1 ? cpu_next_online(me) : me);
	wake_up_process(k);
	while (__atomic_load_n(&u.phase, __ATOMIC_ACQUIRE) != 1)
		msleep(1);
	msleep(20);                     /* k sleeps: its CPU switched away */
	/* The mm's own reference, k's (kthread_use_mm), the borrower's. */
	KTEST_EXPECT_EQ(t, __atomic_load_n(&mm->mm_count, __ATOMIC_ACQUIRE), 3);
	__atomic_store_n(&u.phase, 2, __ATOMIC_RELEASE);
	while (__atomic_load_n(&u.phase, __ATOMIC_ACQUIRE) != 3)
		msleep(1);
	msleep(20);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&mm->mm_count, __ATOMIC_ACQUIRE), 1);
	KTEST_EXPECT_EQ(t, mm->cpu_mask, 0);
	mmput(mm);
	reap_threads();
}

/* ---- what the monitor shows ------------------------------------------------------------------------ */

static void memmap_marks_user_pages(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE, P, RW), BASE);
	KTEST_ASSERT_EQ(t, uput(mm, BASE, 1), 0);
	unsigned long pfn = leaf_pfn(mm, BASE);
	struct ktest_pfn_state p;
	ktest_memmap_state(pfn, &p);
	KTEST_EXPECT_STREQ(t, p.state, "user");
	mmput(mm);
	/* Freed: no longer user memory. */
	drain_all_pages();
	ktest_memmap_state(pfn, &p);
	KTEST_ASSERT_NE(t, p.state[0], 0);
	KTEST_EXPECT_EQ(t, strcmp(p.state, "user") != 0, true);
}

/* A kernel thread that works in an mm until told to stop: a pid with a
 * user address space for `vmas` and `pt`, before processes exist. */
static int mm_holder_fn(void *arg)
{
	struct mm_struct *mm = arg;
	kthread_use_mm(mm);
	while (!kthread_should_stop())
		msleep(5);
	kthread_unuse_mm(mm);
	return 0;
}

static char out[4096];

#define run(...) ktest_monitor(out, sizeof(out), __VA_ARGS__)

static void monitor_vmas_and_pt(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	mm->start_brk = mm->brk = BASE;
	KTEST_ASSERT_EQ(t, vm_brk(mm, BASE + 2 * P), BASE + 2 * P);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE + 8 * P, 3 * P, PROT_READ | PROT_EXEC), BASE + 8 * P);
	KTEST_ASSERT_EQ(t, uput(mm, BASE + P, 0x99), 0);
	struct task_struct *k = kthread_run(mm_holder_fn, mm, "mm_holder");
	KTEST_ASSERT_NOT_NULL(t, k);
	while (READ_ONCE(k->mm) != mm)
		msleep(1);

	char want[96];
	KTEST_EXPECT_EQ(t, run("vmas %d", k->pid), MON_OK);
	snprintf(want, sizeof(want), "%0*lx-%0*lx rw-p      8 kB rss      4 kB [heap]", (int)sizeof(long) * 2, BASE,
		 (int)sizeof(long) * 2, BASE + 2 * P);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, want));
	snprintf(want, sizeof(want), "%0*lx-%0*lx r-xp     12 kB rss      0 kB", (int)sizeof(long) * 2,
		 BASE + 8 * P, (int)sizeof(long) * 2, BASE + 11 * P);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, want));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "2 VMAs, 20 kB mapped, rss 4 kB"));

	KTEST_EXPECT_EQ(t, run("pt %d %lx", k->pid, BASE + P + 0x10), MON_OK);
	snprintf(want, sizeof(want), "=> physical address %#llx",
		 (unsigned long long)PFN_PHYS(leaf_pfn(mm, BASE + P)) + 0x10);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, want));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "P W U"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "[heap]"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "kernel half: top-level entries the very same as swapper_pg_dir's"));
	KTEST_EXPECT_EQ(t, run("pt %d %lx", k->pid, BASE + 4 * P), MON_OK);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "in no VMA"));
	/* The page behind it: a user page, and how many PTEs share it. */
	KTEST_EXPECT_EQ(t, run("page %llx", (unsigned long long)PFN_PHYS(leaf_pfn(mm, BASE + P))), MON_OK);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "user)"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "page: user memory: mapped by 1 PTEs (_mapcount)"));

	/* A kernel thread has none; a pid nobody has is said so. */
	KTEST_EXPECT_EQ(t, run("vmas 1"), MON_FAILED);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "has no user address space"));
	KTEST_EXPECT_EQ(t, run("vmas 99999"), MON_FAILED);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "no task with pid 99999"));
	KTEST_EXPECT_EQ(t, run("vmas"), MON_USAGE);

	kthread_stop(k);
	mmput(mm);
	reap_threads();
}

/* ---- the system calls ---------------------------------------------------------------------------- */

static long call6(long (*fn)(struct pt_regs *), unsigned long a0, unsigned long a1, unsigned long a2,
		  unsigned long a3, unsigned long a4, unsigned long a5)
{
	struct pt_regs regs;
	const unsigned long a[6] = { a0, a1, a2, a3, a4, a5 };
	memset(&regs, 0, sizeof(regs));
	for (int i = 0; i < 6; i++)
		syscall_set_arg(&regs, i, a[i]);
	return fn(&regs);
}

/* The handlers on current->mm: only private anonymous mmap, no fd, no offset. */
static void memory_syscalls(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const unsigned long anon = MAP_PRIVATE | MAP_ANONYMOUS;
	KTEST_ASSERT_NOT_NULL(t, mm);
	mm->start_brk = mm->brk = BASE;
	kthread_use_mm(mm);
	long a = call6(sys_mmap, 0, 3 * P, RW, anon, -1UL, 0);
	long e1 = call6(sys_mmap, 0, P, RW, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0);
	long e2 = call6(sys_mmap, 0, P, RW, MAP_PRIVATE, -1UL, 0);
	long e3 = call6(sys_mmap, 0, P, RW, anon, 3, 0);
	long e4 = call6(sys_mmap, 0, P, RW, anon, -1UL, P);
	long e5 = call6(sys_mmap, 0, P, RW, anon | 0x40000, -1UL, 0);
	long e6 = call6(sys_mmap, 0, P, 8, anon, -1UL, 0);
	long f = call6(sys_mmap, BASE + 16 * P, P, PROT_READ, anon | MAP_FIXED, -1UL, 0);
	long p = call6(sys_mprotect, a, P, PROT_READ, 0, 0, 0);
	long u = call6(sys_munmap, a + 2 * P, P, 0, 0, 0, 0);
	long b = call6(sys_brk, BASE + 2 * P, 0, 0, 0, 0, 0);
	long b0 = call6(sys_brk, 0, 0, 0, 0, 0, 0);
	kthread_unuse_mm(mm);

	KTEST_EXPECT_EQ(t, a, (long)(mm->mmap_base - 3 * P));
	KTEST_EXPECT_EQ(t, e1, -EINVAL);
	KTEST_EXPECT_EQ(t, e2, -EINVAL);
	KTEST_EXPECT_EQ(t, e3, -EINVAL);
	KTEST_EXPECT_EQ(t, e4, -EINVAL);
	KTEST_EXPECT_EQ(t, e5, -EINVAL);
	KTEST_EXPECT_EQ(t, e6, -EINVAL);
	KTEST_EXPECT_EQ(t, f, (long)(BASE + 16 * P));
	KTEST_EXPECT_EQ(t, p, 0);
	KTEST_EXPECT_EQ(t, u, 0);
	KTEST_EXPECT_EQ(t, b, (long)(BASE + 2 * P));
	KTEST_EXPECT_EQ(t, b0, (long)(BASE + 2 * P));       /* brk(0) asks where it is */
	const struct want_vma vmas[] = {
		{ BASE, BASE + 2 * P, VM_READ | VM_WRITE },
		{ BASE + 16 * P, BASE + 17 * P, VM_READ },
		{ a, a + P, VM_READ },
		{ a + P, a + 2 * P, VM_READ | VM_WRITE },
	};
	expect_vmas(t, mm, vmas, 4);
	mmput(mm);
}

/* ---- a kernel bug: touching user memory without uaccess ------------------------------------------ */

/* A plain load from a user address inside a VMA: served for a uaccess
 * copy, but here an oops, named as such (SMAP would refuse a present
 * page too; this one is not even present). */
static void direct_user_access_oopses(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	KTEST_ASSERT_EQ(t, map_fixed(mm, BASE, P, RW), BASE);
	kthread_use_mm(mm);
	u32 v = *(volatile u32 *)BASE;
	kthread_unuse_mm(mm);
	ktest_fail_msg(t, __FILE__, __LINE__, "the load returned %u", v);
	mmput(mm);
}

static struct ktest_case user_mm_cases[] = {
	KTEST_CASE(mmap_munmap_vma_list),
	KTEST_CASE(mmap_errors_and_search),
	KTEST_CASE(map_count_limit),
	KTEST_CASE(mprotect_splits_and_merges),
	KTEST_CASE(mprotect_keeps_nx),
	KTEST_CASE(demand_paging),
	KTEST_CASE(refused_faults),
	KTEST_CASE(stack_grows_down_to_guard_gap),
	KTEST_CASE(brk_grows_and_shrinks),
	KTEST_CASE(cow_each_side_sees_its_own_writes),
	KTEST_CASE(user_pages_come_from_highmem),
	KTEST_CASE(page_leak_storm),
	KTEST_CASE(fault_without_memory_is_oom),
	KTEST_CASE(dup_mm_unwinds_on_failure),
	KTEST_CASE(munmap_flushes_other_cpus),
	KTEST_CASE(lazy_tlb_holds_borrowed_mm),
	KTEST_CASE(memmap_marks_user_pages),
	KTEST_CASE(monitor_vmas_and_pt),
	KTEST_CASE(memory_syscalls),
	KTEST_PANIC_CASE(direct_user_access_oopses, "kernel access to user memory outside uaccess"),
	{}
};
KTEST_SUITE(user_mm, user_mm_cases);
