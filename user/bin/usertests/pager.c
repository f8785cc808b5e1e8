/*
 * usertests, suite upager: memory objects paged in by a server
 * (memobj_pager_create, memobj_supply; docs/ipc.md "Pagers"). The pager
 * is a forked child serving IPC_LABEL_PAGE_IN on an endpoint; it writes
 * each request it hears into a log page shared with the test, so a case
 * can say exactly which requests came. Nothing waits for a time: a side
 * that waits for the other yields a bounded number of times.
 */
#include "utest.h"
#include <pagoda/fs.h>

#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })
#define MAP_ERR(p) ((p) == (void *)-1 ? -(long)errno : 0L)

#define PAGES 8
#define BADGE 77
#define SPINS 1000000           /* yields a waiting side allows the other (a count, not a time) */

/* What a pager does with a request. */
enum mode {
	SUPPLY,                 /* supply the page at once */
	HOLD,                   /* wait for a message on the gate, then supply */
	IGNORE,                 /* never answer */
	EXIT,                   /* exit without answering */
};

struct log {
	volatile unsigned long n;               /* requests heard */
	volatile unsigned long off[64];         /* their offsets */
	volatile unsigned long bad;             /* requests with a wrong label or badge */
	volatile unsigned long started;         /* clients about to fault */
};

/* The word at byte i of the page at off: what the pager supplies. */
static unsigned long word(unsigned long off, unsigned long i)
{
	return (off + i) * 2654435761UL ^ 0x5a5aUL;
}

static void fill(unsigned long *page, unsigned long off)
{
	for (unsigned long i = 0; i < PAGE / sizeof(long); i++)
		page[i] = word(off, i * sizeof(long));
}

/* The first word of the page at p (offset off) that is wrong, or -1. */
static long check_page(const volatile unsigned long *p, unsigned long off)
{
	for (unsigned long i = 0; i < PAGE / sizeof(long); i++)
		if (p[i] != word(off, i * sizeof(long)))
			return (long)i;
	return -1;
}

static bool await(volatile unsigned long *v, unsigned long want)
{
	for (int i = 0; i < SPINS && *v != want; i++)
		sched_yield();
	return *v == want;
}

static unsigned long page_buf[2 * PAGE / sizeof(long)] __attribute__((aligned(4096)));

/* The pager's loop, in a forked child: never returns. */
static void pager(int ep, int mo, int gate, struct log *log, enum mode mode)
{
	for (;;) {
		struct ipc_msg m;
		if (ipc_recv(ep, &m) < 0)
			_exit(2);
		if (m.tag != IPC_LABEL_PAGE_IN || m.badge != BADGE) {
			log->bad++;
			continue;
		}
		unsigned long off = m.w[0] | (sizeof(long) > 4 ? m.w[1] << 16 << 16 : 0);
		if (m.w[1] && sizeof(long) == 4)
			log->bad++;             /* a high half on i386: past any object */
		log->off[log->n % 64] = off;
		__atomic_add_fetch(&log->n, 1, __ATOMIC_SEQ_CST);
		if (mode == EXIT)
			_exit(0);
		if (mode == IGNORE)
			continue;
		if (mode == HOLD && ipc_recv(gate, &m) < 0)
			_exit(3);
		fill(page_buf, off);
		if (memobj_supply(mo, off, page_buf, PAGE) < 0)
			log->bad++;
	}
}

struct setup {
	int ep, mo, ro, gate, pid;
	struct log *log;
	const volatile unsigned long *map;      /* the client's read-only mapping of ro */
};

/* An endpoint, a pager object of PAGES on it, a read-only handle and
 * mapping of it for the client, and the pager child in mode. */
static bool setup(struct utest *t, struct setup *s, enum mode mode)
{
	*s = (struct setup){ 0 };
	int logmo = memobj_create(PAGE);
	EXPECT_TRUE(t, logmo > 0);
	if (logmo < 0)
		return false;
	s->log = memobj_map(logmo, NULL, PAGE, PROT_READ | PROT_WRITE, 0);   /* fork shares it */
	EXPECT_EQ(t, MAP_ERR(s->log), 0);
	EXPECT_EQ(t, handle_close(logmo), 0);
	s->ep = endpoint_create();
	s->gate = endpoint_create();
	EXPECT_TRUE(t, s->ep > 0 && s->gate > 0);
	s->mo = memobj_pager_create(PAGES * PAGE, s->ep, BADGE);
	EXPECT_TRUE(t, s->mo > 0);
	s->ro = handle_dup(s->mo, RIGHT_READ);
	EXPECT_TRUE(t, s->ro > 0);
	void *p = memobj_map(s->ro, NULL, 0, PROT_READ, 0);
	EXPECT_EQ(t, MAP_ERR(p), 0);
	if (t->failures)
		return false;
	s->map = p;
	s->pid = fork();
	if (s->pid == 0)
		pager(s->ep, s->mo, s->gate, s->log, mode);
	EXPECT_TRUE(t, s->pid > 0);
	return s->pid > 0;
}

