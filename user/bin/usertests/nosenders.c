/*
 * usertests, suite uipc (listed in ipc.c): the no-senders notification
 * (handle_mint, docs/ipc.md "No senders"). When the last handle of a
 * minted alias goes, its endpoint's receiver gets one message from the
 * kernel, label IPC_LABEL_NO_SENDERS with the alias's badge: after the
 * last copy only, once, after what was sent through it, and never lost
 * or leaked.
 */
#include "utest.h"

#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })

/* One message from ep without waiting: 0 (in *m) or -errno. */
static long poll_msg(int ep, struct ipc_msg *m)
{
	struct ipc_ext x = { .timeout_ms = IPC_POLL };
	*m = (struct ipc_msg){ 0 };
	return E(ipc_recv_ext(ep, m, &x));
}

/* The next message on ep, if any, is the no-senders of badge; then none. */
static void expect_no_senders(struct utest *t, int ep, unsigned long badge)
{
	struct ipc_msg m;
	EXPECT_EQ(t, poll_msg(ep, &m), 0);
	EXPECT_EQ(t, m.tag, IPC_LABEL_NO_SENDERS);      /* no IPC_TAG_CALL: nothing to answer */
	EXPECT_EQ(t, m.badge, badge);
	EXPECT_EQ(t, poll_msg(ep, &m), -ETIMEDOUT);     /* once */
}

static void expect_nothing(struct utest *t, int ep)
{
	struct ipc_msg m;
	EXPECT_EQ(t, poll_msg(ep, &m), -ETIMEDOUT);
}

