/*
 * The console behind fds 0-2 (and any fd dup'ed from them: fd.c). With a "console" handle in
 * HANDLES (init gives one to the shell, and every program inherits it)
 * write(1 or 2) and read(0) are requests to the console server, /bin/consd
 * (<pagoda/console.h>); without one (init itself, usertests run as init,
 * a program started before consd) they are the kernel console's
 * debug_write and debug_read, as they were before there was a server.
 */
#include <errno.h>
#include <pagoda/console.h>
#include <pagoda_handles.h>
#include <pagoda_ipc.h>
#include <unistd.h>
#include "fd.h"

/* The console handle: 0 not looked up yet (HANDLES is read once, at the
 * first use), -1 none. A forked child inherits both the handle and this. */
static int cons = 0;

static int console(void)
{
	if (!cons) {
		int saved = errno;
		cons = handle_named(CONS_HANDLE_NAME);
		errno = saved;
	}
	return cons;
}

/* One request; a request in flight when consd died fails with EPIPE and
 * is sent again: init keeps the endpoint, the next consd answers. Returns
 * the reply's w0, or -1 with errno (EPIPE: consd is gone for good). */
static long cons_call(struct ipc_msg *m, struct ipc_ext *x)
{
	struct ipc_msg req = *m;
	for (int i = 0; i <= CONS_RETRIES; i++) {
		*m = req;
		x->recv_len = 0;
		if (ipc_call_ext(cons, m, x) < 0) {
			if (errno == EPIPE)
				continue;
			return -1;
		}
		if (m->tag & IPC_LABEL_MASK) {
			errno = (int)(m->tag & IPC_LABEL_MASK);
			return -1;
		}
		return (long)m->w[0];
	}
	return -1;
}

static ssize_t cons_write(const void *buf, size_t len)
{
	size_t done = 0;
	do {
		size_t n = len - done < IPC_BUF_MAX ? len - done : IPC_BUF_MAX;
		struct ipc_msg m = { .tag = CONS_WRITE };
		struct ipc_ext x = { .send_buf = (const char *)buf + done, .send_len = n,
				     .timeout_ms = IPC_FOREVER };
		long w = cons_call(&m, &x);
		if (w < 0 && errno == EPIPE) {
			w = debug_write((const char *)buf + done, len - done);
			return w < 0 ? (done ? (ssize_t)done : -1) : (ssize_t)(done + w);
		}
		if (w < 0)
			return done ? (ssize_t)done : -1;
		done += n;
	} while (done < len);
	return (ssize_t)done;
}

static ssize_t cons_read(void *buf, size_t len)
{
	size_t n = len < IPC_BUF_MAX ? len : IPC_BUF_MAX;
	struct ipc_msg m = { .tag = CONS_READ, .w = { n } };
	struct ipc_ext x = { .recv_buf = buf, .recv_cap = n, .timeout_ms = IPC_FOREVER };
	long r = cons_call(&m, &x);
	if (r < 0 && errno == EPIPE)
		return debug_read(buf, len);
	if (r < 0)
		return -1;
	return (ssize_t)(x.recv_len < n ? x.recv_len : n);
}

long console_write(const void *buf, size_t len)
{
	if (!len)
		return 0;
	return console() > 0 ? cons_write(buf, len) : debug_write(buf, len);
}

long console_read(void *buf, size_t len)
{
	if (!len)
		return 0;
	return console() > 0 ? cons_read(buf, len) : debug_read(buf, len);
}