static int reap(int pid)
{
	int status = -1;
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* End the pager (if still there), unmap, close. */
static void teardown(struct utest *t, struct setup *s)
{
	if (s->pid > 0) {
		/* Killed, not asked: a pager a failed case left holding a
		 * request would never hear a stop. */
		kill(s->pid, SIGKILL);
		int status = reap(s->pid);
		EXPECT_TRUE(t, WIFSIGNALED(status) || WEXITSTATUS(status) == 0);
	}
	munmap((void *)s->map, PAGES * PAGE);
	munmap((void *)s->log, PAGE);
	handle_close(s->ro);
	handle_close(s->mo);
	handle_close(s->gate);
	if (s->ep > 0)
		handle_close(s->ep);
}

/* Pages touched in an order: one request each, the first time only, at
 * the right offset; every word of every page what the pager wrote. */
static void pages_in_order(struct utest *t)
{
	struct leak_mark mark;
	leak_mark(&mark);
	struct setup s;
	if (!setup(t, &s, SUPPLY))
		return;
	static const unsigned int order[] = { 5, 0, 7, 5, 3, 0, 7, 1 };
	static const unsigned int asked[] = { 5, 0, 7, 3, 1 };
	for (unsigned int i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		EXPECT_EQ(t, check_page(s.map + order[i] * PAGE / sizeof(long), order[i] * PAGE), -1);
	EXPECT_EQ(t, s.log->n, 5);
	for (unsigned int i = 0; i < 5 && i < s.log->n; i++)
		EXPECT_EQ(t, s.log->off[i], asked[i] * PAGE);
	EXPECT_EQ(t, s.log->bad, 0);
	/* A forked client shares the object: no new request for a page there. */
	int pid = fork();
	if (pid == 0)
		_exit(check_page(s.map + 3 * PAGE / sizeof(long), 3 * PAGE) == -1 ? 0 : 1);
	EXPECT_EQ(t, reap(pid), 0);
	EXPECT_EQ(t, s.log->n, 5);
	teardown(t, &s);
	expect_no_leak(t, &mark);
}

/* Two processes faulting on one page while the pager holds it: one
 * request, and both see the page once it comes. */
static void two_faulters_one_request(struct utest *t)
{
	struct leak_mark mark;
	leak_mark(&mark);
	struct setup s;
	if (!setup(t, &s, HOLD))
		return;
	int pids[2];
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			__atomic_add_fetch(&s.log->started, 1, __ATOMIC_SEQ_CST);
			_exit(check_page(s.map + 2 * PAGE / sizeof(long), 2 * PAGE) == -1 ? 0 : 1);
		}
		ASSERT_TRUE(t, pids[i] > 0);
		EXPECT_TRUE(t, await(&s.log->started, (unsigned long)i + 1));
		EXPECT_TRUE(t, until_sleeping(pids[i], SPINS));        /* in the page-in wait */
	}
	EXPECT_TRUE(t, await(&s.log->n, 1));
	struct ipc_msg go = { .tag = 2 };
	EXPECT_EQ(t, E(ipc_send(s.gate, &go)), 0);
	EXPECT_EQ(t, reap(pids[0]), 0);
	EXPECT_EQ(t, reap(pids[1]), 0);
	EXPECT_EQ(t, s.log->n, 1);
	EXPECT_EQ(t, s.log->off[0], 2 * PAGE);
	EXPECT_EQ(t, s.log->bad, 0);
	teardown(t, &s);
	expect_no_leak(t, &mark);
}

/* A pager that never answers: its client waits, and a kill from a third
 * process ends it (no hang). */
static void silent_pager_client_killed(struct utest *t)
{
	struct leak_mark mark;
	leak_mark(&mark);
	struct setup s;
	if (!setup(t, &s, IGNORE))
		return;
	int pid = fork();
	if (pid == 0) {
		__atomic_add_fetch(&s.log->started, 1, __ATOMIC_SEQ_CST);
		(void)s.map[6 * PAGE / sizeof(long)];
		_exit(0);
	}
	ASSERT_TRUE(t, pid > 0);
	EXPECT_TRUE(t, await(&s.log->n, 1));
	EXPECT_TRUE(t, until_sleeping(pid, SPINS));
	EXPECT_EQ(t, E(kill(pid, SIGKILL)), 0);
	int status = reap(pid);
	EXPECT_TRUE(t, WIFSIGNALED(status));
	EXPECT_EQ(t, WTERMSIG(status), SIGKILL);
	teardown(t, &s);
	expect_no_leak(t, &mark);
}

