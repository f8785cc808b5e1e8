/* usertests, suite uipc: handles and synchronous IPC (docs/ipc.md). */
#include "utest.h"

/* What the test server (serve) understands: the label of a request. */
enum { OP_ECHO = 1, OP_QUIT, OP_BUF, OP_SIGNAL, OP_CPU };

/* -errno of a failed library call, or its result. */
#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })

/* The reply to OP_ECHO: each word mixed with another, so a reply meant for
 * another request (or words in the wrong registers) shows. */
static void echo_expect(const unsigned long *w, unsigned long *r)
{
	r[0] = w[0] * 3;
	r[1] = w[1] + w[2];
	r[2] = w[3] ^ 0xa5a5UL;
}

/* A server: answers until OP_QUIT, then exits 0; exits 100 + errno if a
 * call fails. OP_BUF: the buffer back with each byte ^ 0x5a, its CRC and
 * length in w0, w1. OP_SIGNAL: signal the handle that came with w0. OP_CPU:
 * the CPU it answers on, in w0. */
static __attribute__((noreturn)) void serve(int ep)
{
	static unsigned char in[IPC_BUF_MAX], out[IPC_BUF_MAX];
	struct ipc_ext x = { .recv_buf = in, .recv_cap = sizeof(in), .timeout_ms = IPC_FOREVER };
	struct ipc_msg m;
	if (ipc_recv_ext(ep, &m, &x))
		_exit(100 + errno);
	for (;;) {
		unsigned long label = m.tag & IPC_LABEL_MASK;
		struct ipc_msg r = { .tag = label };
		x.send_len = 0;
		x.send_nhandles = 0;
		x.timeout_ms = IPC_FOREVER;
		if (label == OP_ECHO) {
			echo_expect(m.w, r.w);
		} else if (label == OP_BUF) {
			unsigned long n = x.recv_len < sizeof(in) ? x.recv_len : sizeof(in);
			for (unsigned long i = 0; i < n; i++)
				out[i] = in[i] ^ 0x5a;
			x.send_buf = out;
			x.send_len = n;
			r.w[0] = crc32(0, in, n);
			r.w[1] = x.recv_len;
		} else if (label == OP_SIGNAL) {
			r.w[0] = x.recv_nhandles;
			r.w[1] = x.recv_nhandles ? E(notify_signal(x.recv_handles[0], m.w[0])) : 1;
			if (x.recv_nhandles)
				handle_close(x.recv_handles[0]);
		} else if (label == OP_CPU) {
			unsigned int cpu = ~0u;
			r.w[0] = getcpu(&cpu, NULL) ? ~0ul : cpu;
		} else if (label == OP_QUIT) {
			x.timeout_ms = IPC_POLL;        /* reply, then find nobody waiting */
			ipc_reply_recv_ext(ep, &r, &x);
			_exit(0);
		}
		if (ipc_reply_recv_ext(ep, &r, &x))
			_exit(100 + errno);
		m = r;
	}
}

static int start_server(int ep)
{
	int pid = fork();
	if (pid == 0)
		serve(ep);
	return pid;
}

/* Keep only the right to send on ep: if the server dies, our calls get
 * -EPIPE instead of waiting forever for a receiver we could be. */
static int send_only(int ep)
{
	int s = handle_dup(ep, RIGHT_SEND);
	handle_close(ep);
	return s;
}

/* A new endpoint with a test server receiving on it, of which the caller
 * keeps the right to send only; the server's pid in *srv. < 0 if any step
 * failed. */
static int start_served(int *srv)
{
	int ep = endpoint_create();
	if (ep < 0)
		return ep;
	*srv = start_server(ep);
	if (*srv < 0) {
		handle_close(ep);
		return -1;
	}
	return send_only(ep);
}

static void stop_server(struct utest *t, int ep, int pid)
{
	struct ipc_msg m = { .tag = OP_QUIT };
	EXPECT_EQ(t, E(ipc_call(ep, &m)), 0);
	int status = -1;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
}

/* n echo calls; how many replies were wrong. */
static int echo_calls(int ep, unsigned long seed, int n)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		unsigned long v = seed + (unsigned long)i;
		struct ipc_msg m = { .tag = OP_ECHO, .w = { v, v * 7, v ^ 0x55, ~v } };
		unsigned long want[3];
		echo_expect(m.w, want);
		if (ipc_call(ep, &m))
			return n - i;           /* the rest would fail the same way */
		if (m.tag != OP_ECHO || m.w[0] != want[0] || m.w[1] != want[1] || m.w[2] != want[2])
			bad++;
	}
	return bad;
}

