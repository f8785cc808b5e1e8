/*
 * vm_map_io (<pagoda/mm_user.h>): device registers in a user address
 * space, the ioremap story told for a process. Unlike anonymous memory
 * nothing here is demand-paged: the frames exist already (they are the
 * device's), have no struct page, and are never in a _mapcount, copied or freed,
 * so every PTE is made at once and marked _PAGE_SPECIAL for the unmap.
 * Uncached (PCD|PWT, PAT entry 3) for the reason ioremap is: a register
 * read must reach the device, and a write must not wait in a cache.
 */
#include <pagoda/errno.h>
#include "mm_user_internal.h"

#define VM_IO_FLAGS (VM_READ | VM_WRITE | VM_IO | VM_PFNMAP | VM_DONTCOPY)

unsigned long vm_map_io(struct mm_struct *mm, unsigned long addr, u64 phys, unsigned long len,
			const char *name)
{
	if (!len || (len & ~PAGE_MASK) || (phys & ~(u64)PAGE_MASK) || len > TASK_SIZE)
		return -EINVAL;
	pteval_t prot = vm_pte_prot(VM_IO_FLAGS) | _PAGE_CACHE_UC | _PAGE_SPECIAL;
	mutex_lock(&mm->mmap_lock);
	unsigned long start = do_mmap(mm, addr, len, VM_IO_FLAGS, 0, name);
	if (IS_ERR_VALUE(start))
		goto out;
	for (unsigned long off = 0; off < len; off += PAGE_SIZE) {
		pteval_t *pte = user_pte(mm->pgd, start + off, true);
		if (!pte) {
			do_munmap(mm, start, start + len);
			start = -ENOMEM;
			break;
		}
		set_pte(pte, (pteval_t)(phys + off) | prot);
		mm->rss++;              /* zap_one counts every PTE it clears */
	}
out:
	mutex_unlock(&mm->mmap_lock);
	return start;
}