/* A pager that exits with a request taken: the waiting client dies of
 * SIGBUS, and so does a later fault (the endpoint is dead). */
static void pager_exits_sigbus(struct utest *t)
{
	struct leak_mark mark;
	leak_mark(&mark);
	struct setup s;
	if (!setup(t, &s, EXIT))
		return;
	EXPECT_EQ(t, handle_close(s.ep), 0);    /* the pager's is the last receive handle */
	s.ep = -1;
	int pid = fork();
	if (pid == 0) {
		(void)s.map[4 * PAGE / sizeof(long)];
		_exit(0);
	}
	ASSERT_TRUE(t, pid > 0);
	int status = reap(pid);
	EXPECT_TRUE(t, WIFSIGNALED(status));
	EXPECT_EQ(t, WTERMSIG(status), SIGBUS);
	EXPECT_EQ(t, reap(s.pid), 0);
	s.pid = 0;
	EXPECT_EQ(t, s.log->n, 1);
	pid = fork();
	if (pid == 0) {
		(void)s.map[1 * PAGE / sizeof(long)];
		_exit(0);
	}
	status = reap(pid);
	EXPECT_TRUE(t, WIFSIGNALED(status));
	EXPECT_EQ(t, WTERMSIG(status), SIGBUS);
	teardown(t, &s);
	expect_no_leak(t, &mark);
}

/* FS_WRITE of n bytes from the lent object mo to h (a pipe's write end):
 * the count, or -status. */
