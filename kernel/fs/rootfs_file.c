/*
 * An open file of the root file system (kernel/fs/rootfs.c): its own
 * kernel-served endpoint, holding the offset, answering the file
 * requests of <uapi/pagoda/fs.h>. The handle FS_OPEN gives is the only
 * way to it; fork copies the handle, so parent and child share the
 * offset (POSIX); when the last handle goes, the endpoint's release
 * frees it. Reads copy from the archive, into the reply's buffer or
 * into a lent memory object's pages (highmem ones too). Nothing here
 * writes: FS_WRITE and FS_PWRITE are EBADF (the file is open read-only:
 * FS_OPEN refused anything else with EROFS), FS_TRUNCATE and FS_UTIMES
 * EROFS.
 */
#include <pagoda/errno.h>
#include <pagoda/highmem.h>
#include <pagoda/initramfs.h>
#include <pagoda/memobj.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include "rootfs.h"

/* The lent memory object of a read (IPC_TAG_LEND, one handle: the loan
 * says FS_IO_MEMOBJ, as w3 is the ipc_ext's address), writable by us. */
static struct memobj *lent_memobj(const struct kcall *c, unsigned long *status)
{
	struct memobj *mo = c->nh == 1 && c->lent ? memobj_from_kobj(c->hobj[0]) : NULL;
	*status = mo ? 0 : EINVAL;
	if (mo && !(c->hrights[0] & RIGHT_WRITE)) {
		*status = EPERM;
		mo = NULL;
	}
	return mo;
}

static void copy_to_memobj(struct memobj *mo, const u8 *src, size_t n)
{
	for (size_t done = 0; done < n; done += PAGE_SIZE) {
		size_t len = n - done < PAGE_SIZE ? n - done : PAGE_SIZE;
		memcpy_to_page(memobj_page(mo, done), 0, src + done, len);
	}
}

/* FS_READ (pos NULL: at the file's offset, which moves) and FS_PREAD. */
static unsigned long do_read(struct rootfs_file *f, struct kcall *c, unsigned long want, const u64 *pos)
{
	if (S_ISDIR(f->inode.mode))
		return EISDIR;
	if (!initramfs_data(NULL))
		return EIO;
	unsigned long status = 0;
	struct memobj *mo = NULL;
	if (c->nh) {
		mo = lent_memobj(c, &status);
		if (!mo)
			return status;
		if (want > FS_IO_MAX || want > memobj_size(mo))
			return EINVAL;
	} else {
		want = want < c->rcap ? want : c->rcap;
	}
	u64 at, size = f->inode.size;
	unsigned long n;
	unsigned long flags;
	spin_lock_irqsave(&f->lock, flags);
	at = pos ? *pos : f->off;
	n = at >= size ? 0 : size - at < want ? (unsigned long)(size - at) : want;
	if (!pos)
		f->off = at + n;                /* a concurrent reader gets the next bytes */
	spin_unlock_irqrestore(&f->lock, flags);
	const u8 *src = (const u8 *)f->inode.data + at;
	if (mo) {
		copy_to_memobj(mo, src, n);
	} else if (n) {
		void *buf = kcall_reply_buf(c, n);
		if (!buf)
			return ENOMEM;
		memcpy(buf, src, n);
	}
	c->w[0] = n;
	return 0;
}

static unsigned long do_lseek(struct rootfs_file *f, struct kcall *c, s64 off, unsigned long whence)
{
	unsigned long flags;
	unsigned long status = 0;
	spin_lock_irqsave(&f->lock, flags);
	s64 base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (s64)f->off :
		   whence == SEEK_END ? (s64)f->inode.size : -1;
	if (base < 0 || (off < 0 && base + off < 0) || (off > 0 && base + off < base))
		status = EINVAL;
	else
		f->off = (u64)(base + off);
	u64 now = f->off;
	spin_unlock_irqrestore(&f->lock, flags);
	c->w[0] = FS_OFF_LO(now);
	c->w[1] = FS_OFF_HI(now);
	return status;
}

static unsigned long do_readdir(struct rootfs_file *f, struct kcall *c)
{
	if (!S_ISDIR(f->inode.mode))
		return ENOTDIR;
	void *buf = c->rcap ? kcall_reply_buf(c, c->rcap) : NULL;
	if (!buf)
		return EINVAL;
	/* Directory offsets are entry numbers; the lock keeps two readers of
	 * one open directory from packing the same entries. */
	unsigned long flags;
	spin_lock_irqsave(&f->lock, flags);
	u64 pos = f->off;
	spin_unlock_irqrestore(&f->lock, flags);
	long n = rootfs_readdir(f->path, &pos, buf, c->rcap);
	if (n < 0)
		return (unsigned long)-n;
	spin_lock_irqsave(&f->lock, flags);
	f->off = pos;
	spin_unlock_irqrestore(&f->lock, flags);
	c->rlen = (unsigned long)n;
	c->w[0] = (unsigned long)n;
	return 0;
}

static long file_call(void *priv, struct kcall *c)
{
	struct rootfs_file *f = priv;
	unsigned long label = c->tag, w[4];
	memcpy(w, c->w, sizeof(w));
	memset(c->w, 0, sizeof(c->w));
	u64 pos;
	switch (label) {
	case FS_READ:
		c->tag = do_read(f, c, w[0], NULL);
		break;
	case FS_PREAD:
		pos = FS_OFF(w[1], w[2]);
		c->tag = do_read(f, c, w[0], &pos);
		break;
	case FS_LSEEK:
		c->tag = do_lseek(f, c, (s64)FS_OFF(w[0], w[1]), w[2]);
		break;
	case FS_FSTAT: {
		struct fs_stat *st = kcall_reply_buf(c, sizeof(*st));
		if (st)
			rootfs_stat(&f->inode, st);
		c->tag = st ? 0 : ENOMEM;
		break;
	}
	case FS_READDIR:
		c->tag = do_readdir(f, c);
		break;
	case FS_FSYNC:
		c->tag = 0;
		break;
	case FS_WRITE: case FS_PWRITE:
		c->tag = EBADF;                 /* opened read-only */
		break;
	case FS_TRUNCATE: case FS_UTIMES:
		c->tag = EROFS;
		break;
	default:
		/* A path request on an open file's handle, or no request. */
		c->tag = label >= FS_OPEN && label <= FS_UNMOUNT ? EBADF : EINVAL;
		break;
	}
	return 0;
}

static void file_release(void *priv)
{
	kfree(priv);
}

static void file_show(void *priv, char *buf, size_t size)
{
	struct rootfs_file *f = priv;
	snprintf(buf, size, "/%s at %llu", f->path, (unsigned long long)f->off);
}

static const struct endpoint_kops file_ops = {
	.name = "initramfs file",
	.call = file_call,
	.release = file_release,
	.show = file_show,
};

struct kobj *rootfs_file_open(const char *path, const struct rootfs_inode *in)
{
	size_t n = strlen(path);
	struct rootfs_file *f = kmalloc(sizeof(*f) + n + 1, GFP_KERNEL);
	if (!f)
		return NULL;
	spin_lock_init(&f->lock);
	f->off = 0;
	f->inode = *in;
	memcpy(f->path, path, n + 1);
	struct kobj *ep = kernel_endpoint_new(&file_ops, f);
	if (!ep)
		kfree(f);
	return ep;
}
