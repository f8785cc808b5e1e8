/*
 * User address spaces (mm/, docs/user-memory.md): struct mm_struct, its
 * VMAs, the mmap family, the user page fault and copy-on-write.
 *
 * An address space is a page directory from pgd_alloc() (the kernel half
 * shared with swapper_pg_dir) plus a sorted list of VMAs: ranges of user
 * addresses with a protection and what backs them (anonymous memory, or a memory
 * object's pages: VM_SHARED). A VMA is only a promise: its pages are allocated on the first
 * touch (handle_user_fault), zeroed, and counted in rss.
 *
 * Two counts, as Linux: mm_users (tasks using it as their own: the last
 * mmput frees every user page and page table) and mm_count (references to
 * the struct and its pgd: one for all the users together, one for each
 * kernel thread that borrows it as active_mm: the last mmdrop frees the
 * pgd).
 *
 * Locking: mmap_lock (a mutex) serialises changes to the VMA list and the
 * page tables of the user half; the fault path takes it too, so it is
 * taken in process context only. A page shared by fork is in two mms under
 * two locks: its count of mappings (struct page's _mapcount) is atomic.
 *
 * Lazy TLB (kernel/sched/core.c, as Linux): a kernel thread keeps the
 * previous task's active_mm in CR3 and holds an mm_count reference on it
 * while it does; the reference passes from kernel thread to kernel thread
 * and is dropped (mmdrop) after the switch to a task with an mm of its own.
 * So a task that gives up its mm (exit) first makes it its lazy one:
 * mmgrab(mm); current->mm = NULL; mmput(mm). A task that gains one (exec
 * in a task with mm NULL) does the reverse: mmdrop(old active_mm) after
 * switch_mm.
 */
#ifndef PAGODA_MM_USER_H
#define PAGODA_MM_USER_H

#include <pagoda/list.h>
#include <pagoda/mutex.h>
#include <pagoda/types.h>
#include <asm/pgtable.h>

/* vm_flags */
#define VM_READ         0x0001
#define VM_WRITE        0x0002
#define VM_EXEC         0x0004
#define VM_SHARED       0x0008  /* a memory object's pages (vm_memobj): never copied on write */
#define VM_MAYWRITE     0x0020  /* VM_SHARED: mprotect may add VM_WRITE (the handle had RIGHT_WRITE) */
#define VM_GROWSDOWN    0x0100  /* a stack: a fault just below it extends it */
#define VM_PFNMAP       0x0400  /* PTEs point at frames with no struct page (device memory) */
#define VM_IO           0x4000  /* device registers: uncached, never COW, no mprotect */
#define VM_DONTCOPY     0x20000 /* fork does not copy it: the child has a hole there */

/* Where mappings go. A stack VMA grows down on a fault below it, to no
 * lower than mm->stack_limit, and never closer than STACK_GUARD_GAP to
 * the VMA below it. mmap without MAP_FIXED searches top down from
 * mm->mmap_base (below the stack's room) and never below MMAP_MIN_ADDR
 * (the NULL page and its neighbours stay unmapped). */
#define STACK_GUARD_GAP         PAGE_SIZE
#define STACK_SIZE_MAX          (8UL << 20)     /* mm_alloc's default room for the stack */
#define MMAP_MIN_ADDR           0x10000UL
#define MAX_MAP_COUNT           512             /* VMAs per mm: beyond, -ENOMEM */

struct mm_struct;
struct page;
struct task_struct;

struct vm_area_struct {
	unsigned long vm_start;         /* first byte, page aligned */
	unsigned long vm_end;           /* one past the last byte, page aligned */
	unsigned long vm_flags;         /* VM_* */
	struct mm_struct *vm_mm;
	struct list_head vm_list;       /* in vm_mm->mmap, sorted by address */
	const char *vm_name;            /* static: "[heap]", "[stack]", "text"...; NULL: anonymous */
	/* VM_SHARED: the memory object mapped (the VMA holds a reference)
	 * and the page of it at vm_start. NULL for anonymous memory. */
	struct memobj *vm_memobj;
	unsigned long vm_pgoff;
};