static unsigned char ipc_out[IPC_BUF_MAX + 1], ipc_in[IPC_BUF_MAX];

/* One OP_BUF call of len bytes (recv_cap cap): 0, or -errno. */
static long buf_call(int ep, unsigned long len, unsigned long cap, struct ipc_msg *m, struct ipc_ext *x)
{
	*x = (struct ipc_ext){ .send_buf = ipc_out, .send_len = len, .recv_buf = ipc_in, .recv_cap = cap,
			       .timeout_ms = IPC_FOREVER };
	*m = (struct ipc_msg){ .tag = OP_BUF };
	return E(ipc_call_ext(ep, m, x));
}

/* Replies go to their own caller, with its words; buffers of every size
 * arrive whole, a longer one than the receiver offers is cut and says so. */
static void call_reply_pairing(struct utest *t)
{
	int srv, ep = start_served(&srv);
	ASSERT_TRUE(t, ep > 0);
	EXPECT_EQ(t, echo_calls(ep, 1000, 300), 0);

	static const unsigned long lens[] = { 1, 100, 4095, IPC_BUF_MAX };
	for (unsigned int k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		unsigned long len = lens[k];
		for (unsigned long i = 0; i < len; i++)
			ipc_out[i] = (unsigned char)(i * 31 + k);
		memset(ipc_in, 0, sizeof(ipc_in));
		struct ipc_msg m;
		struct ipc_ext x;
		EXPECT_EQ(t, buf_call(ep, len, sizeof(ipc_in), &m, &x), 0);
		EXPECT_EQ(t, m.w[0], crc32(0, ipc_out, len));
		EXPECT_EQ(t, m.w[1], len);
		EXPECT_EQ(t, x.recv_len, len);
		unsigned long wrong = 0;
		for (unsigned long i = 0; i < len; i++)
			wrong += ipc_in[i] != (ipc_out[i] ^ 0x5a);
		EXPECT_EQ(t, wrong, 0);
	}
	/* A reply longer than the room: cut to recv_cap, recv_len says how long. */
	struct ipc_msg m;
	struct ipc_ext x;
	memset(ipc_in, 0xee, sizeof(ipc_in));
	EXPECT_EQ(t, buf_call(ep, 100, 10, &m, &x), 0);
	EXPECT_EQ(t, x.recv_len, 100);
	EXPECT_EQ(t, ipc_in[9], ipc_out[9] ^ 0x5a);
	EXPECT_EQ(t, ipc_in[10], 0xee);
	/* Too long to send: refused before anything moves. */
	EXPECT_EQ(t, buf_call(ep, IPC_BUF_MAX + 1, sizeof(ipc_in), &m, &x), -EMSGSIZE);
	stop_server(t, ep, srv);
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* Several clients at once (on every CPU there is), one server: each gets
 * its own replies only. */
static void many_clients(struct utest *t)
{
	enum { NCLIENTS = 6, CALLS = 80 };
	int srv, ep = start_served(&srv);
	ASSERT_TRUE(t, ep > 0);
	int pids[NCLIENTS], ok = 0;
	for (int c = 0; c < NCLIENTS; c++) {
		pids[c] = fork();
		if (pids[c] == 0)
			_exit(echo_calls(ep, (unsigned long)c * 100000, CALLS) ? 1 : 0);
		EXPECT_TRUE(t, pids[c] > 0);
	}
	for (int c = 0; c < NCLIENTS; c++) {
		int status = -1;
		if (pids[c] > 0 && waitpid(pids[c], &status, 0) == pids[c] && status == 0)
			ok++;
	}
	EXPECT_EQ(t, ok, NCLIENTS);
	stop_server(t, ep, srv);
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* A call wakes its server onto the caller's CPU, the reply the caller
 * onto the server's (wake_up_process_sync, docs/scheduler.md): the pair
 * takes turns on one CPU. The server starts on another (a new process goes
 * to the least loaded CPU); with nothing else runnable, most calls must be
 * answered on the caller's CPU. Counted, not timed. */
static void calls_share_a_cpu(struct utest *t)
{
	enum { CALLS = 40 };
	struct sysinfo si;
	ASSERT_TRUE(t, sysinfo(&si) == 0);
	if (si.nr_cpus < 2) {
		t->skip = "needs 2 CPUs";
		return;
	}
	int srv, ep = start_served(&srv);
	ASSERT_TRUE(t, ep > 0);
	int same = 0, answered = 0;
	for (int i = 0; i < CALLS; i++) {
		struct ipc_msg m = { .tag = OP_CPU };
		if (E(ipc_call(ep, &m)))
			break;
		unsigned int cpu = ~0u;
		answered++;
		same += !getcpu(&cpu, NULL) && m.w[0] == cpu;
	}
	EXPECT_EQ(t, answered, CALLS);
	printf("    # %d of %d calls answered on the caller's CPU\n", same, CALLS);
	EXPECT_TRUE(t, same >= CALLS / 2);
	stop_server(t, ep, srv);
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* Timeouts: poll and a bounded wait with no partner give -ETIMEDOUT (the
 * length of the wait is not judged); a handle offered in a message that
 * timed out is back with its sender; a caller that gave up while the
 * server held its request leaves the server's reply harmlessly unused. */
static void timeouts(struct utest *t)
{
	int ep = endpoint_create(), n = notify_create();
	ASSERT_TRUE(t, ep > 0 && n > 0);
	struct ipc_msg m = { .tag = OP_ECHO };
	struct ipc_ext x = { .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_recv_ext(ep, &m, &x)), -ETIMEDOUT);
	x.timeout_ms = 30;
	EXPECT_EQ(t, E(ipc_recv_ext(ep, &m, &x)), -ETIMEDOUT);
	x.timeout_ms = IPC_POLL;
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), -ETIMEDOUT);
	EXPECT_EQ(t, E(ipc_send_ext(ep, &m, &x)), -ETIMEDOUT);
	int d = handle_dup(n, RIGHTS_ALL);
	ASSERT_TRUE(t, d > 0);
	x = (struct ipc_ext){ .send_handles = { d }, .send_nhandles = 1, .timeout_ms = 20 };
	m.tag = OP_ECHO;
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), -ETIMEDOUT);
	EXPECT_EQ(t, E(notify_signal(d, 1)), 0);        /* d came back */
	EXPECT_EQ(t, handle_close(d), 0);
	EXPECT_EQ(t, E(notify_wait(n, IPC_POLL)), 1);
	EXPECT_EQ(t, E(notify_wait(n, IPC_POLL)), -ETIMEDOUT);
	EXPECT_EQ(t, E(notify_wait(n, 20)), -ETIMEDOUT);

	/* A server that takes the call and answers only after the caller gave up. */
	int srv = fork();
	if (srv == 0) {
		struct ipc_msg r;
		if (ipc_recv(ep, &r) || !(r.tag & IPC_TAG_CALL))
			_exit(1);
		if (notify_wait(n, IPC_FOREVER) != 2)   /* the caller timed out */
			_exit(2);
		struct ipc_ext px = { .timeout_ms = IPC_POLL };
		r.tag = 7;
		_exit(E(ipc_reply_recv_ext(ep, &r, &px)) == -ETIMEDOUT ? 0 : 3);
	}
	ASSERT_TRUE(t, srv > 0);
	EXPECT_TRUE(t, until_sleeping(srv, 100000));      /* in its ipc_recv: ours is taken at once */
	x = (struct ipc_ext){ .timeout_ms = 50 };
	m.tag = OP_ECHO;
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), -ETIMEDOUT);
	EXPECT_EQ(t, E(notify_signal(n, 2)), 0);
	int status = -1;
	EXPECT_EQ(t, waitpid(srv, &status, 0), srv);
	EXPECT_EQ(t, status, 0);
	EXPECT_EQ(t, handle_close(ep), 0);
	EXPECT_EQ(t, handle_close(n), 0);
}

