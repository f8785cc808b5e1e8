/*
 * The mount table (<pagoda/mount.h>): a small array in the order the
 * mounts were made (mount_list's order), under one spinlock so that the
 * monitor may read it from any context. A lookup compares every entry:
 * MOUNT_MAX is 16, and the longest covering path wins.
 */
#include <pagoda/errno.h>
#include <pagoda/ipc.h>
#include <pagoda/mount.h>
#include <pagoda/printk.h>
#include <pagoda/spinlock.h>
#include <pagoda/string.h>

struct mount {
	struct mount_info info;
	struct kobj *obj;               /* the endpoint, one reference, counted as an open handle */
};

static DEFINE_SPINLOCK(mount_lock);
static struct mount mounts[MOUNT_MAX];  /* [0, nr_mounts) in use, oldest first */
static unsigned int nr_mounts;
static u32 last_id;

static struct mount *find(const char *path)
{
	for (unsigned int i = 0; i < nr_mounts; i++)
		if (!strcmp(mounts[i].info.path, path))
			return &mounts[i];
	return NULL;
}

int mount_add(const char *path, struct kobj *obj, const char *source, const char *fstype,
	      unsigned long flags)
{
	int err = 0;
	if (mount_path_check(path) || (flags & ~(unsigned long)MOUNT_RDONLY))
		err = -EINVAL;
	else if (strlen(path) >= MOUNT_PATH_MAX || strlen(source) >= MOUNT_NAME_MAX ||
		 strlen(fstype) >= MOUNT_NAME_MAX)
		err = -ENAMETOOLONG;
	if (err) {
		kobj_put(obj);
		return err;
	}
	/* From here the table's reference is an open send handle: a server
	 * counting its senders (IPC_LABEL_NO_SENDERS) counts the mount. */
	if (obj->ops->handle_open)
		obj->ops->handle_open(obj, MOUNT_HANDLE_RIGHTS);
	unsigned long irqf;
	spin_lock_irqsave(&mount_lock, irqf);
	if (find(path)) {
		err = -EBUSY;
	} else if (nr_mounts == MOUNT_MAX) {
		err = -ENOSPC;
	} else {
		struct mount *m = &mounts[nr_mounts++];
		*m = (struct mount){ .obj = obj, .info = { .id = ++last_id, .flags = (u32)flags } };
		strlcpy(m->info.path, path, sizeof(m->info.path));
		strlcpy(m->info.source, source, sizeof(m->info.source));
		strlcpy(m->info.fstype, fstype, sizeof(m->info.fstype));
		err = (int)m->info.id;
	}
	spin_unlock_irqrestore(&mount_lock, irqf);
	if (err < 0)
		handle_drop(obj, MOUNT_HANDLE_RIGHTS);
	return err;
}

int mount_remove(const char *path)
{
	struct kobj *obj = NULL;
	unsigned long irqf;
	spin_lock_irqsave(&mount_lock, irqf);
	struct mount *m = find(path);
	if (m) {
		obj = m->obj;
		/* Keep the order of the rest: mount_list's indices. */
		unsigned int i = (unsigned int)(m - mounts);
		memmove(m, m + 1, (nr_mounts - i - 1) * sizeof(*m));
		nr_mounts--;
	}
	spin_unlock_irqrestore(&mount_lock, irqf);
	if (!obj)
		return -ENOENT;
	handle_drop(obj, MOUNT_HANDLE_RIGHTS);  /* outside the lock: the release may free */
	return 0;
}

struct kobj *mount_lookup(const char *path, const char **rest, long *err)
{
	struct mount *best = NULL;
	size_t best_len = 0;
	unsigned long irqf;
	spin_lock_irqsave(&mount_lock, irqf);
	for (unsigned int i = 0; i < nr_mounts; i++) {
		const char *r = mount_path_rest(mounts[i].info.path, path);
		size_t len = strlen(mounts[i].info.path);
		if (r && (!best || len > best_len)) {
			best = &mounts[i];
			best_len = len;
			*rest = r;
		}
	}
	struct kobj *obj = best ? best->obj : NULL;
	if (obj)
		kobj_get(obj);
	spin_unlock_irqrestore(&mount_lock, irqf);
	*err = obj ? 0 : -ENOENT;
	return obj;
}

int mount_info_get(unsigned int index, struct mount_info *mi)
{
	int err = -ENOENT;
	unsigned long irqf;
	spin_lock_irqsave(&mount_lock, irqf);
	if (index < nr_mounts) {
		*mi = mounts[index].info;
		err = 0;
	}
	spin_unlock_irqrestore(&mount_lock, irqf);
	return err;
}

bool mount_path_of(const struct kobj *obj, char *buf, size_t size)
{
	bool found = false;
	unsigned long irqf;
	spin_lock_irqsave(&mount_lock, irqf);
	for (unsigned int i = 0; i < nr_mounts && !found; i++)
		if (mounts[i].obj == obj) {
			strlcpy(buf, mounts[i].info.path, size);
			found = true;
		}
	spin_unlock_irqrestore(&mount_lock, irqf);
	return found;
}

void show_mounts(void)
{
	unsigned long irqf;
	spin_lock_irqsave(&mount_lock, irqf);
	printk("  id  path                 source           fstype           flags  endpoint\n");
	for (unsigned int i = 0; i < nr_mounts; i++) {
		const struct mount *m = &mounts[i];
		char state[80] = "";
		if (m->obj->ops->show)
			m->obj->ops->show(m->obj, state, sizeof(state));
		printk("  %2u  %-20s %-16s %-16s %-5s  %s\n", m->info.id, m->info.path, m->info.source,
		       m->info.fstype, m->info.flags & MOUNT_RDONLY ? "ro" : "rw", state);
	}
	printk("  %u of %d mounts; the next id is %u\n", nr_mounts, MOUNT_MAX, last_id + 1);
	spin_unlock_irqrestore(&mount_lock, irqf);
}
