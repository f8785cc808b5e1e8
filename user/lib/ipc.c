/*
 * Handles and IPC (<pagoda_ipc.h>): the message words go through the
 * arch's ipc_syscall (lib/arch/ipc_*.h), in registers both ways.
 */
#include "syscall.h"
#include <pagoda_ipc.h>

#ifdef __x86_64__
#include "arch/ipc_64.h"
#else
#include "arch/ipc_32.h"
#endif

int handle_close(int h) { return (int)__syscall_ret(syscall1(__NR_handle_close, h)); }
int handle_dup(int h, unsigned int rights) { return (int)__syscall_ret(syscall2(__NR_handle_dup, h, rights)); }
int handle_info(int h, struct handle_info *info)
{
	return (int)__syscall_ret(syscall2(__NR_handle_info, h, (long)info));
}
int handle_mint(int ep, unsigned int rights, unsigned long badge)
{
	return (int)__syscall_ret(syscall3(__NR_handle_mint, ep, rights, badge));
}
int endpoint_create(void) { return (int)__syscall_ret(syscall0(__NR_endpoint_create)); }
int pipe_create(int h[2]) { return (int)__syscall_ret(syscall1(__NR_pipe, (long)h)); }
int notify_create(void) { return (int)__syscall_ret(syscall0(__NR_notify_create)); }
int notify_signal(int n, unsigned long bits) { return (int)__syscall_ret(syscall2(__NR_notify_signal, n, bits)); }
long notify_wait(int n, long timeout_ms) { return __syscall_ret(syscall2(__NR_notify_wait, n, timeout_ms)); }

/* The message in m goes out; what comes back (if anything) lands in m. */
static int ipc_msg_call(long nr, int ep, struct ipc_msg *m, struct ipc_ext *x)
{
	/* A received IPC_TAG_CALL or IPC_TAG_LEND is not sent back; a call may lend. */
	m->tag &= IPC_LABEL_MASK | (nr == __NR_ipc_call ? IPC_TAG_LEND : 0);
	if (x) {
		m->tag |= IPC_TAG_EXT;
		m->w[3] = (unsigned long)x;
	}
	long r = __syscall_ret(ipc_syscall(nr, ep, &m->tag, m->w));
	if (r < 0)
		return -1;
	/* A receive's result is the sender's badge; every other call's is 0. */
	m->badge = (unsigned long)r;
	return 0;
}

int ipc_call(int ep, struct ipc_msg *m) { return ipc_msg_call(__NR_ipc_call, ep, m, 0); }
int ipc_recv(int ep, struct ipc_msg *m) { return ipc_msg_call(__NR_ipc_recv, ep, m, 0); }
int ipc_reply_recv(int ep, struct ipc_msg *m) { return ipc_msg_call(__NR_ipc_reply_recv, ep, m, 0); }
int ipc_call_ext(int ep, struct ipc_msg *m, struct ipc_ext *x) { return ipc_msg_call(__NR_ipc_call, ep, m, x); }
int ipc_recv_ext(int ep, struct ipc_msg *m, struct ipc_ext *x) { return ipc_msg_call(__NR_ipc_recv, ep, m, x); }
int ipc_reply_recv_ext(int ep, struct ipc_msg *m, struct ipc_ext *x)
{
	return ipc_msg_call(__NR_ipc_reply_recv, ep, m, x);
}

int ipc_send(int ep, const struct ipc_msg *m)
{
	struct ipc_msg c = *m;          /* a send gives nothing back, m stays */
	return ipc_msg_call(__NR_ipc_send, ep, &c, 0);
}

int ipc_send_ext(int ep, const struct ipc_msg *m, struct ipc_ext *x)
{
	struct ipc_msg c = *m;
	return ipc_msg_call(__NR_ipc_send, ep, &c, x);
}

int ipc_reply_save(void) { return (int)__syscall_ret(syscall0(__NR_ipc_reply_save)); }

int ipc_reply(int r, const struct ipc_msg *m)
{
	struct ipc_msg c = *m;
	return ipc_msg_call(__NR_ipc_reply, r, &c, 0);
}

int ipc_reply_ext(int r, const struct ipc_msg *m, struct ipc_ext *x)
{
	struct ipc_msg c = *m;
	return ipc_msg_call(__NR_ipc_reply, r, &c, x);
}
