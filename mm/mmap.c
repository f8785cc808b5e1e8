/*
 * VMAs: the list of an address space's mapped ranges, sorted by address,
 * never overlapping, and the mmap family that edits it: vm_mmap (with the
 * top-down search for room), vm_munmap and vm_mprotect (splitting VMAs at
 * the range's ends, merging equal neighbours afterwards), vm_brk (the
 * heap). A VMA says what may be there: anonymous memory, or a memory
 * object's pages (VM_SHARED: the VMA holds a reference to the object,
 * dropped when the VMA goes, after its pages are unmapped; mm/memobj_map.c).
 * The pages come on the first touch (mm/memory.c). A list, not Linux's maple tree: a process has a handful.
 */
#include <pagoda/errno.h>
#include <pagoda/memobj.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <uapi/pagoda/mman.h>
#include "mm_user_internal.h"

#define vma_pages(v) (((v)->vm_end - (v)->vm_start) >> PAGE_SHIFT)

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	list_for_each_entry(vma, &mm->mmap, vm_list)
		if (vma->vm_end > addr)
			return vma;
	return NULL;
}

struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	return vma->vm_list.prev == &mm->mmap ? NULL : list_entry(vma->vm_list.prev, struct vm_area_struct, vm_list);
}

static struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	return vma->vm_list.next == &mm->mmap ? NULL : list_entry(vma->vm_list.next, struct vm_area_struct, vm_list);
}

struct vm_area_struct *vma_dup(const struct vm_area_struct *vma, struct mm_struct *mm)
{
	struct vm_area_struct *n = kmalloc(sizeof(*n), GFP_KERNEL);
	if (n) {
		*n = *vma;
		n->vm_mm = mm;
		INIT_LIST_HEAD(&n->vm_list);
		if (n->vm_memobj)
			memobj_ref(n->vm_memobj);
	}
	return n;
}

/* A VMA's end: its memory object's reference goes with it. */
static void vma_free(struct vm_area_struct *vma)
{
	if (vma->vm_memobj)
		memobj_put(vma->vm_memobj);
	kfree(vma);
}

/* Into the list at its place (the caller made sure nothing overlaps). */
static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *next = find_vma(mm, vma->vm_start);
	list_add_tail(&vma->vm_list, next ? &next->vm_list : &mm->mmap);
	mm->map_count++;
	mm->total_vm += vma_pages(vma);
}

static void vma_unlink_free(struct mm_struct *mm, struct vm_area_struct *vma)
{
	list_del(&vma->vm_list);
	mm->map_count--;
	mm->total_vm -= vma_pages(vma);
	vma_free(vma);
}

void free_all_vmas(struct mm_struct *mm)
{
	while (!list_empty(&mm->mmap))
		vma_unlink_free(mm, list_first_entry(&mm->mmap, struct vm_area_struct, vm_list));
}

/* Cut vma in two at addr (page aligned, strictly inside): vma keeps
 * [start, addr), a new VMA after it takes [addr, end). */
static int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	if (mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	struct vm_area_struct *n = vma_dup(vma, mm);
	if (!n)
		return -ENOMEM;
	n->vm_start = addr;
	n->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	vma->vm_end = addr;
	list_add(&n->vm_list, &vma->vm_list);
	mm->map_count++;
	return 0;
}

static bool vma_mergeable(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	if (a->vm_end != b->vm_start || a->vm_flags != b->vm_flags)
		return false;
	/* Shared: the same object, its pages in a row. */
	if (a->vm_memobj != b->vm_memobj || (a->vm_memobj && a->vm_pgoff + vma_pages(a) != b->vm_pgoff))
		return false;
	if (!a->vm_name || !b->vm_name)
		return a->vm_name == b->vm_name;
	return !strcmp(a->vm_name, b->vm_name);
}

/* Absorb the next VMA into vma if they are equal and touch. */
static bool merge_next(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma_next(vma);
	if (!next || !vma_mergeable(vma, next))
		return false;
	vma->vm_end = next->vm_end;
	list_del(&next->vm_list);
	mm->map_count--;
	vma_free(next);
	return true;
}

/* Join vma with equal neighbours on either side. */
static void vma_merge_around(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(vma);
	merge_next(mm, vma);
	if (prev)
		merge_next(mm, prev);
}

