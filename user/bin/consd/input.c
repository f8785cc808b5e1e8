/*
 * consd's input helper. A server blocked in debug_read could answer no
 * writes meanwhile, and the kernel has no way to wake one process for
 * "a message or a key", so the waiting for keys is a process of its own:
 * a child of consd that loops on debug_read and passes what comes to
 * consd as a CONS_INPUT call, like any client. consd then stays in
 * ipc_recv and answers everybody.
 */
#include <errno.h>
#include <pagoda/console.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <string.h>
#include <sys/proc.h>
#include <unistd.h>
#include "consd.h"

/* Bytes per burst: what one debug_read gives at most. */
#define INPUT_BURST 128

static void deliver(int ep, const char *buf, size_t len)
{
	/* EPIPE: consd died with our call; its successor answers the same
	 * call (init keeps the endpoint). EPIPE at once, again and again:
	 * init gave consd up, nobody will ever read. */
	for (int tries = 0; tries <= CONS_RETRIES; tries++) {
		struct ipc_msg m = { .tag = CONS_INPUT };
		struct ipc_ext x = { .send_buf = buf, .send_len = len, .timeout_ms = IPC_FOREVER };
		if (!ipc_call_ext(ep, &m, &x))
			return;
		if (errno != EPIPE)
			break;
	}
	_exit(0);
}

static __attribute__((noreturn)) void input_loop(int ep)
{
	char buf[INPUT_BURST];
	for (;;) {
		ssize_t n = debug_read(buf, sizeof(buf));
		if (n < 0)
			_exit(1);
		deliver(ep, buf, (size_t)n);
	}
}

/* A consd killed by a signal leaves its helper behind, blocked in
 * debug_read or in a call to the endpoint, now a child of init. It only
 * needs the endpoint, which outlives consd: the new consd adopts it
 * rather than start a second helper (two would split the keys between
 * them, and ending the old one would lose what it holds). Every other
 * "consd" that init adopted is such a helper: init runs one consd, us. */
static int orphaned_helper(void)
{
	struct proc_stat st;
	int self = getpid();
	for (int pid = 1; proc_stat(pid, &st, PROC_STAT_NEXT) > 0; pid = st.pid + 1)
		if (st.pid != self && st.ppid == 1 && st.state != 'Z' && !strcmp(st.comm, "consd"))
			return st.pid;
	return 0;
}

int input_helper_start(int ep)
{
	int pid = orphaned_helper();
	if (pid) {
		dprintf(2, "consd: the input helper %d of the consd before us carries on\n", pid);
		return pid;
	}
	pid = fork();
	if (pid)
		return pid;
	/* The helper only sends: dropping the receive right keeps the
	 * endpoint's last receiver what init decides (docs/user-space.md). */
	int send = handle_dup(ep, RIGHT_SEND);
	if (send < 0)
		_exit(1);
	handle_close(ep);
	input_loop(send);
}