struct mm_struct {
	pteval_t *pgd;                  /* what CR3 holds while it runs */
	struct list_head mmap;          /* VMAs, sorted, not overlapping */
	int map_count;
	struct mutex mmap_lock;
	int mm_users;                   /* tasks whose own mm it is */
	int mm_count;                   /* references to the struct and pgd */
	unsigned long cpu_mask;         /* CPUs that may hold its TLB entries */

	/* The program's layout, set by exec (for brk, ps and the vmas dump). */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk;
	unsigned long start_stack, stack_limit;  /* lowest address the stack may grow to */
	unsigned long mmap_base;        /* mmap's top-down search starts below it */
	unsigned long arg_start, arg_end, env_start, env_end;

	/* Counters (ps, proc_stat, tests). */
	unsigned long rss;              /* user pages mapped */
	unsigned long total_vm;         /* pages the VMAs span */
	unsigned long nr_faults;        /* user page faults served */
	unsigned long nr_cow;           /* pages copied on write */
};

extern struct mm_struct init_mm;

/* Life of an address space. mm_alloc: empty user half (stack_limit and
 * mmap_base at their defaults below TASK_SIZE), NULL without memory. dup_mm: fork's copy, every private writable page shared
 * copy-on-write (both sides read-only), NULL without memory (nothing
 * leaks). mmput drops a user (the last frees the user half); mmgrab and
 * mmdrop hold the struct itself (lazy TLB). Process context. */
struct mm_struct *mm_alloc(void);
struct mm_struct *dup_mm(struct mm_struct *oldmm);
void mmput(struct mm_struct *mm);
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);
/* Make every CPU that runs a kernel thread on a process's mm lazily (Linux's
 * lazy TLB) switch to init_mm and drop its reference: an exited process's
 * page directory is then freed now, not at that CPU's next user task (page
 * counts that must compare: nr_free_pages_settled). Process context. */
void drop_lazy_mms(void);
/* t's own mm with an mm_users reference (mmput it), NULL for a kernel
 * thread or once the task has given it up. For observers (`vmas`, `pt`). */
struct mm_struct *get_task_mm(struct task_struct *t);

/* A kernel thread (mm NULL) works in mm's address space: its user
 * addresses are mm's, faults in them are served (the uaccess calls work),
 * and the thread holds an mm_count reference. kthread_unuse_mm returns it
 * to init_mm at once (CR3 reloaded, the reference dropped), so the last
 * mmput frees the pgd without waiting for a switch to a user task.
 * Process context (tests, the exec loader). */
void kthread_use_mm(struct mm_struct *mm);
void kthread_unuse_mm(struct mm_struct *mm);

/* VMAs. find_vma: the first VMA that ends above addr (it may start above
 * it too), as Linux; NULL if none. Caller holds mmap_lock. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* Map anonymous private memory (prot: PROT_* of <uapi/pagoda/mman.h>;
 * flags: MAP_* ; MAP_FIXED replaces what was there; MAP_GROWSDOWN makes a
 * stack). name is static text for the vmas dump. Returns the address or
 * -errno (as an unsigned long, IS_ERR_VALUE style). Takes mmap_lock. */
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-4095)
unsigned long vm_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, const char *name);
int vm_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len);
/* Map len bytes of device memory at physical phys (both page-aligned; the
 * caller checked it is no RAM: ioremap_refusal) read-write and uncached,
 * at addr (0: the kernel picks; a hint otherwise, never MAP_FIXED). The
 * VMA is VM_IO | VM_PFNMAP | VM_DONTCOPY: every PTE is made now (no
 * faults) and counted in rss as zap counts it off; none is ever freed;
 * mprotect refuses it (-EINVAL), pin_user_pages too (-EFAULT: no struct
 * page to hold); a fork's child does not get it. munmap and exit remove it.
 * Returns the address or -errno. Takes mmap_lock (mm/io_mmap.c). */
unsigned long vm_map_io(struct mm_struct *mm, unsigned long addr, u64 phys, unsigned long len,
			const char *name);
int vm_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long prot);
/* brk: move the heap end; returns the new end, or the old one on failure
 * (brk below mm->start_brk, no room, start_brk not set). The heap is the
 * VMA "[heap]" from start_brk; shrinking frees the pages. */
unsigned long vm_brk(struct mm_struct *mm, unsigned long brk);

