/*
 * usertests, suite ureply: what a call leaves its server (docs/ipc.md):
 * saved reply capabilities answered later and out of order, handles lent
 * for one call and taken back when it is answered, and handle_info.
 */
#include "utest.h"

#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })

enum { OP_HOLD = 1, OP_LENT, OP_INFO, OP_LEND_ON, OP_QUIT };

/* n clients, each one call with its index in w0; 0 if all got w0 * 10 back. */
static int clients_call(int ep, int n, int *pids)
{
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct ipc_msg m = { .tag = OP_HOLD, .w = { (unsigned long)i + 1 } };
			if (ipc_call(ep, &m))
				_exit(100 + errno);
			_exit(m.w[0] == (unsigned long)(i + 1) * 10 && m.tag == 0 ? 0 : 1);
		}
		if (pids[i] < 0)
			return -1;
	}
	return 0;
}

/* A server holds several calls as saved replies and answers them in the
 * reverse order: each caller gets its own answer. */
static void saved_out_of_order(struct utest *t)
{
	enum { N = 4 };
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	EXPECT_EQ(t, E(ipc_reply_save()), -ENOENT);     /* nothing received yet */
	int pids[N];
	ASSERT_TRUE(t, clients_call(ep, N, pids) == 0);
	int r[N], order[N];
	for (int i = 0; i < N; i++) {
		struct ipc_msg m;
		EXPECT_EQ(t, E(ipc_recv(ep, &m)), 0);
		EXPECT_TRUE(t, m.tag & IPC_TAG_CALL);
		order[i] = (int)m.w[0];
		r[i] = ipc_reply_save();
		EXPECT_TRUE(t, r[i] > 0);
		EXPECT_EQ(t, E(ipc_reply_save()), -ENOENT);     /* it moved into r[i] */
	}
	struct handle_info info;
	EXPECT_EQ(t, E(handle_info(r[0], &info)), 0);
	EXPECT_EQ(t, info.type, HANDLE_TYPE_REPLY);
	EXPECT_EQ(t, info.rights, RIGHT_SEND | RIGHT_TRANSFER);
	EXPECT_EQ(t, E(handle_dup(r[0], RIGHT_SEND)), -EPERM);  /* one-shot: no copies */
	for (int i = N - 1; i >= 0; i--) {
		struct ipc_msg m = { .tag = 0, .w = { (unsigned long)order[i] * 10 } };
		EXPECT_EQ(t, E(ipc_reply(r[i], &m)), 0);
		EXPECT_EQ(t, E(ipc_reply(r[i], &m)), -EBADF);   /* consumed */
	}
	for (int i = 0; i < N; i++) {
		int status = -1;
		EXPECT_EQ(t, waitpid(pids[i], &status, 0), pids[i]);
		EXPECT_EQ(t, status, 0);
	}
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* An unanswered saved reply: closing it, or the server's death, wakes the
 * caller with -EPIPE; a reply to a caller that gave up goes nowhere. */
static void saved_unanswered(struct utest *t)
{
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int pid = fork();
	if (pid == 0) {
		struct ipc_msg m = { .tag = OP_HOLD };
		_exit(E(ipc_call(ep, &m)) == -EPIPE ? 0 : 1);
	}
	ASSERT_TRUE(t, pid > 0);
	struct ipc_msg m;
	EXPECT_EQ(t, E(ipc_recv(ep, &m)), 0);
	int r = ipc_reply_save();
	EXPECT_TRUE(t, r > 0);
	EXPECT_EQ(t, handle_close(r), 0);
	int status = -1;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);

	/* A server that saves and dies. */
	int srv = fork();
	if (srv == 0) {
		struct ipc_msg q;
		if (ipc_recv(ep, &q) || ipc_reply_save() <= 0)
			_exit(1);
		_exit(0);
	}
	ASSERT_TRUE(t, srv > 0);
	int s = handle_dup(ep, RIGHT_SEND);
	ASSERT_TRUE(t, s > 0);
	m = (struct ipc_msg){ .tag = OP_HOLD };
	EXPECT_EQ(t, E(ipc_call(s, &m)), -EPIPE);
	EXPECT_EQ(t, waitpid(srv, &status, 0), srv);
	EXPECT_EQ(t, status, 0);

	/* A caller that times out while its reply is saved. */
	pid = fork();
	if (pid == 0) {
		struct ipc_msg q = { .tag = OP_HOLD };
		struct ipc_ext x = { .timeout_ms = 30 };
		_exit(E(ipc_call_ext(s, &q, &x)) == -ETIMEDOUT ? 0 : 1);
	}
	ASSERT_TRUE(t, pid > 0);
	EXPECT_EQ(t, E(ipc_recv(ep, &m)), 0);
	r = ipc_reply_save();
	EXPECT_TRUE(t, r > 0);
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
	m = (struct ipc_msg){ .tag = 0 };
	EXPECT_EQ(t, E(ipc_reply(r, &m)), 0);           /* nobody to tell: dropped, no error */
	EXPECT_EQ(t, E(handle_close(r)), -EBADF);
	EXPECT_EQ(t, handle_close(s), 0);
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* The lending server: OP_LENT reports what it got (w0 handles | 0x100 if
 * the tag had IPC_TAG_LEND | 0x200 if handle_info calls it a loan, w1 the
 * loan's rights, w2 its value) and
 * signals through the loan;
 * OP_INFO answers handle_info(w0) of a handle it was lent before (closed
 * by now: -EBADF); OP_HOLD saves the reply, checks the loan still works,
 * answers, and checks it is gone at once; OP_LEND_ON lends the loan on,
 * and tries to dup it or move it. */
static __attribute__((noreturn)) void lend_server(int ep, int other)
{
	struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
	struct ipc_msg m;
	if (ipc_recv_ext(ep, &m, &x))
		_exit(100 + errno);
	for (;;) {
		unsigned long label = m.tag & IPC_LABEL_MASK;
		struct ipc_msg r = { .tag = 0 };
		int h = x.recv_nhandles ? x.recv_handles[0] : -1;
		struct handle_info info = { 0 };
		if (label == OP_LENT) {
			/* Three words: the reply carries an ipc_ext in w3. */
			r.w[1] = handle_info(h, &info) ? 0xdead : info.rights;
			r.w[0] = x.recv_nhandles | (m.tag & IPC_TAG_LEND ? 0x100 : 0) |
				 (info.flags & HANDLE_INFO_LENT ? 0x200 : 0);
			r.w[2] = (unsigned long)h;
			notify_signal(h, 0x10);
		} else if (label == OP_INFO) {
			r.w[0] = (unsigned long)E(handle_info((int)m.w[0], &info));
		} else if (label == OP_HOLD) {
			int rep = ipc_reply_save();
			struct handle_info ri;
			r.w[0] = (unsigned long)E(handle_info(rep, &ri));
			r.w[1] = ri.rights;                     /* no TRANSFER: it carries a loan */
			r.w[2] = (unsigned long)E(notify_signal(h, 0x20));
			int child = fork();                     /* a child inherits neither */
			if (child == 0)
				_exit(handle_info(h, &info) == -1 && handle_info(rep, &info) == -1 ? 0 : 1);
			int st = -1;
			waitpid(child, &st, 0);
			r.w[3] = (unsigned long)st;
			ipc_reply(rep, &r);
			r = (struct ipc_msg){ .tag = 0, .w = { (unsigned long)E(handle_info(h, &info)) } };
			/* The verdict on "gone at once" rides the next reply: OP_INFO asks for it. */
			m = (struct ipc_msg){ 0 };
			x = (struct ipc_ext){ .timeout_ms = IPC_FOREVER };
			if (ipc_recv_ext(ep, &m, &x))
				_exit(100 + errno);
			if ((m.tag & IPC_LABEL_MASK) == OP_INFO)
				m.w[1] = r.w[0];
			continue;
		} else if (label == OP_LEND_ON) {
			r.w[0] = (unsigned long)E(handle_dup(h, RIGHT_SEND));
			struct ipc_msg q = { .tag = 1 };
			struct ipc_ext mx = { .send_handles = { h }, .send_nhandles = 1, .timeout_ms = IPC_POLL };
			r.w[1] = (unsigned long)E(ipc_send_ext(other, &q, &mx));    /* moving it: refused */
			q = (struct ipc_msg){ .tag = 1 | IPC_TAG_LEND };
			mx = (struct ipc_ext){ .send_handles = { h }, .send_nhandles = 1, .timeout_ms = IPC_POLL };
			r.w[2] = (unsigned long)E(ipc_call_ext(other, &q, &mx));    /* lending on: allowed */
		} else if (label == OP_QUIT) {
			struct ipc_ext px = { .timeout_ms = IPC_POLL };
			ipc_reply_recv_ext(ep, &r, &px);
			_exit(0);
		}
		if (label == OP_INFO)
			r.w[1] = m.w[1];
		x = (struct ipc_ext){ .timeout_ms = IPC_FOREVER };
		if (ipc_reply_recv_ext(ep, &r, &x))
			_exit(100 + errno);
		m = r;
	}
}

static long lend_call(int ep, unsigned long label, int h, struct ipc_msg *m)
{
	*m = (struct ipc_msg){ .tag = label | IPC_TAG_LEND };
	struct ipc_ext x = { .send_handles = { h }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	return E(ipc_call_ext(ep, m, &x));
}

/* A loan: the server can use it for the call, cannot copy or give it away
 * (but may lend it on), loses it when it answers; the lender never lost it. */
static void loans(struct utest *t)
{
	int ep = endpoint_create(), other = endpoint_create(), n = notify_create();
	ASSERT_TRUE(t, ep > 0 && other > 0 && n > 0);
	int srv = fork();
	if (srv == 0)
		lend_server(ep, other);
	ASSERT_TRUE(t, srv > 0);
	int s = handle_dup(ep, RIGHT_SEND);
	ASSERT_TRUE(t, s > 0);
	EXPECT_EQ(t, handle_close(ep), 0);
	struct ipc_msg m;
	EXPECT_EQ(t, lend_call(s, OP_LENT, n, &m), 0);
	EXPECT_EQ(t, m.w[0], 0x301);            /* one handle; IPC_TAG_LEND seen; handle_info: a loan */
	EXPECT_EQ(t, m.w[1], RIGHTS_ALL & ~(RIGHT_DUPLICATE | RIGHT_TRANSFER));
	EXPECT_EQ(t, E(notify_wait(n, IPC_POLL)), 0x10);
	struct handle_info info;
	EXPECT_EQ(t, E(handle_info(n, &info)), 0);     /* still ours */
	EXPECT_EQ(t, info.flags, 0);                    /* and no loan */
	unsigned long loan = m.w[2];
	EXPECT_TRUE(t, loan > 0);
	m = (struct ipc_msg){ .tag = OP_INFO, .w = { loan } };
	EXPECT_EQ(t, E(ipc_call(s, &m)), 0);
	EXPECT_EQ(t, (long)m.w[0], -EBADF);             /* closed when it answered */

	/* Held across a saved reply: usable until answered, gone at once after. */
	EXPECT_EQ(t, lend_call(s, OP_HOLD, n, &m), 0);
	EXPECT_EQ(t, m.w[0], 0);
	EXPECT_EQ(t, m.w[1], RIGHT_SEND);
	EXPECT_EQ(t, m.w[2], 0);
	EXPECT_EQ(t, m.w[3], 0);                /* the forked child had neither */
	EXPECT_EQ(t, E(notify_wait(n, IPC_POLL)), 0x20);
	m = (struct ipc_msg){ .tag = OP_INFO, .w = { 0 } };
	EXPECT_EQ(t, E(ipc_call(s, &m)), 0);
	EXPECT_EQ(t, (long)m.w[1], -EBADF);

	EXPECT_EQ(t, lend_call(s, OP_LEND_ON, n, &m), 0);
	EXPECT_EQ(t, (long)m.w[0], -EPERM);     /* no copies of a loan */
	EXPECT_EQ(t, (long)m.w[1], -EPERM);     /* nor moving it */
	EXPECT_EQ(t, (long)m.w[2], -ETIMEDOUT); /* lending on passed the checks; nobody listened */

	/* Lending is for calls only; a handle without RIGHT_TRANSFER is not lent. */
	unsigned long w[4] = { 0 };
	EXPECT_EQ(t, syscall6(__NR_ipc_send, s, 1 | IPC_TAG_LEND, w[0], w[1], w[2], w[3]), -EINVAL);
	int no_xfer = handle_dup(n, RIGHT_SEND);
	ASSERT_TRUE(t, no_xfer > 0);
	EXPECT_EQ(t, lend_call(s, OP_LENT, no_xfer, &m), -EPERM);
	EXPECT_EQ(t, handle_close(no_xfer), 0);

	m = (struct ipc_msg){ .tag = OP_QUIT };
	EXPECT_EQ(t, E(ipc_call(s, &m)), 0);
	int status = -1;
	EXPECT_EQ(t, waitpid(srv, &status, 0), srv);
	EXPECT_EQ(t, status, 0);
	EXPECT_EQ(t, handle_close(s) | handle_close(other) | handle_close(n), 0);
}

/* handle_info names each kind of handle and its rights; nothing else. */
static void info(struct utest *t)
{
	int ep = endpoint_create(), n = notify_create();
	ASSERT_TRUE(t, ep > 0 && n > 0);
	struct handle_info i;
	EXPECT_EQ(t, E(handle_info(ep, &i)), 0);
	EXPECT_EQ(t, i.type, HANDLE_TYPE_ENDPOINT);
	EXPECT_EQ(t, i.rights, RIGHTS_ALL);
	int d = handle_dup(n, RIGHT_SEND | RIGHT_DUPLICATE);
	EXPECT_EQ(t, E(handle_info(d, &i)), 0);
	EXPECT_EQ(t, i.type, HANDLE_TYPE_NOTIFICATION);
	EXPECT_EQ(t, i.rights, RIGHT_SEND | RIGHT_DUPLICATE);
	EXPECT_EQ(t, E(handle_info(0, &i)), -EBADF);
	EXPECT_EQ(t, E(handle_info(ep ^ (1 << 8), &i)), -EBADF);
	EXPECT_EQ(t, E(handle_info(ep, KERNEL_ADDR)), -EFAULT);
	EXPECT_EQ(t, handle_close(d) | handle_close(n) | handle_close(ep), 0);
}

/* Saved replies and loans in a storm with deaths: every kernel object back. */
static void no_leak(struct utest *t)
{
	struct sysinfo si;
	ASSERT_TRUE(t, sysinfo(&si) == 0);
	unsigned int kobjs = si.nr_kobjs;
	for (int round = 0; round < 8; round++) {
		int ep = endpoint_create(), n = notify_create();
		ASSERT_TRUE(t, ep > 0 && n > 0);
		int pids[3];
		ASSERT_TRUE(t, clients_call(ep, 3, pids) == 0);
		int srv = fork();
		if (srv == 0) {
			/* Save all three, answer one, then die holding two. */
			int r[3];
			for (int i = 0; i < 3; i++) {
				struct ipc_msg m;
				if (ipc_recv(ep, &m))
					_exit(1);
				r[i] = ipc_reply_save();
				if (i == 0) {
					m = (struct ipc_msg){ .tag = 0, .w = { m.w[0] * 10 } };
					ipc_reply(r[0], &m);
				}
			}
			if (round % 2)
				kill(getpid(), SIGKILL);
			_exit(0);
		}
		ASSERT_TRUE(t, srv > 0);
		int ok = 0, epipe = 0;
		for (int i = 0; i < 3; i++) {
			int status = -1;
			waitpid(pids[i], &status, 0);
			ok += status == 0;
			epipe += WIFEXITED(status) && WEXITSTATUS(status) == 100 + EPIPE;
		}
		EXPECT_EQ(t, ok, 1);
		EXPECT_EQ(t, epipe, 2);
		waitpid(srv, NULL, 0);
		handle_close(ep);
		handle_close(n);
	}
	ASSERT_TRUE(t, sysinfo(&si) == 0);
	EXPECT_EQ(t, si.nr_kobjs, kobjs);
}

const struct ucase reply_cases[] = {
	{ "saved_out_of_order", saved_out_of_order },
	{ "saved_unanswered", saved_unanswered },
	{ "loans", loans },
	{ "info", info },
	{ "no_leak", no_leak },
	{ NULL, NULL },
};
