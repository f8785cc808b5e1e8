/*
 * Pager objects (memobj_pager_create and memobj_supply, <uapi/pagoda/
 * unistd.h> 83-84; docs/ipc.md "Pagers"): a memory object whose pages a
 * user-space server supplies when they are first touched, as a file
 * server does for a memory-mapped file. A fault on a missing page posts
 * one kernel message (IPC_LABEL_PAGE_IN, like the no-senders one) to the
 * pager's endpoint; a bit per page remembers that it was asked, so a
 * second task faulting there only waits. memobj_supply fills the slot
 * (once: a slot is never emptied while the object lives) and wakes the
 * waiters.
 *
 * Every wait is on one queue: a supply to any object and the death of any
 * endpoint wake them all, and each looks at its own page. Faults on pager
 * objects are rare next to the copy each costs, and a queue per page
 * would cost memory for every page of every object.
 *
 * The pager may die: its endpoint's last receive handle goes (the server
 * exited), endpoint_kill calls memobj_pager_endpoint_died, and the
 * waiters give up with -EPIPE (the fault kills them with SIGBUS). A pager
 * that lives and never answers leaves its faulting tasks waiting, but
 * killably, as a caller of a silent server waits.
 */
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/highmem.h>
#include <pagoda/mm.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/uaccess.h>
#include <pagoda/wait.h>
#include "ipc_wait.h"
#include "memobj_internal.h"

struct memobj_pager {
	struct endpoint *ep;            /* a reference; the real one, never a minted alias */
	unsigned long badge;
	spinlock_t lock;                /* asked[], present, and filling a slot */
	unsigned long present;          /* pages supplied */
	unsigned long asked[];          /* a bit per page: a PAGE_IN was posted */
};

#define BITS_PER_UL (8 * sizeof(unsigned long))

static DECLARE_WAIT_QUEUE_HEAD(pagein_wq);

struct memobj *memobj_pager_new(unsigned long nr, struct endpoint *ep, unsigned long badge)
{
	size_t words = (nr + BITS_PER_UL - 1) / BITS_PER_UL;
	struct memobj_pager *pg = kzalloc(sizeof(*pg) + words * sizeof(pg->asked[0]), GFP_KERNEL);
	struct memobj *mo = pg ? memobj_new(nr, MEMOBJ_PAGED) : NULL;
	if (!mo) {
		kfree(pg);
		return NULL;
	}
	spin_lock_init(&pg->lock);
	pg->ep = ep;                    /* the caller's reference passes to us */
	pg->badge = badge;
	mo->pager = pg;
	return memobj_ready(mo, nr);
}

void memobj_pager_release(struct memobj *mo)
{
	kobj_put(&mo->pager->ep->obj);
	kfree(mo->pager);
}

void memobj_pager_show(struct memobj *mo, char *buf, size_t size)
{
	struct memobj_pager *pg = mo->pager;
	snprintf(buf, size, "%lu kB in %lu pages, paged by endpoint %p (badge %lu)%s, %lu of %lu pages present",
		 mo->nr_pages << (PAGE_SHIFT - 10), mo->nr_pages, pg->ep, pg->badge,
		 READ_ONCE(pg->ep->dead) ? " gone" : "", READ_ONCE(pg->present), mo->nr_pages);
}

void memobj_pager_endpoint_died(void)
{
	/* Always through the queue's lock, never a waitqueue_active peek:
	 * without a full barrier between our store of ep->dead and that
	 * load, a waiter queueing itself at the same moment could miss the
	 * store and we its entry. Endpoints die rarely. */
	wake_up_all(&pagein_wq);
}

/* Under pg->lock: ask for page i unless it is there or asked already. */
static bool want(struct memobj *mo, unsigned long i)
{
	unsigned long bit = 1UL << (i % BITS_PER_UL), *word = &mo->pager->asked[i / BITS_PER_UL];
	if (READ_ONCE(mo->pages[i]) || (*word & bit))
		return false;
	*word |= bit;
	return true;
}

long memobj_page_in(struct memobj *mo, unsigned long off)
{
	struct memobj_pager *pg = mo->pager;
	unsigned long i = off >> PAGE_SHIFT, flags;
	/* Allocated before the lock, so that the message can never be lost
	 * once the bit says it was sent. */
	struct kernel_msg *km = kzalloc(sizeof(*km), GFP_KERNEL);
	if (!km)
		return -ENOMEM;
	spin_lock_irqsave(&pg->lock, flags);
	bool ask = want(mo, i);
	spin_unlock_irqrestore(&pg->lock, flags);
	if (ask) {
		km->w.out = &km->m;
		km->m.tag = IPC_LABEL_PAGE_IN;
		km->m.badge = pg->badge;
		km->m.w[0] = off & 0xffffffffUL;
		km->m.w[1] = (u64)off >> 32;
		spin_lock_irqsave(&ipc_lock, flags);
		ipc_post_kernel_msg(pg->ep, km);        /* freed there if the endpoint is dead */
		spin_unlock_irqrestore(&ipc_lock, flags);
	} else {
		kfree(km);
	}
	DEFINE_WAIT(w);
	long err = 0;
	for (;;) {
		prepare_to_wait(&pagein_wq, &w, TASK_INTERRUPTIBLE);
		if (READ_ONCE(mo->pages[i]))
			break;
		if (READ_ONCE(pg->ep->dead)) {
			err = -EPIPE;
			break;
		}
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(&pagein_wq, &w);
	return err;
}

/* Page i from the user's src, unless it is there already: 1 if it was
 * filled, 0 if not, or -errno. */
static long supply_one(struct memobj *mo, unsigned long i, const void __user *src, void *bounce)
{
	struct memobj_pager *pg = mo->pager;
	if (READ_ONCE(mo->pages[i]))
		return 0;
	if (copy_from_user(bounce, src, PAGE_SIZE))
		return -EFAULT;
	if (!memobj_charge(1))
		return -ENOMEM;
	struct page *page = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);
	if (!page) {
		memobj_uncharge(1);
		return -ENOMEM;
	}
	memcpy_to_page(page, 0, bounce, PAGE_SIZE);
	unsigned long flags;
	spin_lock_irqsave(&pg->lock, flags);
	bool filled = !mo->pages[i];
	if (filled) {
		/* The contents before the pointer: a fault that sees the
		 * page maps it at once. */
		__atomic_store_n(&mo->pages[i], page, __ATOMIC_RELEASE);
		pg->present++;
	}
	spin_unlock_irqrestore(&pg->lock, flags);
	if (!filled) {                  /* another supply was first */
		put_page(page);
		memobj_uncharge(1);
	}
	return filled;
}

long memobj_pager_supply(struct memobj *mo, unsigned long off, const void __user *buf, unsigned long len)
{
	if (!mo->pager)
		return -EINVAL;
	void *bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	long err = 0;
	unsigned long filled = 0;
	for (unsigned long done = 0; done < len && !err; done += PAGE_SIZE) {
		long r = supply_one(mo, (off + done) >> PAGE_SHIFT, (const char __user *)buf + done, bounce);
		if (r < 0)
			err = r;
		else
			filled += (unsigned long)r;
	}
	kfree(bounce);
	if (filled)
		wake_up_all(&pagein_wq);
	return err ? err : filled ? 0 : -EEXIST;
}