/* Map pages [pgoff, pgoff + len/PAGE_SIZE) of memory object mo shared
 * (VM_SHARED; mm/memobj_map.c): at addr with MAP_FIXED's rules, or where
 * mmap would put it if addr is 0. The VMA takes its own reference on mo.
 * maywrite: mprotect may make it writable later (else -EACCES). loan: it
 * is mapped through a lent handle: fork does not copy it (VM_DONTCOPY),
 * and the loan's end unmaps it (vm_unmap_memobj). The address or -errno
 * (IS_ERR_VALUE). Takes mmap_lock. */
struct memobj;
unsigned long vm_map_memobj(struct mm_struct *mm, unsigned long addr, unsigned long len,
			    unsigned long prot, struct memobj *mo, unsigned long pgoff, bool maywrite,
			    bool loan);
/* A loan ended: unmap [addr, addr + len) if mo's mapping is still what is
 * there (the server may have unmapped it and mapped something else). */
void vm_unmap_memobj(struct mm_struct *mm, unsigned long addr, unsigned long len, const struct memobj *mo);
/* Pin nr user pages from start (page aligned) of mm: fault each in (a
 * write fault with write, which breaks copy-on-write), make sure the page
 * is this mm's alone (a page still shared copy-on-write is copied now, as
 * a write would), and take a reference on it (get_page) into pages[]. A
 * pinned anonymous page is never shared copy-on-write afterwards: fork
 * gives the child a copy at once (mm/fork.c). 0, or -EFAULT (no VMA, no
 * access) or -ENOMEM with nothing pinned. Takes mmap_lock. */
long pin_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr, bool write,
		    struct page **pages);

/* The page fault in user space (mm/fault.c calls it for a fault at a user
 * address, from user mode or from a uaccess copy). flags: FAULT_FLAG_*.
 * 0 if the page is now mapped; VM_FAULT_SIGSEGV (no VMA, or the access is
 * not allowed), VM_FAULT_OOM or VM_FAULT_SIGBUS (a pager's page that will
 * never come): the caller reports and kills the process (or, for a
 * uaccess copy, returns -EFAULT); VM_FAULT_KILLED: the task, killed while
 * it waited for a pager, dies at its return to user mode (a uaccess copy
 * returns -EFAULT). Takes mmap_lock; may sleep (waiting for a pager). */
#define FAULT_FLAG_WRITE        0x01
#define FAULT_FLAG_INSTRUCTION  0x02
#define FAULT_FLAG_USER         0x04    /* from user mode */
#define VM_FAULT_SIGSEGV        0x01
#define VM_FAULT_OOM            0x02
#define VM_FAULT_SIGBUS         0x04    /* the page's pager is gone: it will never come */
#define VM_FAULT_KILLED         0x08    /* killed while it waited for a pager: nothing to report */
int handle_user_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags);
/* The same, and *why says what refused the access ("no VMA", "write to
 * read-only VMA", "stack guard gap", ...; static text) for the report. */
int handle_user_fault_why(struct mm_struct *mm, unsigned long addr, unsigned int flags, const char **why);

/* Print the VMA list like /proc/PID/maps (monitor `vmas`, fault reports). */
void show_vmas(struct mm_struct *mm);
/* Call fn for every page the MMU would find mapped in [start, end) of mm's
 * user half (present leaf entries; PROT_NONE ones are not), in address
 * order: its address, frame number and leaf entry. The walk follows the
 * tables themselves, skipping missing ones (monitor `pmap`). Caller holds
 * mmap_lock; fn must not sleep or change the tables. */
void for_each_user_page(struct mm_struct *mm, unsigned long start, unsigned long end,
			void (*fn)(unsigned long va, unsigned long pfn, pteval_t pte, void *arg), void *arg);

/* The scheduler's hook (mm/mmu_context.c): next's page tables into CR3 if
 * the address space changes, this CPU out of prev->cpu_mask (the CR3 load
 * flushed prev's entries here) and into next->cpu_mask. Interrupts off. */
void switch_mm(struct mm_struct *prev, struct mm_struct *next);

/* Flush [start, end) of mm's user addresses on every CPU that may cache
 * them (mm->cpu_mask): the IPIs go to those CPUs only. Waits for them.
 * Process context, no spinlock held (mm/tlb.c). */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end);

#endif