/* Make start and end VMA boundaries where a VMA covers them. */
static int split_at(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	if (vma && vma->vm_start < start) {
		int r = split_vma(mm, vma, start);
		if (r)
			return r;
	}
	vma = find_vma(mm, end);
	if (vma && vma->vm_start < end)
		return split_vma(mm, vma, end);
	return 0;
}

int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	int r = split_at(mm, start, end);
	if (r)
		return r;
	/* The pages first: a VMA may hold the last reference to the memory
	 * object whose pages its PTEs point to. */
	zap_user_range(mm, start, end);
	struct vm_area_struct *vma = find_vma(mm, start), *n;
	while (vma && vma->vm_start < end) {
		n = vma_next(vma);
		vma_unlink_free(mm, vma);
		vma = n;
	}
	return 0;
}

static bool range_ok(unsigned long addr, unsigned long len)
{
	return !(addr & ~PAGE_MASK) && len && len <= TASK_SIZE && addr <= TASK_SIZE - len;
}

int vm_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	len = PAGE_ALIGN(len);
	if (!range_ok(addr, len))
		return -EINVAL;
	mutex_lock(&mm->mmap_lock);
	int r = do_munmap(mm, addr, addr + len);
	mutex_unlock(&mm->mmap_lock);
	return r;
}

/* True if nothing (and no stack's guard gap) lies in [addr, addr + len). */
static bool range_free(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	if (!vma)
		return true;
	unsigned long floor = vma->vm_start - ((vma->vm_flags & VM_GROWSDOWN) ? STACK_GUARD_GAP : 0);
	return addr + len <= floor && vma->vm_start >= addr + len;
}

/* The highest gap of len bytes below mm->mmap_base (top down, as Linux). */
static unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long len)
{
	unsigned long high = mm->mmap_base;
	struct vm_area_struct *vma;

	/* From the top: the gap above each VMA is [vm_end, high). */
	list_for_each_entry_reverse(vma, &mm->mmap, vm_list) {
		if (vma->vm_end <= high && high - vma->vm_end >= len)
			return high - len;
		unsigned long floor = vma->vm_start - ((vma->vm_flags & VM_GROWSDOWN) ? STACK_GUARD_GAP : 0);
		if (floor < high)
			high = floor;
	}
	if (high >= MMAP_MIN_ADDR && high - MMAP_MIN_ADDR >= len)
		return high - len;
	return -ENOMEM;
}

unsigned long prot_to_vm_flags(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

unsigned long mmap_region(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long flags,
			  const struct vm_area_struct *tmpl)
{
	if (flags & MAP_FIXED) {
		if (addr < MMAP_MIN_ADDR)
			return -EINVAL;
		int r = do_munmap(mm, addr, addr + len);
		if (r)
			return r;
	} else if (!addr || addr < MMAP_MIN_ADDR || (addr & ~PAGE_MASK) || addr > TASK_SIZE - len ||
		   !range_free(mm, addr, len)) {
		/* The hint is only a hint. */
		addr = get_unmapped_area(mm, len);
		if (IS_ERR_VALUE(addr))
			return addr;
	}
	if (mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	struct vm_area_struct *vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return -ENOMEM;
	*vma = *tmpl;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->vm_list);
	if (vma->vm_memobj)
		memobj_ref(vma->vm_memobj);
	vma_link(mm, vma);
	vma_merge_around(mm, vma);
	return addr;
}

unsigned long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long vm_flags, unsigned long flags, const char *name)
{
	struct vm_area_struct tmpl = {
		.vm_flags = vm_flags | (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0),
		.vm_name = name,
	};
	return mmap_region(mm, addr, len, flags, &tmpl);
}

unsigned long vm_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, const char *name)
{
	if (!len || len > TASK_SIZE)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if ((flags & MAP_FIXED) && !range_ok(addr, len))
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	mutex_lock(&mm->mmap_lock);
	unsigned long r = do_mmap(mm, addr, len, prot_to_vm_flags(prot), flags, name);
	mutex_unlock(&mm->mmap_lock);
	return r;
}

