/*
 * Pipes (pipe, <uapi/pagoda/unistd.h> 82): a ring of PIPE_BUF_SIZE bytes
 * behind two kernel-served endpoints, the read end and the write end,
 * that speak the file protocol (<uapi/pagoda/fs.h>: FS_READ, FS_WRITE,
 * FS_FSTAT), so that the user library's fd layer treats a pipe like any
 * file. A request runs in the caller's context (kendpoint.c) and sleeps
 * there, killably, for data or for room.
 *
 * An end is gone when its endpoint is released: its last handle closed
 * and no call still running on it. The pipe itself stays until both ends
 * are gone. The ends are counted, not the handles: fork, dup and moving a
 * handle all keep the same end alive, as Linux counts struct files.
 */
#include <pagoda/errno.h>
#include <pagoda/highmem.h>
#include <pagoda/memobj.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <pagoda/syscalls.h>
#include <pagoda/timer.h>
#include <pagoda/uaccess.h>
#include <pagoda/wait.h>
#include <uapi/pagoda/fs.h>

#define PIPE_ATOMIC IPC_BUF_MAX         /* POSIX PIPE_BUF: a write this small is never split */

struct pipe {
	spinlock_t lock;                /* head, len, the ends */
	wait_queue_head_t rd_wait;      /* readers waiting for data */
	wait_queue_head_t wr_wait;      /* writers waiting for room */
	unsigned char *ring;            /* PIPE_BUF_SIZE bytes */
	unsigned int head;              /* the next byte to read */
	unsigned int len;               /* bytes buffered */
	bool reader, writer;            /* the ends not yet gone */
	int ends;                       /* endpoints still holding the pipe */
};

/* ---- the ring, under p->lock ---- */

static unsigned int room(const struct pipe *p)
{
	return PIPE_BUF_SIZE - p->len;
}

/* Take n buffered bytes out: the run to the end of the ring, then the rest. */
static void ring_out(struct pipe *p, void *dst, unsigned int n)
{
	unsigned int first = n < PIPE_BUF_SIZE - p->head ? n : PIPE_BUF_SIZE - p->head;
	memcpy(dst, p->ring + p->head, first);
	memcpy((char *)dst + first, p->ring, n - first);
	p->head = (p->head + n) % PIPE_BUF_SIZE;
	p->len -= n;
}

static void ring_in(struct pipe *p, const void *src, unsigned int n)
{
	unsigned int tail = (p->head + p->len) % PIPE_BUF_SIZE;
	unsigned int first = n < PIPE_BUF_SIZE - tail ? n : PIPE_BUF_SIZE - tail;
	memcpy(p->ring + tail, src, first);
	memcpy(p->ring, (const char *)src + first, n - first);
	p->len += n;
}

/* The same with a memory object's pages (a large read or write lends one:
 * FS_IO_MEMOBJ), a page at a time. */
static void ring_out_memobj(struct pipe *p, struct memobj *mo, unsigned long off, unsigned int n)
{
	while (n) {
		unsigned int in_page = (unsigned int)(off & (PAGE_SIZE - 1));
		unsigned int chunk = PAGE_SIZE - in_page;
		unsigned int run = PIPE_BUF_SIZE - p->head;
		chunk = chunk < n ? chunk : n;
		chunk = chunk < run ? chunk : run;
		memcpy_to_page(memobj_page(mo, off), in_page, p->ring + p->head, chunk);
		p->head = (p->head + chunk) % PIPE_BUF_SIZE;
		p->len -= chunk;
		off += chunk;
		n -= chunk;
	}
}

static void ring_in_memobj(struct pipe *p, struct memobj *mo, unsigned long off, unsigned int n)
{
	while (n) {
		unsigned int tail = (p->head + p->len) % PIPE_BUF_SIZE;
		unsigned int in_page = (unsigned int)(off & (PAGE_SIZE - 1));
		unsigned int chunk = PAGE_SIZE - in_page;
		unsigned int run = PIPE_BUF_SIZE - tail;
		chunk = chunk < n ? chunk : n;
		chunk = chunk < run ? chunk : run;
		memcpy_from_page(p->ring + tail, memobj_page(mo, off), in_page, chunk);
		p->len += chunk;
		off += chunk;
		n -= chunk;
	}
}

/* ---- waiting ---- */

/* Lock p once ready(p) holds (0); or, unlocked, -EINTR if the caller is
 * killed first, -ETIMEDOUT once *left (jiffies, MAX_SCHEDULE_TIMEOUT:
 * forever) runs out (what is left stays in *left for the next wait of the
 * same call). The caller's context may sleep: kendpoint_call checked. */