/* Every way to hold a handle wrongly: forged, closed, wrong type is
 * -EBADF; each missing right is -EPERM; nothing else changes. */
static void handle_errors(struct utest *t)
{
	int ep = endpoint_create(), n = notify_create();
	ASSERT_TRUE(t, ep > 0 && n > 0);
	struct ipc_msg m = { .tag = 1 };
	struct ipc_ext x = { .timeout_ms = IPC_POLL };
	static const int forged[] = { 0, -1, 1, 7, 255, 0x7fffffff };
	for (unsigned int i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		int f = forged[i];
		EXPECT_EQ(t, E(handle_close(f)), -EBADF);
		EXPECT_EQ(t, E(handle_dup(f, RIGHT_SEND)), -EBADF);
		EXPECT_EQ(t, E(ipc_call_ext(f, &m, &x)), -EBADF);
		EXPECT_EQ(t, E(ipc_recv_ext(f, &m, &x)), -EBADF);
		EXPECT_EQ(t, E(notify_signal(f, 1)), -EBADF);
	}
	EXPECT_EQ(t, E(handle_close(ep ^ (1 << 8))), -EBADF);  /* another generation */
	/* Wrong type. */
	EXPECT_EQ(t, E(ipc_call_ext(n, &m, &x)), -EBADF);
	EXPECT_EQ(t, E(ipc_send_ext(n, &m, &x)), -EBADF);
	EXPECT_EQ(t, E(ipc_recv_ext(n, &m, &x)), -EBADF);
	EXPECT_EQ(t, E(notify_signal(ep, 1)), -EBADF);
	EXPECT_EQ(t, E(notify_wait(ep, IPC_POLL)), -EBADF);
	/* Each missing right. */
	int no_send = handle_dup(ep, RIGHTS_ALL & ~RIGHT_SEND);
	int no_recv = handle_dup(ep, RIGHTS_ALL & ~RIGHT_RECEIVE);
	int no_dup = handle_dup(ep, RIGHTS_ALL & ~RIGHT_DUPLICATE);
	int no_xfer = handle_dup(n, RIGHTS_ALL & ~RIGHT_TRANSFER);
	int n_no_send = handle_dup(n, RIGHTS_ALL & ~RIGHT_SEND);
	int n_no_recv = handle_dup(n, RIGHTS_ALL & ~RIGHT_RECEIVE);
	ASSERT_TRUE(t, no_send > 0 && no_recv > 0 && no_dup > 0 && no_xfer > 0 && n_no_send > 0 && n_no_recv > 0);
	EXPECT_EQ(t, E(ipc_call_ext(no_send, &m, &x)), -EPERM);
	EXPECT_EQ(t, E(ipc_send_ext(no_send, &m, &x)), -EPERM);
	EXPECT_EQ(t, E(ipc_recv_ext(no_recv, &m, &x)), -EPERM);
	EXPECT_EQ(t, E(ipc_reply_recv_ext(no_recv, &m, &x)), -EPERM);
	EXPECT_EQ(t, E(handle_dup(no_dup, RIGHT_SEND)), -EPERM);
	EXPECT_EQ(t, E(handle_dup(no_send, RIGHT_SEND)), -EPERM);      /* more than it has */
	EXPECT_EQ(t, E(handle_dup(ep, 0x100)), -EINVAL);
	EXPECT_EQ(t, E(notify_signal(n_no_send, 1)), -EPERM);
	EXPECT_EQ(t, E(notify_wait(n_no_recv, IPC_POLL)), -EPERM);
	struct ipc_ext xx = { .send_handles = { no_xfer }, .send_nhandles = 1, .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &xx)), -EPERM);
	EXPECT_EQ(t, E(notify_signal(no_xfer, 1)), 0);         /* still there */
	/* Malformed messages. */
	xx = (struct ipc_ext){ .send_nhandles = IPC_HANDLES_MAX + 1, .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &xx)), -EINVAL);
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, (struct ipc_ext *)KERNEL_ADDR)), -EFAULT);
	xx = (struct ipc_ext){ .send_buf = KERNEL_ADDR, .send_len = 8, .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &xx)), -EFAULT);
	unsigned long tag = 1UL << 24, w[4] = { 0 };
	EXPECT_EQ(t, syscall6(__NR_ipc_call, ep, tag, w[0], w[1], w[2], w[3]), -EINVAL);
	/* Closed. */
	int all[] = { no_send, no_recv, no_dup, no_xfer, n_no_send, n_no_recv, n, ep };
	for (unsigned int i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		EXPECT_EQ(t, handle_close(all[i]), 0);
		EXPECT_EQ(t, E(handle_close(all[i])), -EBADF);
	}
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), -EBADF);
	EXPECT_EQ(t, E(notify_signal(n, 1)), -EBADF);
	/* A full table: -EMFILE, and every slot comes back. */
	int hs[HANDLE_MAX + 1], got = 0;
	while (got <= HANDLE_MAX && (hs[got] = notify_create()) > 0)
		got++;
	EXPECT_EQ(t, errno, EMFILE);
	EXPECT_TRUE(t, got > 0 && got <= HANDLE_MAX);
	for (int i = 0; i < got; i++)
		EXPECT_EQ(t, handle_close(hs[i]), 0);
}

