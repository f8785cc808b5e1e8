/* One file-protocol request (<pagoda_fd.h>): a struct fs_msg to an ipc_call. */
#include <errno.h>
#include <pagoda_fd.h>
#include <pagoda_ipc.h>

int fs_call(int h, struct fs_msg *m)
{
	struct ipc_msg msg = { .tag = m->label, .w = { m->w[0], m->w[1], m->w[2] } };
	struct ipc_ext x = { .send_buf = m->send, .send_len = m->send_len, .recv_buf = m->recv,
			     .recv_cap = m->recv_cap, .timeout_ms = IPC_FOREVER };
	if (m->lend) {
		/* The server knows a memobj request by the lent handle: with an
		 * ipc_ext, w3 is its address and arrives as 0. */
		msg.tag |= IPC_TAG_LEND;
		x.send_handles[0] = m->lend;
		x.send_nhandles = 1;
	}
	m->handle = 0;
	m->recv_len = 0;
	if (ipc_call_ext(h, &msg, &x) < 0)
		return -1;
	if (x.recv_nhandles)
		m->handle = x.recv_handles[0];
	for (unsigned int i = 1; i < x.recv_nhandles; i++)
		handle_close(x.recv_handles[i]);        /* nothing asks for a second */
	m->recv_len = x.recv_len < m->recv_cap ? x.recv_len : m->recv_cap;
	for (int i = 0; i < 3; i++)
		m->w[i] = msg.w[i];
	if (msg.tag & IPC_LABEL_MASK) {
		if (m->handle) {
			handle_close(m->handle);
			m->handle = 0;
		}
		errno = (int)(msg.tag & IPC_LABEL_MASK);
		return -1;
	}
	return 0;
}