static long pipe_lock_when(struct pipe *p, wait_queue_head_t *wq, bool (*ready)(const struct pipe *, unsigned int),
			   unsigned int want, long *left)
{
	for (;;) {
		spin_lock(&p->lock);
		if (ready(p, want))
			return 0;
		spin_unlock(&p->lock);
		DEFINE_WAIT(w);
		long err = 0;
		for (;;) {
			prepare_to_wait(wq, &w, TASK_INTERRUPTIBLE);
			if (ready(p, want))     /* unlocked: a hint, checked again above */
				break;
			if (fatal_signal_pending(current)) {
				err = -EINTR;
				break;
			}
			if (!*left) {
				err = -ETIMEDOUT;
				break;
			}
			*left = schedule_timeout(*left);
		}
		finish_wait(wq, &w);
		if (err)
			return err;
	}
}

/* The caller's timeout in jiffies, as ipc_wait counts it. */
static long wait_budget(const struct kcall *c)
{
	return c->timeout_ms < 0 ? MAX_SCHEDULE_TIMEOUT : (long)msecs_to_jiffies((unsigned int)c->timeout_ms);
}

static bool can_read(const struct pipe *p, unsigned int want)
{
	(void)want;
	return READ_ONCE(p->len) || !READ_ONCE(p->writer);
}

/* Room for want bytes (all of an atomic write, else at least one), or no
 * reader to wait for. */
static bool can_write(const struct pipe *p, unsigned int want)
{
	return PIPE_BUF_SIZE - READ_ONCE(p->len) >= want || !READ_ONCE(p->reader);
}

/* ---- the requests ---- */

/* A read or write whose data is in a lent memory object. The handle is
 * what tells: a message lending one needs an ipc_ext, and with an ipc_ext
 * w3 is its pointer, zeroed by the kernel, so FS_IO_MEMOBJ cannot arrive
 * there (taken too, should a later protocol move it). */
static bool io_is_memobj(const struct kcall *c)
{
	return c->nh || c->w[3] & FS_IO_MEMOBJ;
}

/* The lent memory object of an FS_IO_MEMOBJ request with the right need,
 * and n checked against it; NULL (and *status) if it is not one. */
static struct memobj *io_memobj(struct kcall *c, u32 need, unsigned long n, unsigned long *status)
{
	struct memobj *mo = c->nh == 1 && c->lent ? memobj_from_kobj(c->hobj[0]) : NULL;
	*status = EINVAL;
	if (!mo)
		return NULL;
	if ((c->hrights[0] & need) != need) {
		*status = EPERM;
		return NULL;
	}
	if (n > FS_IO_MAX || n > memobj_size(mo))
		return NULL;
	*status = 0;
	return mo;
}

/* FS_READ: what is there, at least one byte (waiting for it), at most w0
 * and the caller's room; 0 at the end (no writer, nothing buffered). */
static long pipe_read(struct pipe *p, struct kcall *c)
{
	unsigned long n = c->w[0], status = 0;
	struct memobj *mo = NULL;
	void *buf = NULL;
	if (io_is_memobj(c)) {
		mo = io_memobj(c, RIGHT_WRITE, n, &status);
		if (!mo)
			goto reply;
	} else {
		n = n < c->rcap ? n : c->rcap;
		buf = n ? kcall_reply_buf(c, n) : NULL;
		if (n && !buf) {
			status = ENOMEM;
			goto reply;
		}
	}
	unsigned int got = 0;
	if (n) {
		long left = wait_budget(c);
		long err = pipe_lock_when(p, &p->rd_wait, can_read, 1, &left);
		if (err)
			return err;
		got = p->len < n ? p->len : (unsigned int)n;
		if (mo)
			ring_out_memobj(p, mo, 0, got);
		else
			ring_out(p, buf, got);
		spin_unlock(&p->lock);
		if (got)
			wake_up_all(&p->wr_wait);
	}
	c->rlen = got;
	c->w[0] = got;
reply:
	c->tag = status;
	return 0;
}

/* FS_WRITE: all of it, waiting for room; up to PIPE_ATOMIC bytes in one
 * piece (never interleaved with another writer's), more (a lent memory
 * object) as room comes. EPIPE with no reader; a write cut short by the
 * reader's going answers what it wrote. */
static long pipe_write(struct pipe *p, struct kcall *c)
{
	unsigned long n = c->len, status = 0, done = 0;
	struct memobj *mo = NULL;
	if (io_is_memobj(c)) {
		n = c->w[0];
		mo = io_memobj(c, RIGHT_READ, n, &status);
		if (!mo)
			goto reply;
	}
	long budget = wait_budget(c);
	while (done < n) {
		unsigned long left = n - done;
		unsigned int want = left <= PIPE_ATOMIC ? (unsigned int)left : 1;
		long err = pipe_lock_when(p, &p->wr_wait, can_write, want, &budget);
		if (err == -ETIMEDOUT && done)
			break;                  /* time is up: what went in is the answer */
		if (err)
			return err;
		if (!p->reader) {
			spin_unlock(&p->lock);
			if (!done)
				status = EPIPE;
			break;
		}
		unsigned int chunk = room(p) < left ? room(p) : (unsigned int)left;
		if (mo)
			ring_in_memobj(p, mo, done, chunk);
		else
			ring_in(p, (const char *)c->buf + done, chunk);
		spin_unlock(&p->lock);
		wake_up_all(&p->rd_wait);
		done += chunk;
	}
	c->w[0] = done;
reply:
	c->tag = status;
	return 0;
}

