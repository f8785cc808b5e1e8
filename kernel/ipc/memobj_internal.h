/* Memory objects inside kernel/ipc/ (the contract is <pagoda/memobj.h>). */
#ifndef KERNEL_IPC_MEMOBJ_INTERNAL_H
#define KERNEL_IPC_MEMOBJ_INTERNAL_H

#include <pagoda/memobj.h>

/* A memory object of nr zeroed pages (GFP_HIGHUSER), with one reference:
 * NULL and *err = -ENOMEM (no memory, or over the budget). */
struct memobj *memobj_alloc(unsigned long nr, long *err);
/* A memory object of current's pages [addr, addr + nr pages), pinned
 * (pin_user_pages), with one reference: NULL and *err = -EFAULT or
 * -ENOMEM. */
struct memobj *memobj_pin_user(unsigned long addr, unsigned long nr, bool write, long *err);

#endif
