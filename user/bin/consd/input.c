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
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/proc.h>
#include <unistd.h>
#include "consd.h"

/* Bytes per burst: what one debug_read gives at most. */
#define INPUT_BURST 128

static void deliver(int ep, const char *buf, size_t len, int server)
{
	for (;;) {
		struct ipc_msg m = { .tag = CONS_INPUT };
		struct ipc_ext x = { .send_buf = buf, .send_len = len, .timeout_ms = IPC_FOREVER };
		if (!ipc_call_ext(ep, &m, &x))
			return;
		/* EPIPE: consd died with our call. Its successor answers the
		 * same call (init keeps the endpoint), unless consd is gone
		 * for good: then so are we. */
		if (errno != EPIPE || getppid() != server)
			_exit(0);
	}
}

static __attribute__((noreturn)) void input_loop(int ep, int server)
{
	char buf[INPUT_BURST];
	for (;;) {
		ssize_t n = debug_read(buf, sizeof(buf));
		if (n < 0)
			_exit(1);
		deliver(ep, buf, (size_t)n, server);
	}
}

/* A consd killed by a signal leaves its helper behind, blocked in
 * debug_read (now a child of init): two helpers would split the keys
 * between them. Every other "consd" that init adopted is such a helper
 * (init runs one consd, and that is us). */
static void end_orphaned_helpers(void)
{
	struct proc_stat st;
	int self = getpid();
	for (int pid = 1; proc_stat(pid, &st, PROC_STAT_NEXT) > 0; pid = st.pid + 1)
		if (st.pid != self && st.ppid == 1 && !strcmp(st.comm, "consd") && !kill(st.pid, SIGKILL))
			dprintf(2, "consd: ended the input helper %d of a consd before us\n", st.pid);
}

int input_helper_start(int ep)
{
	end_orphaned_helpers();
	int server = getpid();
	int pid = fork();
	if (pid)
		return pid;
	/* The helper only sends: dropping the receive right keeps the
	 * endpoint's last receiver what init decides (docs/user-space.md). */
	int send = handle_dup(ep, RIGHT_SEND);
	if (send < 0)
		_exit(1);
	handle_close(ep);
	input_loop(send, server);
}
