/*
 * Kernel objects (<pagoda/ipc.h>): a reference count and the type's ops.
 * The last kobj_put frees the object through its ops; the count of live
 * objects is what a leak check compares before and after a storm.
 */
#include <pagoda/ipc.h>
#include <pagoda/panic.h>

static unsigned int live_kobjs;

void kobj_init(struct kobj *obj, int type, const struct kobj_ops *ops)
{
	obj->refcount = 1;
	obj->type = type;
	obj->ops = ops;
	__atomic_add_fetch(&live_kobjs, 1, __ATOMIC_RELAXED);
}

void kobj_get(struct kobj *obj)
{
	__atomic_add_fetch(&obj->refcount, 1, __ATOMIC_RELAXED);
}

void kobj_put(struct kobj *obj)
{
	int left = __atomic_sub_fetch(&obj->refcount, 1, __ATOMIC_ACQ_REL);
	if (left < 0)
		panic("BUG: kobj_put of a free %s (%p)", obj->ops->name, obj);
	if (left)
		return;
	__atomic_sub_fetch(&live_kobjs, 1, __ATOMIC_RELAXED);
	obj->ops->release(obj);
}

unsigned int nr_kobjs(void)
{
	return __atomic_load_n(&live_kobjs, __ATOMIC_RELAXED);
}
