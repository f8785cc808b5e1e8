/*
 * The memory-object system calls (<uapi/pagoda/unistd.h> 74-77, 83-84;
 * each one's comment there is its spec): memobj_create, memobj_map,
 * memobj_from_user, memobj_size, memobj_pager_create, memobj_supply. The
 * object is memobj.c (a pager's, memobj_pager.c); mapping and pinning are
 * mm/'s (memobj_map.c, pin_user_pages).
 */
#include <pagoda/errno.h>
#include <pagoda/mm_user.h>
#include <pagoda/sched.h>
#include <pagoda/syscalls.h>
#include <uapi/pagoda/mman.h>
#include "handle_table.h"
#include "ipc_wait.h"
#include "memobj_internal.h"

SYSCALL_DEFINE1(memobj_create, unsigned long, size)
{
	if (!size || size > MEMOBJ_MAX_SIZE)
		return -EINVAL;
	long err;
	struct memobj *mo = memobj_alloc(PAGE_ALIGN(size) >> PAGE_SHIFT, &err);
	if (!mo)
		return err;
	return memobj_install(mo, RIGHTS_ALL);
}

SYSCALL_DEFINE5(memobj_map, int, h, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, offset)
{
	long err;
	struct memobj *mo = memobj_get(h, RIGHT_READ | (prot & PROT_WRITE ? RIGHT_WRITE : 0), &err);
	if (!mo)
		return err;
	/* A read-only mapping may become writable (mprotect) only if the
	 * handle could have mapped it writable; one through a loan ends with
	 * the loan. */
	struct handle_info info;
	bool ok = !handle_info(h, &info);
	bool maywrite = ok && (info.rights & RIGHT_WRITE);
	bool loan = ok && (info.flags & HANDLE_INFO_LENT);
	unsigned long size = memobj_size(mo);
	long ret = -EINVAL;
	if ((offset & ~PAGE_MASK) || (len & ~PAGE_MASK) || offset >= size)
		goto out;
	if (!len)
		len = size - offset;
	if (len > size - offset)
		goto out;
	ret = (long)vm_map_memobj(current->mm, addr, len, prot, mo, offset >> PAGE_SHIFT, maywrite, loan);
	if (loan && !IS_ERR_VALUE(ret) && ipc_loan_mapped(h, (unsigned long)ret, len, mo)) {
		vm_munmap(current->mm, (unsigned long)ret, len);
		ret = -EBUSY;           /* more loans mapped at once than we can take back */
	}
out:
	memobj_put(mo);         /* the VMA took its own */
	return ret;
}

SYSCALL_DEFINE3(memobj_from_user, unsigned long, addr, unsigned long, len, unsigned long, prot)
{
	if ((addr & ~PAGE_MASK) || (len & ~PAGE_MASK) || !len || len > MEMOBJ_MAX_SIZE ||
	    (prot & ~(PROT_READ | PROT_WRITE)) || !prot)
		return -EINVAL;
	if (addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return -EFAULT;
	bool write = prot & PROT_WRITE;
	long err;
	struct memobj *mo = memobj_pin_user(addr, len >> PAGE_SHIFT, write, &err);
	if (!mo)
		return err;
	return memobj_install(mo, RIGHT_READ | (write ? RIGHT_WRITE : 0) | RIGHT_DUPLICATE | RIGHT_TRANSFER);
}

SYSCALL_DEFINE1(memobj_size, int, h)
{
	long err;
	struct memobj *mo = memobj_get(h, 0, &err);
	if (!mo)
		return err;
	long size = (long)memobj_size(mo);
	memobj_put(mo);
	return size;
}

/* The endpoint a pager object's requests go to, with a reference, and
 * the badge they carry; NULL and *err otherwise. */
static struct endpoint *pager_endpoint(int h, unsigned long *badge, long *err)
{
	struct kobj *obj = handle_get(h, HANDLE_TYPE_ENDPOINT, RIGHT_SEND, err);
	if (!obj)
		return NULL;
	struct endpoint *ep = to_endpoint(obj);
	struct handle_info info;
	*err = -EINVAL;
	if (ep->kserver)
		goto fail;              /* the kernel answers it: no receiver to ask */
	if (ep->target) {
		/* A minted alias speaks with its own badge, as its sends do. */
		if (*badge && *badge != ep->badge)
			goto fail;
		*badge = ep->badge;
		kobj_get(&ep->target->obj);
		kobj_put(obj);
		return ep->target;
	}
	/* Choosing the badge is minting: it needs what handle_mint needs. */
	if (*badge && (handle_info(h, &info) || !(info.rights & RIGHT_DUPLICATE))) {
		*err = -EPERM;
		goto fail;
	}
	return ep;
fail:
	kobj_put(obj);
	return NULL;
}

SYSCALL_DEFINE3(memobj_pager_create, unsigned long, size, int, h, unsigned long, badge)
{
	if (!size || size > MEMOBJ_MAX_SIZE || (size & ~PAGE_MASK) || badge > IPC_BADGE_MAX)
		return -EINVAL;
	long err;
	struct endpoint *ep = pager_endpoint(h, &badge, &err);
	if (!ep)
		return err;
	struct memobj *mo = memobj_pager_new(size >> PAGE_SHIFT, ep, badge);
	if (!mo) {
		kobj_put(&ep->obj);
		return -ENOMEM;
	}
	return memobj_install(mo, RIGHTS_ALL);
}

SYSCALL_DEFINE4(memobj_supply, int, h, unsigned long, offset, const void __user *, buf, unsigned long, len)
{
	long err;
	struct memobj *mo = memobj_get(h, RIGHT_WRITE, &err);
	if (!mo)
		return err;
	unsigned long size = memobj_size(mo);
	err = -EINVAL;
	if (!(offset & ~PAGE_MASK) && !(len & ~PAGE_MASK) && len && offset < size && len <= size - offset)
		err = memobj_pager_supply(mo, offset, buf, len);
	memobj_put(mo);
	return err;
}
