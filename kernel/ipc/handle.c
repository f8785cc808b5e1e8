/*
 * Handle tables (<pagoda/ipc.h>): per process, HANDLE_MAX slots of
 * (object, rights). Every check a system call makes on a handle is here:
 * -EBADF for a value that names no live slot of the right type, -EPERM
 * for a missing right.
 */
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/slab.h>
#include "handle_table.h"

/* Guards every task's handles pointer against its exit while the monitor
 * reads another process's table. */
static DEFINE_SPINLOCK(handles_ptr_lock);

static int handle_value(int slot, u32 gen)
{
	return (int)(gen << HANDLE_SLOT_BITS) | slot;
}

static struct handle_table *table_alloc(void)
{
	struct handle_table *t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	spin_lock_init(&t->lock);
	for (int i = 0; i < HANDLE_MAX; i++)
		t->e[i].gen = 1;
	return t;
}

/* current's table, made at its first handle (most processes never have one). */
static struct handle_table *my_table(bool create)
{
	struct task_struct *me = current;
	if (!me->handles && create)
		me->handles = table_alloc();
	return me->handles;
}

/* The slot h names in t, or NULL. */
static struct handle_entry *lookup(struct handle_table *t, int h)
{
	if (!t || h <= 0)
		return NULL;
	unsigned int slot = (unsigned int)h & ((1u << HANDLE_SLOT_BITS) - 1);
	u32 gen = (u32)h >> HANDLE_SLOT_BITS;
	if (slot >= HANDLE_MAX || !t->e[slot].obj || t->e[slot].gen != gen)
		return NULL;
	return &t->e[slot];
}

/* Free the slot: the next handle in it gets a new generation. */
static void slot_clear(struct handle_entry *e)
{
	e->obj = NULL;
	e->rights = 0;
	e->lent = 0;
	e->gen = e->gen == HANDLE_GEN_MAX ? 1 : e->gen + 1;
}

static int attach(struct kobj *obj, u32 rights, bool lent)
{
	struct handle_table *t = my_table(true);
	if (t) {
		unsigned long flags;
		spin_lock_irqsave(&t->lock, flags);
		for (int i = 0; i < HANDLE_MAX; i++)
			if (!t->e[i].obj) {
				t->e[i].obj = obj;
				t->e[i].rights = rights;
				t->e[i].lent = lent;
				int h = handle_value(i, t->e[i].gen);
				spin_unlock_irqrestore(&t->lock, flags);
				return h;
			}
		spin_unlock_irqrestore(&t->lock, flags);
	}
	handle_drop(obj, rights);
	return -EMFILE;
}

int handle_attach(struct kobj *obj, u32 rights)
{
	return attach(obj, rights, false);
}

int handle_attach_lent(struct kobj *obj, u32 rights)
{
	return attach(obj, rights, true);
}

void handle_drop(struct kobj *obj, u32 rights)
{
	if (obj->ops->handle_close)
		obj->ops->handle_close(obj, rights);
	kobj_put(obj);
}

int handle_create(struct kobj *obj, u32 rights)
{
	if (obj->ops->handle_open)
		obj->ops->handle_open(obj, rights);
	return handle_attach(obj, rights);
}