static long lent_write(int h, int mo, unsigned long n)
{
	struct ipc_msg m = { .tag = FS_WRITE | IPC_TAG_LEND, .w = { n } };
	struct ipc_ext x = { .send_handles = { mo }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	if (ipc_call_ext(h, &m, &x))
		return -errno;
	return m.tag & IPC_LABEL_MASK ? -(long)(m.tag & IPC_LABEL_MASK) : (long)m.w[0];
}

/* What the calls refuse. */
static void errors(struct utest *t)
{
	fill(page_buf, 0);                      /* our bss pages, before the mark */
	fill(page_buf + PAGE / sizeof(long), PAGE);
	struct leak_mark mark;
	leak_mark(&mark);
	int ep = endpoint_create(), plain = memobj_create(PAGE);
	ASSERT_TRUE(t, ep > 0 && plain > 0);
	/* memobj_pager_create */
	EXPECT_EQ(t, E(memobj_pager_create(0, ep, 1)), -EINVAL);
	EXPECT_EQ(t, E(memobj_pager_create(PAGE + 1, ep, 1)), -EINVAL);
	EXPECT_EQ(t, E(memobj_pager_create((64UL << 20) + PAGE, ep, 1)), -EINVAL);
	EXPECT_EQ(t, E(memobj_pager_create(PAGE, ep, IPC_BADGE_MAX + 1)), -EINVAL);
	EXPECT_EQ(t, E(memobj_pager_create(PAGE, plain, 1)), -EBADF);
	EXPECT_EQ(t, E(memobj_pager_create(PAGE, 1000, 1)), -EBADF);
	int recv_only = handle_dup(ep, RIGHT_RECEIVE);
	int send_only = handle_dup(ep, RIGHT_SEND);
	int alias = handle_mint(ep, RIGHT_SEND, 9);
	ASSERT_TRUE(t, recv_only > 0 && send_only > 0 && alias > 0);
	EXPECT_EQ(t, E(memobj_pager_create(PAGE, recv_only, 0)), -EPERM);
	EXPECT_EQ(t, E(memobj_pager_create(PAGE, send_only, 5)), -EPERM);      /* choosing a badge mints */
	EXPECT_EQ(t, E(memobj_pager_create(PAGE, alias, 5)), -EINVAL);         /* not its badge */
	int a = memobj_pager_create(PAGE, alias, 0);
	EXPECT_TRUE(t, a > 0);
	EXPECT_EQ(t, E(handle_close(a)), 0);
	/* memobj_supply */
	int mo = memobj_pager_create(4 * PAGE, ep, 3);
	ASSERT_TRUE(t, mo > 0);
	EXPECT_EQ(t, memobj_size(mo), 4 * PAGE);
	EXPECT_EQ(t, E(memobj_supply(mo, 1, page_buf, PAGE)), -EINVAL);
	EXPECT_EQ(t, E(memobj_supply(mo, 0, page_buf, PAGE - 1)), -EINVAL);
	EXPECT_EQ(t, E(memobj_supply(mo, 0, page_buf, 0)), -EINVAL);
	EXPECT_EQ(t, E(memobj_supply(mo, 4 * PAGE, page_buf, PAGE)), -EINVAL);
	EXPECT_EQ(t, E(memobj_supply(mo, 3 * PAGE, page_buf, 2 * PAGE)), -EINVAL);
	EXPECT_EQ(t, E(memobj_supply(plain, 0, page_buf, PAGE)), -EINVAL);      /* not a pager's */
	EXPECT_EQ(t, E(memobj_supply(ep, 0, page_buf, PAGE)), -EBADF);
	int ro = handle_dup(mo, RIGHT_READ);
	ASSERT_TRUE(t, ro > 0);
	EXPECT_EQ(t, E(memobj_supply(ro, 0, page_buf, PAGE)), -EPERM);
	EXPECT_EQ(t, E(memobj_supply(mo, 0, KERNEL_ADDR, PAGE)), -EFAULT);
	EXPECT_EQ(t, E(memobj_supply(mo, 0, page_buf, PAGE)), 0);
	EXPECT_EQ(t, E(memobj_supply(mo, 0, page_buf, PAGE)), -EEXIST);
	EXPECT_EQ(t, E(memobj_supply(mo, 0, page_buf, 2 * PAGE)), 0);          /* page 1 was missing */
	/* A read-only handle maps read-only only. */
	EXPECT_EQ(t, MAP_ERR(memobj_map(ro, NULL, 0, PROT_READ | PROT_WRITE, 0)), -EPERM);
	const unsigned long *p = memobj_map(ro, NULL, 0, PROT_READ, 0);
	ASSERT_TRUE(t, MAP_ERR(p) == 0);
	EXPECT_EQ(t, check_page(p, 0), -1);
	EXPECT_EQ(t, check_page(p + PAGE / sizeof(long), PAGE), -1);       /* the buffer's second page */
	/* Pinned for a loan or a device: only where present, never waited for. */
	int pinned = memobj_from_user((void *)p, 2 * PAGE, PROT_READ);
	EXPECT_TRUE(t, pinned > 0);
	EXPECT_EQ(t, E(handle_close(pinned)), 0);
	EXPECT_EQ(t, E(memobj_from_user((void *)p, 3 * PAGE, PROT_READ)), -EFAULT);   /* page 2 missing */
	EXPECT_EQ(t, E(munmap((void *)p, 4 * PAGE)), 0);
	/* Lent to a kernel service (a pipe's FS_WRITE from a lent object):
	 * refused, present pages or not; a plain object goes through. */
	int pp[2];
	ASSERT_TRUE(t, pipe_create(pp) == 0);
	EXPECT_EQ(t, lent_write(pp[1], mo, PAGE), -EINVAL);
	EXPECT_EQ(t, lent_write(pp[1], mo, 4 * PAGE), -EINVAL);
	EXPECT_EQ(t, lent_write(pp[1], plain, PAGE), PAGE);
	EXPECT_EQ(t, handle_close(pp[0]) | handle_close(pp[1]), 0);
	/* Nobody asked for anything: only a fault asks. */
	struct ipc_msg m;
	struct ipc_ext x = { .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_recv_ext(ep, &m, &x)), -ETIMEDOUT);
	EXPECT_EQ(t, handle_close(ro) | handle_close(mo) | handle_close(recv_only) | handle_close(send_only) |
		     handle_close(alias) | handle_close(plain) | handle_close(ep), 0);
	expect_no_leak(t, &mark);
}

/* A storm: pagers made, faulted on, supplied and dropped in every order;
 * every page and object freed at the end. */
static void no_leak(struct utest *t)
{
	struct setup s;
	if (!setup(t, &s, SUPPLY))
		return;
	for (int p = 0; p < PAGES; p++)
		(void)s.map[p * PAGE / sizeof(long)];
	teardown(t, &s);                        /* warm-up: caches filled */
	struct leak_mark mark;
	leak_mark(&mark);
	for (int round = 0; round < 4 && !t->failures; round++) {
		if (!setup(t, &s, SUPPLY))
			return;
		for (int p = round; p < PAGES; p += 2)
			EXPECT_EQ(t, check_page(s.map + p * PAGE / sizeof(long), (unsigned long)p * PAGE), -1);
		if (round & 1)
			handle_close(s.mo), s.mo = -1;  /* the mapping keeps it */
		teardown(t, &s);
	}
	expect_no_leak(t, &mark);
}

const struct ucase pager_cases[] = {
	{ "pages_in_order", pages_in_order },
	{ "two_faulters_one_request", two_faulters_one_request },
	{ "silent_pager_client_killed", silent_pager_client_killed },
	{ "pager_exits_sigbus", pager_exits_sigbus },
	{ "errors", errors },
	{ "no_leak", no_leak },
	{ NULL, NULL },
};
