/*
 * consd: the console server (docs/user-space.md "The console server").
 * Programs' stdout and stdin are requests to it (<pagoda/console.h>);
 * it writes through the kernel's console driver (debug_write) and gets
 * what is typed from its input helper (input.c), so it never blocks but
 * in ipc_recv. Why it does not drive the UART itself: the kernel's printk
 * and its monitor use COM1 too, and only the kernel can keep the three
 * from tearing each other's lines (docs/user-space.md).
 *
 * A reader that asks while nothing is typed waits: its reply capability
 * is saved (ipc_reply_save) and answered when input comes, in the order
 * the readers asked.
 */
#include <errno.h>
#include <pagoda/console.h>
#include <pagoda_handles.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "consd.h"

/* Typed and not read yet; what does not fit is dropped. */
#define INPUT_MAX 4096
static char input[INPUT_MAX];
static size_t in_head, in_len;

/* Readers waiting for input: saved reply handles, oldest first. */
#define READERS_MAX 16
static struct reader {
	int reply;
	size_t want;
} readers[READERS_MAX];
static int nreaders;

static size_t input_take(char *buf, size_t want)
{
	size_t n = want < in_len ? want : in_len;
	for (size_t i = 0; i < n; i++)
		buf[i] = input[(in_head + i) % INPUT_MAX];
	in_head = (in_head + n) % INPUT_MAX;
	in_len -= n;
	return n;
}

static size_t input_put(const char *buf, size_t len)
{
	size_t n = len < INPUT_MAX - in_len ? len : INPUT_MAX - in_len;
	for (size_t i = 0; i < n; i++)
		input[(in_head + in_len + i) % INPUT_MAX] = buf[i];
	in_len += n;
	return n;
}

/* Answer the waiting readers while there is input. */
static void readers_feed(void)
{
	static char out[IPC_BUF_MAX];
	while (nreaders && in_len) {
		struct reader r = readers[0];
		memmove(readers, readers + 1, --nreaders * sizeof(readers[0]));
		size_t n = input_take(out, r.want);
		struct ipc_msg m = { .tag = 0, .w = { n } };
		struct ipc_ext x = { .send_buf = out, .send_len = n, .timeout_ms = IPC_FOREVER };
		ipc_reply_ext(r.reply, &m, &x);
	}
}

/*
 * One request in m (its buffer in in, len bytes): the reply goes into m
 * and its bytes into out (*out_len). Returns 0 when the reply is to be
 * sent now, 1 when it was saved for later.
 */
static int serve(struct ipc_msg *m, const char *in, size_t len, char *out, size_t *out_len)
{
	unsigned long label = m->tag & IPC_LABEL_MASK;
	size_t want = m->w[0];
	*out_len = 0;
	memset(m, 0, sizeof(*m));
	switch (label) {
	case CONS_WRITE:
		debug_write(in, len);
		m->w[0] = len;
		return 0;
	case CONS_INPUT:
		m->w[0] = input_put(in, len);
		readers_feed();
		return 0;
	case CONS_READ:
		if (!want) {
			m->tag = EINVAL;
			return 0;
		}
		if (want > IPC_BUF_MAX)
			want = IPC_BUF_MAX;
		if (!in_len || nreaders) {
			if (nreaders == READERS_MAX) {
				m->tag = EAGAIN;
				return 0;
			}
			int r = ipc_reply_save();
			if (r < 0) {
				m->tag = errno;
				return 0;
			}
			readers[nreaders++] = (struct reader){ r, want };
			return 1;
		} else {
			*out_len = input_take(out, want);
		}
		m->w[0] = *out_len;
		return 0;
	default:
		m->tag = EINVAL;
		return 0;
	}
}

int main(void)
{
	static char in[IPC_BUF_MAX], out[IPC_BUF_MAX];
	int ep = handle_named(HANDLE_SERVER);
	if (ep < 0) {
		dprintf(2, "consd: no \"%s\" handle in HANDLES: %s\n", HANDLE_SERVER, strerror(errno));
		return 1;
	}
	if (input_helper_start(ep) < 0)
		dprintf(2, "consd: no input helper: %s\n", strerror(errno));

	struct ipc_msg m;
	struct ipc_ext x = { .recv_buf = in, .recv_cap = sizeof(in), .timeout_ms = IPC_FOREVER };
	int err = ipc_recv_ext(ep, &m, &x);
	while (!err) {
		size_t len = x.recv_len < sizeof(in) ? x.recv_len : sizeof(in), out_len;
		if (serve(&m, in, len, out, &out_len)) {
			x.send_len = 0;
			err = ipc_recv_ext(ep, &m, &x);
			continue;
		}
		x.send_buf = out;
		x.send_len = out_len;
		err = ipc_reply_recv_ext(ep, &m, &x);
	}
	dprintf(2, "consd: ipc_recv: %s\n", strerror(errno));
	return 1;
}