struct kobj *handle_get(int h, int type, u32 need, long *err)
{
	struct handle_table *t = my_table(false);
	struct kobj *obj = NULL;
	*err = -EBADF;
	if (!t)
		return NULL;
	unsigned long flags;
	spin_lock_irqsave(&t->lock, flags);
	struct handle_entry *e = lookup(t, h);
	if (e && (!type || e->obj->type == type)) {
		if ((e->rights & need) != need) {
			*err = -EPERM;
		} else {
			obj = e->obj;
			kobj_get(obj);
			*err = 0;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return obj;
}

int handle_close(int h)
{
	struct handle_table *t = my_table(false);
	if (!t)
		return -EBADF;
	unsigned long flags;
	spin_lock_irqsave(&t->lock, flags);
	struct handle_entry *e = lookup(t, h);
	if (!e) {
		spin_unlock_irqrestore(&t->lock, flags);
		return -EBADF;
	}
	struct kobj *obj = e->obj;
	u32 rights = e->rights;
	slot_clear(e);
	spin_unlock_irqrestore(&t->lock, flags);
	handle_drop(obj, rights);
	return 0;
}

int handle_dup(int h, u32 rights)
{
	if (rights & ~RIGHTS_ALL)
		return -EINVAL;
	long err;
	struct kobj *obj = handle_get(h, 0, RIGHT_DUPLICATE, &err);
	if (!obj)
		return (int)err;
	/* The rights h has now (handle_get checked only DUPLICATE). */
	struct handle_table *t = my_table(false);
	unsigned long flags;
	spin_lock_irqsave(&t->lock, flags);
	struct handle_entry *e = lookup(t, h);
	u32 have = e ? e->rights : 0;
	spin_unlock_irqrestore(&t->lock, flags);
	if ((rights & have) != rights) {
		kobj_put(obj);
		return -EPERM;          /* a copy never has more than its original */
	}
	return handle_create(obj, rights);
}

/* A handle going into a message: moved (its slot emptied, *slot for a
 * restore) or lent (a new reference, the handle stays). */
static int move_or_lend(int h, bool lend, struct kobj **obj, u32 *rights, int *slot)
{
	struct handle_table *t = my_table(false);
	if (!t)
		return -EBADF;
	unsigned long flags;
	int err = -EBADF;
	spin_lock_irqsave(&t->lock, flags);
	struct handle_entry *e = lookup(t, h);
	if (e && !(e->rights & RIGHT_TRANSFER) && !(lend && e->lent)) {
		err = -EPERM;
	} else if (e && lend) {
		*obj = e->obj;
		/* A loan cannot be copied or given away, only lent on. */
		*rights = e->rights & ~(RIGHT_DUPLICATE | RIGHT_TRANSFER);
		kobj_get(e->obj);
		err = 0;
	} else if (e) {
		*obj = e->obj;
		*rights = e->rights;
		*slot = (int)(e - t->e);
		/* Keep the generation: a restore gives back the same value. */
		e->obj = NULL;
		e->rights = 0;
		err = 0;
	}
	spin_unlock_irqrestore(&t->lock, flags);
	if (!err && lend && (*obj)->ops->handle_open)
		(*obj)->ops->handle_open(*obj, *rights);
	return err;
}

int handle_detach(int h, struct kobj **obj, u32 *rights, int *slot)
{
	return move_or_lend(h, false, obj, rights, slot);
}

int handle_lend(int h, struct kobj **obj, u32 *rights)
{
	return move_or_lend(h, true, obj, rights, NULL);
}

int handle_info(int h, struct handle_info *info)
{
	struct handle_table *t = my_table(false);
	if (!t)
		return -EBADF;
	unsigned long flags;
	spin_lock_irqsave(&t->lock, flags);
	struct handle_entry *e = lookup(t, h);
	if (e) {
		info->type = e->obj->type;
		info->rights = e->rights;
		info->flags = e->lent ? HANDLE_INFO_LENT : 0;
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return e ? 0 : -EBADF;
}

void handle_restore(int slot, struct kobj *obj, u32 rights)
{
	struct handle_table *t = my_table(false);
	unsigned long flags;
	spin_lock_irqsave(&t->lock, flags);
	t->e[slot].obj = obj;
	t->e[slot].rights = rights;
	spin_unlock_irqrestore(&t->lock, flags);
}

/* A delivered handle leaves its slot for good: the old value dies. */
void handle_detach_done(int slot)
{
	struct handle_table *t = my_table(false);
	unsigned long flags;
	spin_lock_irqsave(&t->lock, flags);
	slot_clear(&t->e[slot]);
	spin_unlock_irqrestore(&t->lock, flags);
}

int handles_fork(struct task_struct *child, struct task_struct *parent)
{
	struct handle_table *pt = parent->handles;
	child->handles = NULL;
	if (!pt)
		return 0;
	struct handle_table *ct = table_alloc();
	if (!ct)
		return -ENOMEM;
	unsigned long flags;
	spin_lock_irqsave(&pt->lock, flags);
	for (int i = 0; i < HANDLE_MAX; i++) {
		ct->e[i] = pt->e[i];
		struct kobj *obj = ct->e[i].obj;
		if (!obj)
			continue;
		/* A loan and a reply capability are the parent's alone: one
		 * call's, answered once. */
		if (ct->e[i].lent || obj->type == HANDLE_TYPE_REPLY) {
			slot_clear(&ct->e[i]);
			continue;
		}
		kobj_get(obj);
		if (obj->ops->handle_open)
			obj->ops->handle_open(obj, ct->e[i].rights);
	}
	spin_unlock_irqrestore(&pt->lock, flags);
	child->handles = ct;
	return 0;
}

/* Close every handle of t (its exit, or a fork that failed later). */
void handles_exit(struct task_struct *t)
{
	struct handle_table *ht = t->handles;
	if (!ht)
		return;
	unsigned long flags;
	spin_lock_irqsave(&handles_ptr_lock, flags);
	t->handles = NULL;
	spin_unlock_irqrestore(&handles_ptr_lock, flags);
	for (int i = 0; i < HANDLE_MAX; i++)
		if (ht->e[i].obj)
			handle_drop(ht->e[i].obj, ht->e[i].rights);
	kfree(ht);
}

static void rights_str(const struct handle_entry *e, char buf[8])
{
	u32 r = e->rights;
	buf[0] = r & RIGHT_SEND ? 's' : '-';
	buf[1] = r & RIGHT_RECEIVE ? 'r' : '-';
	buf[2] = r & RIGHT_DUPLICATE ? 'd' : '-';
	buf[3] = r & RIGHT_TRANSFER ? 't' : '-';
	buf[4] = r & RIGHT_READ ? 'R' : '-';
	buf[5] = r & RIGHT_WRITE ? 'W' : '-';
	buf[6] = e->lent ? 'L' : '-';
	buf[7] = 0;
}

int handles_for_each(struct task_struct *t, void (*fn)(const struct handle_view *v, void *arg), void *arg)
{
	unsigned long flags;
	int n = 0;
	spin_lock_irqsave(&handles_ptr_lock, flags);
	struct handle_table *ht = t->handles;
	if (ht) {
		spin_lock(&ht->lock);
		for (int i = 0; i < HANDLE_MAX; i++) {
			struct handle_entry *e = &ht->e[i];
			if (!e->obj)
				continue;
			struct handle_view v = {
				.value = handle_value(i, e->gen), .slot = i, .obj = e->obj,
				.type = e->obj->ops->name, .refcount = e->obj->refcount,
			};
			rights_str(e, v.rights);
			if (e->obj->ops->show)
				e->obj->ops->show(e->obj, v.state, sizeof(v.state));
			fn(&v, arg);
			n++;
		}
		spin_unlock(&ht->lock);
	}
	spin_unlock_irqrestore(&handles_ptr_lock, flags);
	return n;
}
