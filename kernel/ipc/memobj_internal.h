/* Memory objects inside kernel/ipc/ (the contract is <pagoda/memobj.h>). */
#ifndef KERNEL_IPC_MEMOBJ_INTERNAL_H
#define KERNEL_IPC_MEMOBJ_INTERNAL_H

#include <pagoda/memobj.h>
#include <pagoda/spinlock.h>

enum memobj_kind { MEMOBJ_ZEROED, MEMOBJ_PINNED, MEMOBJ_CONTIG, MEMOBJ_PAGED };

struct memobj_pager;

struct memobj {
	struct kobj obj;
	enum memobj_kind kind;
	unsigned long nr_pages;
	/* MEMOBJ_PAGED: its pager (memobj_pager.c); pages[] NULL where the
	 * pager has not supplied one yet (a slot is filled once, never
	 * emptied, so a reader needs no lock: READ_ONCE). */
	struct memobj_pager *pager;
	struct page *pages[];
};

/* A memory object of nr zeroed pages (GFP_HIGHUSER), with one reference:
 * NULL and *err = -ENOMEM (no memory, or over the budget). */
struct memobj *memobj_alloc(unsigned long nr, long *err);
/* A memory object of current's pages [addr, addr + nr pages), pinned
 * (pin_user_pages), with one reference: NULL and *err = -EFAULT or
 * -ENOMEM. */
struct memobj *memobj_pin_user(unsigned long addr, unsigned long nr, bool write, long *err);

/* memobj_pager.c: the pager's side. */
struct endpoint;
/* A pager object of nr pages, none present, paged by ep (the caller's
 * reference to ep passes to it) whose requests carry badge; NULL without
 * memory (the reference then stays the caller's). */
struct memobj *memobj_pager_new(unsigned long nr, struct endpoint *ep, unsigned long badge);
/* memobj_supply's work, off and len checked against mo's size. */
long memobj_pager_supply(struct memobj *mo, unsigned long off, const void __user *buf, unsigned long len);
/* An endpoint died: the tasks waiting for its pages look again. Any context. */
void memobj_pager_endpoint_died(void);
/* Release what the pager part holds (its endpoint reference, the
 * supplied pages' charge is the caller's): from memobj_release. */
void memobj_pager_release(struct memobj *mo);
/* The monitor's words for a pager object: "paged by endpoint ..., N of M
 * pages present". */
void memobj_pager_show(struct memobj *mo, char *buf, size_t size);
/* The budget's charge for nr more pages (false: over it) and its refund
 * (memobj.c). */
bool memobj_charge(unsigned long nr);
void memobj_uncharge(unsigned long nr);
/* Make mo a kobj (with one reference) once its pages are in. */
struct memobj *memobj_ready(struct memobj *mo, unsigned long nr);
/* An empty object for nr pages of kind; pages charged to the budget
 * unless the kind is MEMOBJ_PAGED (charged as supplied). */
struct memobj *memobj_new(unsigned long nr, enum memobj_kind kind);

#endif