/* FS_FSTAT: a FIFO, st_size the bytes buffered now. */
static long pipe_fstat(struct pipe *p, struct kcall *c)
{
	struct fs_stat *st = kcall_reply_buf(c, sizeof(*st));
	if (!st) {
		c->tag = ENOMEM;
		return 0;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_blksize = PIPE_ATOMIC;
	st->st_size = READ_ONCE(p->len);
	c->w[0] = 0;
	c->tag = 0;
	return 0;
}

static long pipe_call(struct pipe *p, struct kcall *c, bool read_end)
{
	long err;
	unsigned long op = c->tag;
	if (op == FS_READ && read_end) {
		err = pipe_read(p, c);
	} else if (op == FS_WRITE && !read_end) {
		err = pipe_write(p, c);
	} else if (op == FS_FSTAT) {
		err = pipe_fstat(p, c);
	} else {
		c->tag = op == FS_LSEEK ? ESPIPE : EBADF;       /* EBADF: not a request this end takes */
		err = 0;
	}
	if (c->tag)
		c->w[0] = 0;
	c->w[1] = c->w[2] = c->w[3] = 0;        /* the answer is w0 alone */
	return err;
}

static long pipe_read_call(void *priv, struct kcall *c)
{
	return pipe_call(priv, c, true);
}

static long pipe_write_call(void *priv, struct kcall *c)
{
	return pipe_call(priv, c, false);
}

/* An end is gone: the other side's waiters learn it (EOF, EPIPE); the
 * second to go frees the pipe. */
static void pipe_end_gone(struct pipe *p, bool read_end)
{
	spin_lock(&p->lock);
	if (read_end)
		p->reader = false;
	else
		p->writer = false;
	bool last = !--p->ends;
	spin_unlock(&p->lock);
	if (last) {
		kfree(p->ring);
		kfree(p);
		return;
	}
	wake_up_all(read_end ? &p->wr_wait : &p->rd_wait);
}

static void pipe_read_release(void *priv)
{
	pipe_end_gone(priv, true);
}

static void pipe_write_release(void *priv)
{
	pipe_end_gone(priv, false);
}

static void pipe_show(struct pipe *p, char *buf, size_t size, bool read_end)
{
	bool other = read_end ? READ_ONCE(p->writer) : READ_ONCE(p->reader);
	snprintf(buf, size, "pipe %s end, %u bytes buffered%s", read_end ? "read" : "write", READ_ONCE(p->len),
		 other ? "" : read_end ? ", no writer" : ", no reader");
}

static void pipe_read_show(void *priv, char *buf, size_t size)
{
	pipe_show(priv, buf, size, true);
}

static void pipe_write_show(void *priv, char *buf, size_t size)
{
	pipe_show(priv, buf, size, false);
}

static const struct endpoint_kops pipe_read_ops = {
	.name = "pipe read end",
	.call = pipe_read_call,
	.release = pipe_read_release,
	.show = pipe_read_show,
};

static const struct endpoint_kops pipe_write_ops = {
	.name = "pipe write end",
	.call = pipe_write_call,
	.release = pipe_write_release,
	.show = pipe_write_show,
};

#define PIPE_RIGHTS (RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER)

int do_pipe(int h[2])
{
	struct pipe *p = kzalloc(sizeof(*p), GFP_KERNEL);
	unsigned char *ring = p ? kmalloc(PIPE_BUF_SIZE, GFP_KERNEL) : NULL;
	if (!ring) {
		kfree(p);
		return -ENOMEM;
	}
	spin_lock_init(&p->lock);
	init_waitqueue_head(&p->rd_wait);
	init_waitqueue_head(&p->wr_wait);
	p->ring = ring;
	p->reader = p->writer = true;
	p->ends = 2;
	/* From here each end's release lets go of its half, made or not. */
	struct kobj *r = kernel_endpoint_new(&pipe_read_ops, p);
	if (!r)
		pipe_end_gone(p, true);
	struct kobj *w = kernel_endpoint_new(&pipe_write_ops, p);
	if (!w)
		pipe_end_gone(p, false);
	if (!r || !w) {
		if (r)
			kobj_put(r);
		if (w)
			kobj_put(w);
		return -ENOMEM;
	}
	h[0] = handle_create(r, PIPE_RIGHTS);
	if (h[0] < 0) {
		kobj_put(w);
		return h[0];
	}
	h[1] = handle_create(w, PIPE_RIGHTS);
	if (h[1] < 0) {
		handle_close(h[0]);
		return h[1];
	}
	return 0;
}

SYSCALL_DEFINE1(pipe, int __user *, uh)
{
	if (!access_ok(uh, 2 * sizeof(int)))
		return -EFAULT;
	int h[2];
	int err = do_pipe(h);
	if (err)
		return err;
	if (copy_to_user(uh, h, sizeof(h))) {
		handle_close(h[0]);
		handle_close(h[1]);
		return -EFAULT;
	}
	return 0;
}