/* A handle moved in a message: the receiver can use it, the sender no
 * longer has it; without RIGHT_TRANSFER it stays where it was. */
static void handle_transfer(struct utest *t)
{
	int ep = endpoint_create(), n = notify_create();
	ASSERT_TRUE(t, ep > 0 && n > 0);
	int srv = start_server(ep);
	ASSERT_TRUE(t, srv > 0);
	ep = send_only(ep);
	ASSERT_TRUE(t, ep > 0);
	int d = handle_dup(n, RIGHT_SEND | RIGHT_TRANSFER);
	ASSERT_TRUE(t, d > 0);
	struct ipc_msg m = { .tag = OP_SIGNAL, .w = { 0x40 } };
	struct ipc_ext x = { .send_handles = { d }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), 0);
	EXPECT_EQ(t, m.w[0], 1);                /* the server got one handle */
	EXPECT_EQ(t, m.w[1], 0);                /* and signalled through it */
	EXPECT_EQ(t, E(notify_wait(n, IPC_POLL)), 0x40);
	EXPECT_EQ(t, E(handle_close(d)), -EBADF);       /* gone from the sender */
	EXPECT_EQ(t, E(notify_signal(d, 1)), -EBADF);
	/* Two at once, one of them not a notification: both move. */
	int e2 = endpoint_create();
	ASSERT_TRUE(t, e2 > 0);
	int e2_send = handle_dup(e2, RIGHT_SEND | RIGHT_TRANSFER);
	x = (struct ipc_ext){ .send_handles = { e2_send, n }, .send_nhandles = 2, .timeout_ms = IPC_FOREVER };
	m = (struct ipc_msg){ .tag = OP_SIGNAL, .w = { 0x2 } };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), 0);
	EXPECT_EQ(t, m.w[0], 2);                /* both arrived; the first was not a notification */
	EXPECT_EQ(t, (long)m.w[1], -EBADF);
	EXPECT_EQ(t, E(handle_close(e2_send)), -EBADF);
	EXPECT_EQ(t, E(handle_close(n)), -EBADF);       /* moved too (the server dropped it at exit) */
	stop_server(t, ep, srv);
	EXPECT_EQ(t, handle_close(e2), 0);
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* A server that dies wakes its callers with -EPIPE: one waiting for a
 * receiver (the endpoint's last receive handle closes) and one whose
 * request the server held (its reply capability dies with it). */
static void server_death_epipe(struct utest *t)
{
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int parent = getpid();
	int srv = fork();
	if (srv == 0)
		_exit(until_sleeping(parent, 100000) ? 0 : 1);
	ASSERT_TRUE(t, srv > 0);
	int s = handle_dup(ep, RIGHT_SEND);
	EXPECT_EQ(t, handle_close(ep), 0);      /* the server's copy is the only receiver */
	struct ipc_msg m = { .tag = OP_ECHO };
	EXPECT_EQ(t, E(ipc_call(s, &m)), -EPIPE);
	int status = -1;
	EXPECT_EQ(t, waitpid(srv, &status, 0), srv);
	if (status)
		printf("    # %s: the server never saw the caller asleep\n", t->name);
	EXPECT_EQ(t, E(ipc_call(s, &m)), -EPIPE);       /* and at once from now on */
	EXPECT_EQ(t, handle_close(s), 0);

	ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	srv = fork();
	if (srv == 0) {
		struct ipc_msg r;
		ipc_recv(ep, &r);
		_exit(3);                       /* holding the caller's reply capability */
	}
	ASSERT_TRUE(t, srv > 0);
	m.tag = OP_ECHO;
	EXPECT_EQ(t, E(ipc_call(ep, &m)), -EPIPE);     /* we still may receive: not the last */
	EXPECT_EQ(t, waitpid(srv, &status, 0), srv);
	EXPECT_EQ(t, WEXITSTATUS(status), 3);
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* A client killed while the server holds its request: the server's reply
 * goes nowhere and it serves the next caller as before. */
static void client_death_harmless(struct utest *t)
{
	int ep = endpoint_create(), held = notify_create(), go = notify_create();
	ASSERT_TRUE(t, ep > 0 && held > 0 && go > 0);
	int srv = fork();
	if (srv == 0) {
		struct ipc_msg r;
		if (ipc_recv(ep, &r))
			_exit(1);
		notify_signal(held, 1);
		if (notify_wait(go, IPC_FOREVER) != 1)
			_exit(2);
		r = (struct ipc_msg){ .tag = 9, .w = { 777 } };
		if (ipc_reply_recv(ep, &r))             /* to a dead caller: dropped */
			_exit(3);
		r.w[0] += 1;
		struct ipc_ext px = { .timeout_ms = IPC_POLL };
		_exit(E(ipc_reply_recv_ext(ep, &r, &px)) == -ETIMEDOUT ? 0 : 4);
	}
	ASSERT_TRUE(t, srv > 0);
	ep = send_only(ep);                     /* the server alone may receive */
	ASSERT_TRUE(t, ep > 0);
	int cli = fork();
	if (cli == 0) {
		struct ipc_msg r = { .tag = OP_ECHO };
		ipc_call(ep, &r);
		_exit(5);
	}
	ASSERT_TRUE(t, cli > 0);
	EXPECT_EQ(t, E(notify_wait(held, IPC_FOREVER)), 1);
	EXPECT_EQ(t, kill(cli, SIGKILL), 0);
	int status = -1;
	EXPECT_EQ(t, waitpid(cli, &status, 0), cli);
	EXPECT_TRUE(t, WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_EQ(t, E(notify_signal(go, 1)), 0);
	struct ipc_msg m = { .tag = OP_ECHO, .w = { 41 } };
	EXPECT_EQ(t, E(ipc_call(ep, &m)), 0);
	EXPECT_EQ(t, m.w[0], 42);
	EXPECT_EQ(t, waitpid(srv, &status, 0), srv);
	EXPECT_EQ(t, status, 0);
	EXPECT_EQ(t, handle_close(ep) | handle_close(held) | handle_close(go), 0);
}

/* A client killed while its call waits in the endpoint (no server has
 * taken it): its message leaves with it, the handle it offered goes back
 * to its table and dies with it, and the next receive gets the next
 * caller's message, not the dead one's. */
static void client_death_queued(struct utest *t)
{
	struct sysinfo si;
	ASSERT_TRUE(t, sysinfo(&si) == 0);
	unsigned int kobjs = si.nr_kobjs;
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int dead = fork();
	if (dead == 0) {
		int n = notify_create();
		struct ipc_msg m = { .tag = OP_ECHO, .w = { 666 } };
		struct ipc_ext x = { .send_handles = { n }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
		ipc_call_ext(ep, &m, &x);
		_exit(1);
	}
	ASSERT_TRUE(t, dead > 0);
	EXPECT_TRUE(t, until_sleeping(dead, 100000));      /* queued in ep */
	EXPECT_EQ(t, kill(dead, SIGKILL), 0);
	int status = -1;
	EXPECT_EQ(t, waitpid(dead, &status, 0), dead);
	EXPECT_TRUE(t, WIFSIGNALED(status));
	int live = fork();
	if (live == 0) {
		struct ipc_msg m = { .tag = OP_ECHO, .w = { 7 } };
		_exit(ipc_call(ep, &m) == 0 && m.w[0] == 8 ? 0 : 1);
	}
	ASSERT_TRUE(t, live > 0);
	struct ipc_msg m;
	struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
	EXPECT_EQ(t, E(ipc_recv_ext(ep, &m, &x)), 0);
	EXPECT_EQ(t, m.w[0], 7);                        /* not 666 */
	EXPECT_EQ(t, x.recv_nhandles, 0);
	m = (struct ipc_msg){ .tag = OP_ECHO, .w = { 8 } };
	x = (struct ipc_ext){ .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_reply_recv_ext(ep, &m, &x)), -ETIMEDOUT);
	EXPECT_EQ(t, waitpid(live, &status, 0), live);
	EXPECT_EQ(t, status, 0);
	EXPECT_EQ(t, handle_close(ep), 0);
	ASSERT_TRUE(t, sysinfo(&si) == 0);
	EXPECT_EQ(t, si.nr_kobjs, kobjs);
}

/* Notifications under load: children (spread over the CPUs) each signal
 * their own bit thousands of times while the parent waits; it sees every
 * bit, no other, and each wait returns only bits that were signalled. */
static void notify_under_load(struct utest *t)
{
	enum { SIGNALLERS = 6, SIGNALS = 3000 };
	int n = notify_create();
	ASSERT_TRUE(t, n > 0);
	int pids[SIGNALLERS];
	for (int c = 0; c < SIGNALLERS; c++) {
		pids[c] = fork();
		if (pids[c] == 0) {
			for (int i = 0; i < SIGNALS; i++)
				if (notify_signal(n, 1UL << c))
					_exit(1);
			_exit(0);
		}
		ASSERT_TRUE(t, pids[c] > 0);
	}
	unsigned long seen = 0, stray = 0, waits = 0;
	const unsigned long all = (1UL << SIGNALLERS) - 1;
	while ((seen & all) != all && waits < 1000000) {
		long bits = notify_wait(n, 1000);
		waits++;
		if (bits > 0) {
			stray |= (unsigned long)bits & ~all;
			seen |= (unsigned long)bits;
		}
	}
	int ok = 0;
	for (int c = 0; c < SIGNALLERS; c++) {
		int status = -1;
		ok += waitpid(pids[c], &status, 0) == pids[c] && status == 0;
	}
	long rest = notify_wait(n, IPC_POLL);           /* what came after the last wait */
	if (rest > 0)
		stray |= (unsigned long)rest & ~all;
	EXPECT_EQ(t, ok, SIGNALLERS);
	EXPECT_EQ(t, seen, all);
	EXPECT_EQ(t, stray, 0);
	EXPECT_EQ(t, E(notify_wait(n, IPC_POLL)), -ETIMEDOUT);  /* taken: nothing left */
	printf("    # %s: %d x %d signals seen in %lu waits\n", t->name, SIGNALLERS, SIGNALS, waits);
	EXPECT_EQ(t, handle_close(n), 0);
}

/* Badges: one endpoint, a minted handle per client; each message says
 * which handle it came through, also after that handle moved to another
 * process; minting's every refusal. */
static void badges(struct utest *t)
{
	struct leak_mark mark;
	leak_mark(&mark);
	int ep = endpoint_create(), n = notify_create();
	ASSERT_TRUE(t, ep > 0 && n > 0);
	int a = handle_mint(ep, RIGHT_SEND, 7), b = handle_mint(ep, RIGHT_SEND | RIGHT_TRANSFER, 9);
	int plain = handle_dup(ep, RIGHT_SEND);
	ASSERT_TRUE(t, a > 0 && b > 0 && plain > 0);
	struct handle_info info;
	EXPECT_EQ(t, E(handle_info(b, &info)), 0);
	EXPECT_EQ(t, info.type, HANDLE_TYPE_ENDPOINT);
	EXPECT_EQ(t, info.rights, RIGHT_SEND | RIGHT_TRANSFER);
	/* Refusals. */
	EXPECT_EQ(t, E(handle_mint(ep, RIGHT_SEND, 0)), -EINVAL);
	EXPECT_EQ(t, E(handle_mint(ep, RIGHT_SEND, IPC_BADGE_MAX + 1)), -EINVAL);
	EXPECT_EQ(t, E(handle_mint(ep, RIGHT_SEND | RIGHT_RECEIVE, 3)), -EINVAL);
	EXPECT_EQ(t, E(handle_mint(ep, RIGHT_TRANSFER, 3)), -EINVAL);
	EXPECT_EQ(t, E(handle_mint(plain, RIGHT_SEND, 3)), -EPERM);    /* plain lacks DUPLICATE */
	int ad = handle_mint(ep, RIGHT_SEND | RIGHT_DUPLICATE, 11);
	ASSERT_TRUE(t, ad > 0);
	EXPECT_EQ(t, E(handle_mint(ad, RIGHT_SEND, 12)), -EPERM);     /* badged once */
	EXPECT_EQ(t, E(handle_mint(n, RIGHT_SEND, 3)), -EBADF);
	struct ipc_msg m = { .tag = 1 };
	struct ipc_ext px = { .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_recv_ext(a, &m, &px)), -EPERM);            /* cannot receive */
	/* Three clients: through a, through b (moved to a child first, on an
	 * endpoint of its own), plain. */
	int inbox = endpoint_create();
	ASSERT_TRUE(t, inbox > 0);
	int pids[3];
	for (int c = 0; c < 3; c++) {
		pids[c] = fork();
		if (pids[c] == 0) {
			int h = c == 0 ? a : plain;
			if (c == 1) {
				/* b arrives in a message from the parent (its badge goes with it). */
				struct ipc_msg in;
				struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
				if (ipc_recv_ext(inbox, &in, &x) || x.recv_nhandles != 1)
					_exit(1);
				h = x.recv_handles[0];
			}
			struct ipc_msg q = { .tag = 2, .w = { (unsigned long)c } };
			_exit(ipc_call(h, &q) == 0 && q.w[0] == 100 + (unsigned long)c ? 0 : 2);
		}
		ASSERT_TRUE(t, pids[c] > 0);
	}
	/* Hand b to child 1, waiting on inbox. */
	m = (struct ipc_msg){ .tag = 3 };
	struct ipc_ext sx = { .send_handles = { b }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	EXPECT_EQ(t, E(ipc_send_ext(inbox, &m, &sx)), 0);
	unsigned long want[3] = { 7, 9, 0 };
	int right = 0, no_senders_b = 0;
	struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
	EXPECT_EQ(t, E(ipc_recv_ext(ep, &m, &x)), 0);
	for (int i = 0; i < 3; i++) {
		unsigned long c = m.w[0];
		if (c < 3 && (m.tag & IPC_LABEL_MASK) == 2 && m.badge == want[c])
			right++;
		else
			printf("    # %s: client %lu came with badge %lu\n", t->name, c, m.badge);
		struct ipc_msg r = { .tag = 0, .w = { 100 + c } };
		x = (struct ipc_ext){ .timeout_ms = i < 2 ? IPC_FOREVER : IPC_POLL };
		long got = E(ipc_reply_recv_ext(ep, &r, &x));
		/* b's copies are all the children's (one moved, three forked):
		 * when the last exits, ep hears b's no-senders, maybe already
		 * here, after the three calls. */
		if (i == 2 && got == 0 && r.tag == IPC_LABEL_NO_SENDERS && r.badge == 9)
			got = -ETIMEDOUT, no_senders_b++;
		EXPECT_EQ(t, got, i < 2 ? 0 : -ETIMEDOUT);
		m = r;
	}
	EXPECT_EQ(t, right, 3);
	for (int c = 0; c < 3; c++) {
		int status = -1;
		EXPECT_EQ(t, waitpid(pids[c], &status, 0), pids[c]);
		EXPECT_EQ(t, status, 0);
	}
	struct ipc_ext px2 = { .timeout_ms = IPC_POLL };
	if (!no_senders_b && ipc_recv_ext(ep, &m, &px2) == 0 && m.tag == IPC_LABEL_NO_SENDERS && m.badge == 9)
		no_senders_b++;
	EXPECT_EQ(t, no_senders_b, 1);
	/* The server side gone: a minted handle gets EPIPE like any other. */
	EXPECT_EQ(t, handle_close(ep), 0);
	m = (struct ipc_msg){ .tag = 2 };
	EXPECT_EQ(t, E(ipc_call(a, &m)), -EPIPE);
	EXPECT_EQ(t, handle_close(a) | handle_close(ad) | handle_close(plain) | handle_close(n) |
			     handle_close(inbox), 0);
	EXPECT_EQ(t, E(handle_close(b)), -EBADF);       /* moved away */
	expect_no_leak(t, &mark);
}

/* A storm of servers, calls with buffers and handles, kills mid-call and
 * deaths: afterwards every page and every kernel object is back. */
static void no_leak_after_storm(struct utest *t)
{
	struct leak_mark mark;
	for (int round = -1; round < 12; round++) {
		if (round == 0)                 /* after a first round has filled the caches */
			leak_mark(&mark);
		int ep = endpoint_create(), n = notify_create();
		if (ep < 0 || n < 0)
			break;
		int srv = start_server(ep);
		int s = send_only(ep);
		if (srv < 0 || s < 0)
			break;
		echo_calls(s, (unsigned long)round, 20);
		struct ipc_msg m;
		struct ipc_ext x;
		for (int i = 0; i < 4; i++)
			buf_call(s, IPC_BUF_MAX, sizeof(ipc_in), &m, &x);
		int d = handle_dup(n, RIGHT_SEND | RIGHT_TRANSFER);
		x = (struct ipc_ext){ .send_handles = { d }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
		m = (struct ipc_msg){ .tag = OP_SIGNAL, .w = { 1 } };
		ipc_call_ext(s, &m, &x);
		if (round % 2 == 1) {
			/* A client in the middle of calls when the server is killed. */
			int cli = fork();
			if (cli == 0)
				_exit(echo_calls(s, 0, 1000000) ? 0 : 1);
			for (int i = 0; i < 50; i++)
				sched_yield();
			kill(srv, SIGKILL);
			waitpid(srv, NULL, 0);
			waitpid(cli, NULL, 0);
			m.tag = OP_ECHO;
			EXPECT_EQ(t, E(ipc_call(s, &m)), -EPIPE);
		} else {
			stop_server(t, s, srv);
		}
		handle_close(s);
		handle_close(n);
	}
	expect_no_leak(t, &mark);
}

const struct ucase ipc_cases[] = {
	{ "call_reply_pairing", call_reply_pairing },
	{ "many_clients", many_clients },
	{ "timeouts", timeouts },
	{ "handle_errors", handle_errors },
	{ "handle_transfer", handle_transfer },
	{ "server_death_epipe", server_death_epipe },
	{ "client_death_harmless", client_death_harmless },
	{ "client_death_queued", client_death_queued },
	{ "notify_under_load", notify_under_load },
	{ "badges", badges },
	{ "no_senders_child_exit", nosenders_child_exit },
	{ "no_senders_dup_and_fork", nosenders_dup_and_fork },
	{ "no_senders_transfer_fails", nosenders_transfer_fails },
	{ "no_senders_never_given", nosenders_never_given },
	{ "no_senders_no_leak", nosenders_no_leak },
	{ "no_leak_after_storm", no_leak_after_storm },
	{ "calls_share_a_cpu", calls_share_a_cpu },
	{ NULL, NULL },
};