static int reap(int pid)
{
	int status = -1;
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* A child holds the last copy and calls through it before it exits: the
 * server gets the call, then (after the exit) the notification. */
void nosenders_child_exit(struct utest *t)
{
	struct leak_mark mark;
	leak_mark(&mark);
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int a = handle_mint(ep, RIGHT_SEND, 42);
	ASSERT_TRUE(t, a > 0);
	int pid = fork();
	if (pid == 0) {
		struct ipc_msg q = { .tag = 5 };
		_exit(ipc_call(a, &q) == 0 && q.w[0] == 6 ? 0 : 1);
	}
	ASSERT_TRUE(t, pid > 0);
	EXPECT_EQ(t, handle_close(a), 0);               /* the child's copy is the last */
	struct ipc_msg m;
	struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
	EXPECT_EQ(t, E(ipc_recv_ext(ep, &m, &x)), 0);
	EXPECT_EQ(t, m.tag, 5 | IPC_TAG_CALL);          /* what was sent comes first */
	EXPECT_EQ(t, m.badge, 42);
	m = (struct ipc_msg){ .tag = 0, .w = { 6 } };
	x = (struct ipc_ext){ .timeout_ms = IPC_POLL };
	/* The child may run on another CPU and exit before this receive:
	 * then the notification is already here, else it comes at its exit. */
	long got = E(ipc_reply_recv_ext(ep, &m, &x));
	if (got == 0) {
		EXPECT_EQ(t, m.tag, IPC_LABEL_NO_SENDERS);
		EXPECT_EQ(t, m.badge, 42);
		EXPECT_EQ(t, reap(pid), 0);
		expect_nothing(t, ep);
	} else {
		EXPECT_EQ(t, got, -ETIMEDOUT);
		EXPECT_EQ(t, reap(pid), 0);
		expect_no_senders(t, ep, 42);
	}
	EXPECT_EQ(t, handle_close(ep), 0);
	expect_no_leak(t, &mark);
}

/* A child that takes its exit message from gate and exits. */
static int gated_child(int gate)
{
	int pid = fork();
	if (pid == 0) {
		struct ipc_msg m;
		_exit(ipc_recv(gate, &m) == 0 ? 0 : 1);
	}
	return pid;
}

static void open_gate(int gate)
{
	struct ipc_msg m = { .tag = 1 };
	ipc_send(gate, &m);                             /* returns once a child took it */
}

/* dup'd copies and forked copies: only the last close of all speaks. */
void nosenders_dup_and_fork(struct utest *t)
{
	struct leak_mark mark;
	leak_mark(&mark);
	int ep = endpoint_create(), gate = endpoint_create();
	ASSERT_TRUE(t, ep > 0 && gate > 0);
	int a = handle_mint(ep, RIGHT_SEND | RIGHT_DUPLICATE, 7);
	ASSERT_TRUE(t, a > 0);
	int d = handle_dup(a, RIGHT_SEND);
	ASSERT_TRUE(t, d > 0);
	int c1 = gated_child(gate), c2 = gated_child(gate);
	ASSERT_TRUE(t, c1 > 0 && c2 > 0);
	EXPECT_EQ(t, handle_close(a), 0);
	expect_nothing(t, ep);                          /* d, and the children's two each */
	EXPECT_EQ(t, handle_close(d), 0);
	expect_nothing(t, ep);
	open_gate(gate);
	/* Whichever took it (not waitpid(-1): as init, usertests also has
	 * orphans of other cases to reap). */
	int first = 0;
	for (int i = 0; i < 1000000 && !first; i++) {
		if (waitpid(c1, NULL, WNOHANG) == c1)
			first = c1;
		else if (waitpid(c2, NULL, WNOHANG) == c2)
			first = c2;
		else
			sched_yield();
	}
	EXPECT_TRUE(t, first == c1 || first == c2);
	expect_nothing(t, ep);                          /* the other child still holds two */
	open_gate(gate);
	EXPECT_EQ(t, reap(first == c1 ? c2 : c1), 0);
	expect_no_senders(t, ep, 7);
	EXPECT_EQ(t, handle_close(ep) | handle_close(gate), 0);
	expect_no_leak(t, &mark);
}

/* The last copy inside a message when its sender dies: the message is
 * never delivered, the handle goes with its sender, and that is heard. A
 * copy the receiver has no room for is closed, and heard too. */
void nosenders_transfer_fails(struct utest *t)
{
	struct leak_mark mark;
	leak_mark(&mark);
	int ep = endpoint_create(), inbox = endpoint_create();
	ASSERT_TRUE(t, ep > 0 && inbox > 0);
	int a = handle_mint(ep, RIGHT_SEND | RIGHT_TRANSFER, 5);
	ASSERT_TRUE(t, a > 0);
	int pid = fork();
	if (pid == 0) {
		struct ipc_msg q = { .tag = 1 };
		struct ipc_ext x = { .send_handles = { a }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
		ipc_call_ext(inbox, &q, &x);            /* nobody receives: killed here */
		_exit(1);
	}
	ASSERT_TRUE(t, pid > 0);
	EXPECT_EQ(t, handle_close(a), 0);
	until_sleeping(pid, 100000);
	expect_nothing(t, ep);                          /* it is in the message */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	expect_no_senders(t, ep, 5);

	/* Delivered to a receiver whose table is full: closed on arrival. */
	a = handle_mint(ep, RIGHT_SEND | RIGHT_TRANSFER, 6);
	ASSERT_TRUE(t, a > 0);
	pid = fork();
	if (pid == 0) {
		while (handle_dup(inbox, RIGHT_SEND) > 0)
			;                               /* no room left */
		struct ipc_msg m;
		struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
		_exit(ipc_recv_ext(inbox, &m, &x) == 0 && x.recv_nhandles == 0 ? 0 : 1);
	}
	ASSERT_TRUE(t, pid > 0);
	struct ipc_msg m = { .tag = 2 };
	struct ipc_ext x = { .send_handles = { a }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	EXPECT_EQ(t, E(ipc_send_ext(inbox, &m, &x)), 0);
	EXPECT_EQ(t, reap(pid), 0);
	expect_no_senders(t, ep, 6);
	EXPECT_EQ(t, handle_close(ep) | handle_close(inbox), 0);
	expect_no_leak(t, &mark);
}

/* A mint never given out still speaks, once, when closed; a receiver
 * already waiting gets it at once; a dead endpoint's is dropped. */
void nosenders_never_given(struct utest *t)
{
	struct leak_mark mark;
	leak_mark(&mark);
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int a = handle_mint(ep, RIGHT_SEND, 3);
	ASSERT_TRUE(t, a > 0);
	expect_nothing(t, ep);
	EXPECT_EQ(t, handle_close(a), 0);
	expect_no_senders(t, ep, 3);

	/* A receiver waiting when the last handle goes gets it at once (the
	 * child is forked before the mint: it holds no copy). */
	int pid = fork();
	if (pid == 0) {
		struct ipc_msg m;
		if (ipc_recv(ep, &m))
			_exit(1);
		_exit(m.tag == IPC_LABEL_NO_SENDERS && m.badge == 4 ? 0 : 2);
	}
	ASSERT_TRUE(t, pid > 0);
	until_sleeping(pid, 100000);
	a = handle_mint(ep, RIGHT_SEND, 4);
	ASSERT_TRUE(t, a > 0);
	EXPECT_EQ(t, handle_close(a), 0);
	EXPECT_EQ(t, reap(pid), 0);
	expect_nothing(t, ep);                          /* it went to the child, not also here */

	/* The endpoint gone first: nothing to deliver, nothing kept. */
	a = handle_mint(ep, RIGHT_SEND, 8);
	ASSERT_TRUE(t, a > 0);
	EXPECT_EQ(t, handle_close(ep), 0);
	EXPECT_EQ(t, handle_close(a), 0);
	expect_no_leak(t, &mark);
}

/* Many notifications queued and never received, taken, and dropped with
 * their endpoint: every page comes back (a lost kernel message would
 * show here, it is no kernel object). */
void nosenders_no_leak(struct utest *t)
{
	struct leak_mark mark;
	for (int round = -1; round < 8; round++) {
		if (round == 0)
			leak_mark(&mark);
		int ep = endpoint_create();
		if (ep < 0)
			break;
		for (int i = 1; i <= 400; i++) {
			int a = handle_mint(ep, RIGHT_SEND, (unsigned long)i);
			if (a < 0)
				break;
			handle_close(a);
		}
		struct ipc_msg m;
		for (int i = 1; i <= 200; i++)          /* in order, one each */
			if (poll_msg(ep, &m) || m.tag != IPC_LABEL_NO_SENDERS || m.badge != (unsigned long)i) {
				EXPECT_EQ(t, m.badge, i);
				break;
			}
		handle_close(ep);                       /* the other 200 dropped with it */
	}
	expect_no_leak(t, &mark);
}