int vm_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long prot)
{
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	if (!range_ok(addr, len) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	unsigned long end = addr + len, vm_flags = prot_to_vm_flags(prot);

	mutex_lock(&mm->mmap_lock);
	/* All of [addr, end) must be mapped, with no hole: else nothing changes. */
	struct vm_area_struct *vma = find_vma(mm, addr);
	unsigned long covered = addr;
	bool io = false;
	for (struct vm_area_struct *v = vma; v && v->vm_start <= covered && covered < end; v = vma_next(v)) {
		covered = v->vm_end;
		io |= v->vm_flags & VM_IO;
	}
	/* Device registers keep the one protection they were mapped with: a
	 * PROT_NONE or read-only PTE of a frame without struct page would need
	 * the fault path to know device frames, for no use a driver has. */
	int r = io ? -EINVAL : covered >= end ? 0 : -ENOMEM;
	/* Write access only where it may be had (a memory object mapped
	 * from a handle without RIGHT_WRITE): else nothing changes. */
	for (struct vm_area_struct *v = vma; !r && (vm_flags & VM_WRITE) && v && v->vm_start < end; v = vma_next(v))
		if ((v->vm_flags & VM_SHARED) && !(v->vm_flags & VM_MAYWRITE))
			r = -EACCES;
	if (!r)
		r = split_at(mm, addr, end);
	if (!r) {
		vma = find_vma(mm, addr);
		while (vma && vma->vm_start < end) {
			vma->vm_flags = (vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | vm_flags;
			change_protection(mm, vma->vm_start, vma->vm_end, vma->vm_flags);
			vma = vma_next(vma);
		}
		/* Merge back what is now equal, from the range's neighbour on. */
		vma = find_vma(mm, addr);
		if (vma && vma_prev(vma))
			vma = vma_prev(vma);
		while (vma && vma->vm_start <= end)
			if (!merge_next(mm, vma))
				vma = vma_next(vma);
	}
	mutex_unlock(&mm->mmap_lock);
	return r;
}

unsigned long vm_brk(struct mm_struct *mm, unsigned long brk)
{
	mutex_lock(&mm->mmap_lock);
	unsigned long ret = mm->brk;
	unsigned long oldend = PAGE_ALIGN(mm->brk), newend = PAGE_ALIGN(brk);

	if (!mm->start_brk || brk < mm->start_brk || brk > TASK_SIZE)
		goto out;
	if (newend < oldend) {
		if (do_munmap(mm, newend, oldend))
			goto out;
	} else if (newend > oldend) {
		if (!range_free(mm, oldend, newend - oldend))
			goto out;
		if (IS_ERR_VALUE(do_mmap(mm, oldend, newend - oldend, VM_READ | VM_WRITE, MAP_FIXED, "[heap]")))
			goto out;
	}
	mm->brk = ret = brk;
out:
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

static void vma_perms(unsigned long f, char *s)
{
	s[0] = f & VM_READ ? 'r' : '-';
	s[1] = f & VM_WRITE ? 'w' : '-';
	s[2] = f & VM_EXEC ? 'x' : '-';
	s[3] = f & VM_SHARED ? 's' : 'p';
	s[4] = '\0';
}

/* Pages of [start, end) that are mapped (resident). */
static int count_one(pteval_t *pte, unsigned long va, void *arg)
{
	(void)pte;
	(void)va;
	(*(unsigned long *)arg)++;
	return 0;
}

void show_vmas(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	list_for_each_entry(vma, &mm->mmap, vm_list) {
		char perms[5];
		unsigned long rss = 0;
		vma_perms(vma->vm_flags, perms);
		walk_user_ptes(mm->pgd, vma->vm_start, vma->vm_end, count_one, &rss);
		printk("%0*lx-%0*lx %s %6lu kB rss %6lu kB %s%s%s\n", (int)sizeof(long) * 2, vma->vm_start,
		       (int)sizeof(long) * 2, vma->vm_end, perms, (vma->vm_end - vma->vm_start) >> 10,
		       rss << (PAGE_SHIFT - 10), vma->vm_name ? vma->vm_name : "",
		       vma->vm_flags & VM_GROWSDOWN ? " (grows down)" : "",
		       vma->vm_flags & VM_IO ? " (device memory)" : "");
	}
	printk("%d VMAs, %lu kB mapped, rss %lu kB, %lu faults, %lu copied on write\n", mm->map_count,
	       mm->total_vm << (PAGE_SHIFT - 10), mm->rss << (PAGE_SHIFT - 10), mm->nr_faults, mm->nr_cow);
}
