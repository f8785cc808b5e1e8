/* usertests, suite umemobj: memory objects (docs/ipc.md "Memory objects"). */
#include "utest.h"

/* -errno of a failed library call, or its result. */
#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })
#define MAP_ERR(p) ((p) == (void *)-1 ? -(long)errno : 0L)

#define RW (PROT_READ | PROT_WRITE)
#define SPINS 1000000           /* yields a waiting side allows the other (a count, not a time) */

static unsigned char pattern(unsigned long i, unsigned int seed)
{
	return (unsigned char)(i * 31 + seed + (i >> 12));
}

static void fill(volatile unsigned char *p, unsigned long len, unsigned int seed)
{
	for (unsigned long i = 0; i < len; i++)
		p[i] = pattern(i, seed);
}

/* The first index where p differs from the pattern, or len. */
static unsigned long check(const volatile unsigned char *p, unsigned long len, unsigned int seed)
{
	for (unsigned long i = 0; i < len; i++)
		if (p[i] != pattern(i, seed))
			return i;
	return len;
}

/* Wait (bounded by a count of yields) until *flag == want. */
static bool await(volatile unsigned long *flag, unsigned long want)
{
	for (int i = 0; i < SPINS; i++) {
		if (*flag == want)
			return true;
		sched_yield();
	}
	return false;
}

static void create_map_unmap(struct utest *t)
{
	int h = memobj_create(3 * PAGE - 100);
	ASSERT_TRUE(t, h > 0);
	EXPECT_EQ(t, memobj_size(h), 3 * PAGE);         /* rounded up to pages */
	unsigned char *p = memobj_map(h, NULL, 0, RW, 0);
	ASSERT_TRUE(t, p != (void *)-1);
	EXPECT_EQ(t, p[0] | p[PAGE] | p[3 * PAGE - 1], 0);     /* zeroed */
	fill(p, 3 * PAGE, 7);
	EXPECT_EQ(t, munmap(p, 3 * PAGE), 0);
	/* The pages are the object's, not the mapping's: they come back. */
	unsigned char *q = memobj_map(h, NULL, 0, PROT_READ, 0);
	ASSERT_TRUE(t, q != (void *)-1);
	EXPECT_EQ(t, check(q, 3 * PAGE, 7), 3 * PAGE);
	/* A window on the middle page only. */
	unsigned char *r = memobj_map(h, NULL, PAGE, PROT_READ, PAGE);
	ASSERT_TRUE(t, r != (void *)-1);
	EXPECT_EQ(t, r[0], pattern(PAGE, 7));
	EXPECT_EQ(t, r[PAGE - 1], pattern(2 * PAGE - 1, 7));
	/* Two mappings of one object are one memory. */
	unsigned char *w = memobj_map(h, NULL, 0, RW, 0);
	ASSERT_TRUE(t, w != (void *)-1);
	w[PAGE + 5] = 0xee;
	EXPECT_EQ(t, q[PAGE + 5], 0xee);
	EXPECT_EQ(t, r[5], 0xee);
	/* A fixed address (MAP_FIXED's rules) replaces what was there. */
	unsigned char *anon = map(3, RW);
	ASSERT_TRUE(t, anon != NULL);
	EXPECT_EQ(t, (long)memobj_map(h, anon, 0, PROT_READ, 0), (long)anon);
	EXPECT_EQ(t, anon[PAGE + 5], 0xee);
	munmap(anon, 3 * PAGE);
	munmap(q, 3 * PAGE);
	munmap(r, PAGE);
	munmap(w, 3 * PAGE);
	EXPECT_EQ(t, handle_close(h), 0);
}

/* fork shares the mapping: the child sees the parent's writes made after
 * the fork, and the parent the child's. */
static void fork_sees_each_other(struct utest *t)
{
	int h = memobj_create(2 * PAGE);
	ASSERT_TRUE(t, h > 0);
	volatile unsigned long *p = memobj_map(h, NULL, 0, RW, 0);
	ASSERT_TRUE(t, p != (void *)-1);
	p[0] = 1;
	int pid = fork();
	if (pid == 0) {
		/* Wait for the parent's write, answer with ours. */
		if (!await(&p[0], 2))
			_exit(1);
		p[PAGE / sizeof(long)] = 0xc0ffee;
		p[0] = 3;
		_exit(0);
	}
	ASSERT_TRUE(t, pid > 0);
	p[0] = 2;
	EXPECT_TRUE(t, await(&p[0], 3));
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(t, p[PAGE / sizeof(long)], 0xc0ffee);
	munmap((void *)p, 2 * PAGE);
	handle_close(h);
}

/* A memory object moved in a message: the receiver maps it and sees the
 * sender's data; its writes come back the same way. */
static void sent_in_message(struct utest *t)
{
	const unsigned long len = 5 * PAGE;
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int pid = fork();
	if (pid == 0) {
		struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
		struct ipc_msg m;
		if (ipc_recv_ext(ep, &m, &x) || x.recv_nhandles != 1)
			_exit(2);
		int h = x.recv_handles[0];
		unsigned char *q = memobj_map(h, NULL, 0, RW, 0);
		if (q == (void *)-1)
			_exit(3);
		handle_close(h);                /* the mapping keeps the object */
		struct ipc_msg r = { .tag = 1, .w = { check(q, len, 42), (unsigned long)E(memobj_size(h)) } };
		fill(q, len, 43);               /* the reply's data */
		x = (struct ipc_ext){ .timeout_ms = IPC_POLL };
		ipc_reply_recv_ext(ep, &r, &x);
		_exit(0);
	}
	ASSERT_TRUE(t, pid > 0);
	int h = memobj_create(len);
	ASSERT_TRUE(t, h > 0);
	unsigned char *p = memobj_map(h, NULL, 0, RW, 0);
	ASSERT_TRUE(t, p != (void *)-1);
	fill(p, len, 42);
	int give = handle_dup(h, RIGHT_READ | RIGHT_WRITE | RIGHT_TRANSFER);
	ASSERT_TRUE(t, give > 0);
	struct ipc_ext x = { .send_handles = { give }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	struct ipc_msg m = { .tag = 1 };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), 0);
	EXPECT_EQ(t, m.w[0], len);                      /* the receiver saw all of ours */
	EXPECT_EQ(t, m.w[1], (unsigned long)-EBADF);    /* its handle was closed (size after close) */
	EXPECT_EQ(t, check(p, len, 43), len);           /* and we see its writes */
	EXPECT_EQ(t, E(handle_close(give)), -EBADF);    /* moved away */
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	munmap(p, len);
	handle_close(h);
	handle_close(ep);
}

/* memobj_from_user is the caller's buffer itself: writes through a
 * mapping of the object show in the buffer, and the other way round. */
static void from_user_is_same_memory(struct utest *t)
{
	unsigned char *buf = map(4, RW);
	ASSERT_TRUE(t, buf != NULL);
	fill(buf, 2 * PAGE, 5);                         /* half touched, half not yet */
	int h = memobj_from_user(buf, 4 * PAGE, RW);
	ASSERT_TRUE(t, h > 0);
	EXPECT_EQ(t, memobj_size(h), 4 * PAGE);
	unsigned char *p = memobj_map(h, NULL, 0, RW, 0);
	ASSERT_TRUE(t, p != (void *)-1);
	EXPECT_TRUE(t, p != buf);
	EXPECT_EQ(t, check(p, 2 * PAGE, 5), 2 * PAGE);
	fill(p + 2 * PAGE, 2 * PAGE, 9);
	EXPECT_EQ(t, check(buf + 2 * PAGE, 2 * PAGE, 9), 2 * PAGE);
	buf[100] = 0x77;
	EXPECT_EQ(t, p[100], 0x77);
	/* A read-only object of the same buffer: the same pages again. */
	int r = memobj_from_user(buf, PAGE, PROT_READ);
	ASSERT_TRUE(t, r > 0);
	unsigned char *rp = memobj_map(r, NULL, 0, PROT_READ, 0);
	ASSERT_TRUE(t, rp != (void *)-1);
	EXPECT_EQ(t, rp[100], 0x77);
	EXPECT_EQ(t, MAP_ERR(memobj_map(r, NULL, 0, RW, 0)), -EPERM);  /* no RIGHT_WRITE */
	/* The buffer unmapped: the object keeps its pages and their data. */
	munmap(buf, 4 * PAGE);
	EXPECT_EQ(t, check(p + 2 * PAGE, 2 * PAGE, 9), 2 * PAGE);
	EXPECT_EQ(t, rp[100], 0x77);
	munmap(p, 4 * PAGE);
	munmap(rp, PAGE);
	handle_close(h);
	handle_close(r);
}

/* The zero-copy path a client takes: lend (IPC_TAG_LEND) a memory object
 * of its own buffer for one call; the server maps it, fills it and
 * answers; the client's buffer holds the server's data, the client keeps
 * its handle, the server's copy is gone with the answer. */
static void lent_buffer_filled_by_server(struct utest *t)
{
	const unsigned long len = 3 * PAGE;
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int pid = fork();
	if (pid == 0) {
		struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
		struct ipc_msg m;
		if (ipc_recv_ext(ep, &m, &x) || x.recv_nhandles != 1 || !(m.tag & IPC_TAG_LEND))
			_exit(2);
		int h = x.recv_handles[0];
		unsigned char *q = memobj_map(h, NULL, 0, RW, 0);
		if (q == (void *)-1)
			_exit(3);
		fill(q, len, 11);
		munmap(q, len);
		struct ipc_msg r = { .tag = 1 };
		x = (struct ipc_ext){ .timeout_ms = IPC_FOREVER };
		if (ipc_reply_recv_ext(ep, &r, &x))     /* the loan ends here */
			_exit(4);
		r = (struct ipc_msg){ .tag = 2, .w = { (unsigned long)E(memobj_size(h)) } };
		x = (struct ipc_ext){ .timeout_ms = IPC_POLL };
		ipc_reply_recv_ext(ep, &r, &x);
		_exit(0);
	}
	ASSERT_TRUE(t, pid > 0);
	unsigned char *buf = map(3, RW);
	ASSERT_TRUE(t, buf != NULL);
	memset(buf, 0, len);
	int h = memobj_from_user(buf, len, RW);
	ASSERT_TRUE(t, h > 0);
	struct ipc_ext x = { .send_handles = { h }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	struct ipc_msg m = { .tag = 1 | IPC_TAG_LEND };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), 0);
	EXPECT_EQ(t, check(buf, len, 11), len);         /* the server wrote our buffer */
	EXPECT_EQ(t, E(memobj_size(h)), len);           /* lent, not given */
	m = (struct ipc_msg){ .tag = 2 };
	EXPECT_EQ(t, E(ipc_call(ep, &m)), 0);
	EXPECT_EQ(t, m.w[0], (unsigned long)-EBADF);    /* the server's copy closed at the answer */
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	handle_close(h);
	handle_close(ep);
	munmap(buf, len);
}

static void errors(struct utest *t)
{
	int h = memobj_create(2 * PAGE);
	ASSERT_TRUE(t, h > 0);
	int n = notify_create();
	ASSERT_TRUE(t, n > 0);
	/* EBADF: no handle, a closed one, another type. */
	EXPECT_EQ(t, MAP_ERR(memobj_map(12345, NULL, 0, PROT_READ, 0)), -EBADF);
	EXPECT_EQ(t, MAP_ERR(memobj_map(n, NULL, 0, PROT_READ, 0)), -EBADF);
	EXPECT_EQ(t, E(memobj_size(n)), -EBADF);
	EXPECT_EQ(t, E(memobj_size(-1)), -EBADF);
	int gone = handle_dup(h, RIGHTS_ALL);
	handle_close(gone);
	EXPECT_EQ(t, E(memobj_size(gone)), -EBADF);
	/* EPERM: map without RIGHT_READ; PROT_WRITE without RIGHT_WRITE. */
	int wo = handle_dup(h, RIGHT_WRITE);
	int ro = handle_dup(h, RIGHT_READ);
	ASSERT_TRUE(t, wo > 0 && ro > 0);
	EXPECT_EQ(t, MAP_ERR(memobj_map(wo, NULL, 0, PROT_READ, 0)), -EPERM);
	EXPECT_EQ(t, MAP_ERR(memobj_map(ro, NULL, 0, RW, 0)), -EPERM);
	EXPECT_EQ(t, E(memobj_size(wo)), 2 * PAGE);
	/* ... and mprotect cannot add the write access the handle lacked. */
	unsigned char *p = memobj_map(ro, NULL, 0, PROT_READ, 0);
	ASSERT_TRUE(t, p != (void *)-1);
	EXPECT_EQ(t, E(mprotect(p, 2 * PAGE, RW)), -EACCES);
	munmap(p, 2 * PAGE);
	p = memobj_map(h, NULL, 0, PROT_READ, 0);       /* a handle with RIGHT_WRITE: it may */
	ASSERT_TRUE(t, p != (void *)-1);
	EXPECT_EQ(t, E(mprotect(p, 2 * PAGE, RW)), 0);
	p[1] = 1;
	munmap(p, 2 * PAGE);
	/* EINVAL: sizes and alignment. */
	EXPECT_EQ(t, E(memobj_create(0)), -EINVAL);
	EXPECT_EQ(t, E(memobj_create(MEMOBJ_MAX_SIZE + 1)), -EINVAL);
	EXPECT_EQ(t, MAP_ERR(memobj_map(h, NULL, 0, PROT_READ, 100)), -EINVAL);
	EXPECT_EQ(t, MAP_ERR(memobj_map(h, NULL, 100, PROT_READ, 0)), -EINVAL);
	EXPECT_EQ(t, MAP_ERR(memobj_map(h, NULL, 0, PROT_READ, 2 * PAGE)), -EINVAL);
	EXPECT_EQ(t, MAP_ERR(memobj_map(h, NULL, 2 * PAGE, PROT_READ, PAGE)), -EINVAL);
	EXPECT_EQ(t, MAP_ERR(memobj_map(h, (void *)(0x40000000UL + 8), 0, PROT_READ, 0)), -EINVAL);
	EXPECT_EQ(t, MAP_ERR(memobj_map(h, NULL, 0, 0x100, 0)), -EINVAL);
	unsigned char *buf = map(2, RW);
	ASSERT_TRUE(t, buf != NULL);
	EXPECT_EQ(t, E(memobj_from_user(buf + 8, PAGE, RW)), -EINVAL);
	EXPECT_EQ(t, E(memobj_from_user(buf, 100, RW)), -EINVAL);
	EXPECT_EQ(t, E(memobj_from_user(buf, 0, RW)), -EINVAL);
	EXPECT_EQ(t, E(memobj_from_user(buf, MEMOBJ_MAX_SIZE + PAGE, RW)), -EINVAL);
	/* EFAULT: unmapped ranges, the kernel's half, a read-only buffer
	 * asked for writing, part of the range a hole. */
	EXPECT_EQ(t, E(memobj_from_user(hole(), PAGE, PROT_READ)), -EFAULT);
	EXPECT_EQ(t, E(memobj_from_user(KERNEL_ADDR, PAGE, PROT_READ)), -EFAULT);
	munmap(buf + PAGE, PAGE);
	EXPECT_EQ(t, E(memobj_from_user(buf, 2 * PAGE, RW)), -EFAULT);
	mprotect(buf, PAGE, PROT_READ);
	EXPECT_EQ(t, E(memobj_from_user(buf, PAGE, RW)), -EFAULT);
	EXPECT_TRUE(t, E(memobj_from_user(buf, PAGE, PROT_READ)) > 0);  /* reading it is fine */
	munmap(buf, PAGE);
	handle_close(wo);
	handle_close(ro);
	handle_close(n);
	handle_close(h);
}

/* Closing the handle leaves the mapping working: the VMA holds the object. */
static void close_keeps_mapping(struct utest *t)
{
	int h = memobj_create(PAGE);
	ASSERT_TRUE(t, h > 0);
	unsigned char *p = memobj_map(h, NULL, 0, RW, 0);
	ASSERT_TRUE(t, p != (void *)-1);
	p[0] = 1;
	EXPECT_EQ(t, handle_close(h), 0);
	EXPECT_EQ(t, E(memobj_size(h)), -EBADF);
	p[PAGE - 1] = 2;                                /* still mapped, still writable */
	EXPECT_EQ(t, p[0] + p[PAGE - 1], 3);
	/* fork after the close: the child's VMA holds its own reference. */
	int pid = fork();
	if (pid == 0) {
		p[1] = 5;
		_exit(0);
	}
	ASSERT_TRUE(t, pid > 0);
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, p[1], 5);
	munmap(p, PAGE);
}

/* The pin rule: after fork, the pinned buffer stays the parent's, so the
 * object keeps seeing the parent's writes; the child got a copy. */
static void fork_after_from_user(struct utest *t)
{
	unsigned char *buf = map(2, RW);
	ASSERT_TRUE(t, buf != NULL);
	fill(buf, 2 * PAGE, 1);
	int h = memobj_from_user(buf, 2 * PAGE, RW);
	ASSERT_TRUE(t, h > 0);
	unsigned char *p = memobj_map(h, NULL, 0, PROT_READ, 0);
	ASSERT_TRUE(t, p != (void *)-1);
	int sync = memobj_create(PAGE);
	volatile unsigned long *flag = memobj_map(sync, NULL, 0, RW, 0);
	ASSERT_TRUE(t, flag != (void *)-1);
	*flag = 0;
	int pid = fork();
	if (pid == 0) {
		/* Alive while the parent writes: its mapping would make the
		 * parent's write a copy-on-write if the page were shared. */
		if (!await(flag, 1))
			_exit(1);
		if (check(buf, 2 * PAGE, 1) != 2 * PAGE)
			_exit(2);       /* the child's copy is the buffer at the fork */
		fill(buf, 2 * PAGE, 3);
		if (check(p, 2 * PAGE, 2) != 2 * PAGE)
			_exit(3);       /* the object (shared) is the parent's buffer */
		_exit(0);
	}
	ASSERT_TRUE(t, pid > 0);
	fill(buf, 2 * PAGE, 2);                         /* the child still lives */
	EXPECT_EQ(t, check(p, 2 * PAGE, 2), 2 * PAGE);  /* the object sees it */
	*flag = 1;
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status));
	EXPECT_EQ(t, WEXITSTATUS(status), 0);
	EXPECT_EQ(t, check(buf, 2 * PAGE, 2), 2 * PAGE);        /* not the child's writes */
	EXPECT_EQ(t, check(p, 2 * PAGE, 2), 2 * PAGE);
	munmap(p, 2 * PAGE);
	munmap((void *)flag, PAGE);
	handle_close(sync);
	handle_close(h);
	munmap(buf, 2 * PAGE);
}

/* A read-only pin of a buffer still shared copy-on-write after a fork:
 * the kernel unshares it at the pin, so the parent's later write lands in
 * the page the object holds. */
static void from_user_read_after_fork(struct utest *t)
{
	unsigned char *buf = map(1, RW);
	ASSERT_TRUE(t, buf != NULL);
	fill(buf, PAGE, 4);
	int sync = memobj_create(PAGE);
	volatile unsigned long *flag = memobj_map(sync, NULL, 0, RW, 0);
	ASSERT_TRUE(t, flag != (void *)-1);
	*flag = 0;
	int pid = fork();
	if (pid == 0)
		_exit(await(flag, 1) && check(buf, PAGE, 4) == PAGE ? 0 : 1);
	ASSERT_TRUE(t, pid > 0);
	int h = memobj_from_user(buf, PAGE, PROT_READ); /* the page is shared with the child now */
	ASSERT_TRUE(t, h > 0);
	unsigned char *p = memobj_map(h, NULL, 0, PROT_READ, 0);
	ASSERT_TRUE(t, p != (void *)-1);
	fill(buf, PAGE, 6);
	EXPECT_EQ(t, check(p, PAGE, 6), PAGE);
	*flag = 1;
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	munmap(p, PAGE);
	munmap((void *)flag, PAGE);
	munmap(buf, PAGE);
	handle_close(h);
	handle_close(sync);
}

/* An allocation bomb in several processes: each holds as many objects as
 * its handle table allows, more processes are forked until the kernel says
 * ENOMEM, which it must say within the budget (half of the RAM), not by
 * running out; the machine still works, and all comes back. The children
 * report through a shared page and a notification, then sleep until
 * killed. */
#define BOMB_PROCS 16
#define BOMB_HANDLES 24
struct bomb_report {
	unsigned long n, err;
};

static __attribute__((noreturn)) void bomb_child(volatile struct bomb_report *r, int done, unsigned long size)
{
	unsigned long n = 0, err = 0;
	while (n < BOMB_HANDLES) {
		if (memobj_create(size) < 0) {
			err = (unsigned long)errno;
			break;
		}
		n++;
	}
	r->n = n;
	r->err = err;
	notify_signal(done, 1);
	int sleeper = notify_create();          /* nobody signals it: wait for the kill */
	notify_wait(sleeper, IPC_FOREVER);
	_exit(1);
}

static void budget_enomem(struct utest *t)
{
	struct sysinfo si;
	ASSERT_TRUE(t, sysinfo(&si) == 0);
	/* Reaching the budget means zeroing half the RAM, and the host backing
	 * each of those guest pages on its first touch: 1-4 s on the CI machine
	 * kind at 512 MiB-1 GiB. The same code is judged on the 32 and 128 MiB
	 * boots of every build. */
	if (si.total_pages > (256UL << 20) / PAGE) {
		t->skip = "over 256 MiB of RAM (the bomb runs on the 32 and 128 MiB boots of every build)";
		return;
	}
	unsigned long size = (unsigned long)(si.total_pages / 32) * PAGE;
	if (size > MEMOBJ_MAX_SIZE)
		size = MEMOBJ_MAX_SIZE;
	int ctl = memobj_create(PAGE), done = notify_create();
	ASSERT_TRUE(t, ctl > 0 && done > 0);
	volatile struct bomb_report *r = memobj_map(ctl, NULL, 0, RW, 0);
	ASSERT_TRUE(t, r != (void *)-1);
	r->n = 0;
	unsigned long long before = free_pages_settled(si.free_pages);
	int pids[BOMB_PROCS], nprocs = 0;
	unsigned long objects = 0, err = 0;
	while (nprocs < BOMB_PROCS && !err) {
		int pid = fork();
		if (pid == 0)
			bomb_child(r, done, size);
		ASSERT_TRUE(t, pid > 0);
		pids[nprocs++] = pid;
		EXPECT_EQ(t, notify_wait(done, IPC_FOREVER), 1);
		objects += r->n;
		err = r->err;
	}
	EXPECT_EQ(t, err, ENOMEM);
	unsigned long long held = (unsigned long long)objects * (size / PAGE);
	printf("    # %s: %lu objects of %lu kB in %d processes before ENOMEM (%llu of %llu pages)\n", t->name,
	       objects, size >> 10, nprocs, held, (unsigned long long)si.total_pages);
	EXPECT_TRUE(t, held <= si.total_pages / 2);
	/* The kernel still works: a fork, an anonymous page. */
	int pid = fork();
	if (pid == 0) {
		char *q = map(1, RW);
		_exit(q && (q[0] = 1) ? 0 : 1);
	}
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (int i = 0; i < nprocs; i++) {
		kill(pids[i], SIGKILL);
		EXPECT_EQ(t, waitpid(pids[i], &status, 0), pids[i]);
	}
	int h = memobj_create(size);                    /* the budget is back */
	EXPECT_TRUE(t, h > 0);
	handle_close(h);
	munmap((void *)r, PAGE);
	handle_close(ctl);
	handle_close(done);
	unsigned long long after = free_pages_settled(before);
	if (after < before)
		printf("    # %s: %llu pages missing\n", t->name, before - after);
	EXPECT_TRUE(t, after >= before);
}

/* A storm of everything above: afterwards every page and every kernel
 * object is back. */
static void no_leak_after_storm(struct utest *t)
{
	struct leak_mark mark;
	for (int round = -1; round < 10; round++) {
		if (round == 0)                 /* after a first round has filled the caches */
			leak_mark(&mark);
		int h = memobj_create(8 * PAGE);
		ASSERT_TRUE(t, h > 0);
		unsigned char *p = memobj_map(h, NULL, 0, RW, 0);
		ASSERT_TRUE(t, p != (void *)-1);
		fill(p, 8 * PAGE, (unsigned int)round);
		unsigned char *buf = map(4, RW);
		ASSERT_TRUE(t, buf != NULL);
		int u = memobj_from_user(buf, 4 * PAGE, RW);
		ASSERT_TRUE(t, u > 0);
		unsigned char *q = memobj_map(u, NULL, 2 * PAGE, RW, PAGE);
		ASSERT_TRUE(t, q != (void *)-1);
		q[0] = 1;
		int pid = fork();
		if (pid == 0) {
			p[0] = 2;
			buf[0] = 3;
			if (round % 2)
				execve("/bin/true", true_argv, no_env);
			_exit(0);
		}
		if (round % 3 == 0)
			munmap(buf, 4 * PAGE);  /* the pinned pages outlive the buffer */
		waitpid(pid, NULL, 0);
		handle_close(h);
		if (round % 2)
			handle_close(u);
		munmap(p + PAGE, PAGE);         /* split the mapping, then the rest */
		munmap(p, 8 * PAGE);
		munmap(q, 2 * PAGE);
		munmap(buf, 4 * PAGE);
		if (!(round % 2))
			handle_close(u);
	}
	expect_no_leak(t, &mark);
}

/* 0 if addr is mapped writable in this process, else -errno: a system call
 * that writes a user pointer is the probe (no signal, no fault). */
static long probe(void *addr, int h)
{
	return E(handle_info(h, (struct handle_info *)addr));
}

/* A loan mapped by the server is unmapped when the loan ends, whether the
 * server answers with ipc_reply_recv or through a saved reply; a forked
 * child never had it; a server may hold IPC_LOAN_MAPS_MAX such mappings
 * at once. */
static void lent_mapping_revoked(struct utest *t)
{
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int pid = fork();
	if (pid == 0) {
		struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
		struct ipc_msg m;
		if (ipc_recv_ext(ep, &m, &x) || x.recv_nhandles != 1)
			_exit(2);
		unsigned char *q = memobj_map(x.recv_handles[0], NULL, PAGE, RW, 0);
		if (q == (void *)-1 || probe(q, ep))
			_exit(3);
		int child = fork();
		if (child == 0)
			_exit(probe(q, ep) == -EFAULT ? 0 : 1);        /* not inherited */
		int st = -1;
		waitpid(child, &st, 0);
		q[0] = 0x5a;                                    /* the lender sees it */
		/* One mapping more than the kernel keeps to take back: refused. */
		long maps[IPC_LOAN_MAPS_MAX];
		for (int i = 0; i < IPC_LOAN_MAPS_MAX - 1; i++)
			maps[i] = (long)memobj_map(x.recv_handles[0], NULL, PAGE, RW, 0);
		long over = E(memobj_map(x.recv_handles[0], NULL, PAGE, RW, 0));
		struct ipc_msg r = { .tag = 0, .w = { (unsigned long)st, (unsigned long)over } };
		x = (struct ipc_ext){ .timeout_ms = IPC_FOREVER };
		if (ipc_reply_recv_ext(ep, &r, &x))     /* the loan ends: q goes */
			_exit(4);
		long after = probe(q, ep);
		long others = 0;
		for (int i = 0; i < IPC_LOAN_MAPS_MAX - 1; i++)
			others += maps[i] != -1 && probe((void *)maps[i], ep) == -EFAULT;
		/* The second call lends again, and the answer goes through a saved reply. */
		if (x.recv_nhandles != 1)
			_exit(5);
		unsigned char *p2 = memobj_map(x.recv_handles[0], NULL, PAGE, RW, 0);
		int rep = ipc_reply_save();
		long before_reply = p2 == (void *)-1 ? -1 : probe(p2, ep);
		r = (struct ipc_msg){ .tag = 0, .w = { (unsigned long)after, (unsigned long)others,
						       (unsigned long)before_reply } };
		ipc_reply(rep, &r);
		long after_reply = probe(p2, ep);
		m = (struct ipc_msg){ .tag = 0 };
		x = (struct ipc_ext){ .timeout_ms = IPC_FOREVER };
		if (ipc_recv_ext(ep, &m, &x))
			_exit(6);
		r = (struct ipc_msg){ .tag = 0, .w = { (unsigned long)after_reply } };
		x = (struct ipc_ext){ .timeout_ms = IPC_POLL };
		ipc_reply_recv_ext(ep, &r, &x);
		_exit(0);
	}
	ASSERT_TRUE(t, pid > 0);
	unsigned char *buf = map(1, RW);
	ASSERT_TRUE(t, buf != NULL);
	buf[0] = 0;
	int h = memobj_from_user(buf, PAGE, RW);
	ASSERT_TRUE(t, h > 0);
	struct ipc_ext x = { .send_handles = { h }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	struct ipc_msg m = { .tag = 1 | IPC_TAG_LEND };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), 0);
	EXPECT_EQ(t, m.w[0], 0);                        /* the server's child had no mapping */
	EXPECT_EQ(t, (long)m.w[1], -EBUSY);             /* one mapping of loans too many */
	EXPECT_EQ(t, buf[0], 0x5a);
	x = (struct ipc_ext){ .send_handles = { h }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	m = (struct ipc_msg){ .tag = 1 | IPC_TAG_LEND };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), 0);
	EXPECT_EQ(t, (long)m.w[0], -EFAULT);            /* unmapped at the answer */
	EXPECT_EQ(t, m.w[1], IPC_LOAN_MAPS_MAX - 1);    /* all of them */
	EXPECT_EQ(t, (long)m.w[2], 0);                  /* mapped while the saved reply was pending */
	m = (struct ipc_msg){ .tag = 2 };
	EXPECT_EQ(t, E(ipc_call(ep, &m)), 0);
	EXPECT_EQ(t, (long)m.w[0], -EFAULT);            /* unmapped by ipc_reply too */
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	handle_close(h);
	handle_close(ep);
	munmap(buf, PAGE);
}

const struct ucase memobj_cases[] = {
	{ "create_map_unmap", create_map_unmap },
	{ "fork_sees_each_other", fork_sees_each_other },
	{ "sent_in_message", sent_in_message },
	{ "from_user_is_same_memory", from_user_is_same_memory },
	{ "lent_buffer_filled_by_server", lent_buffer_filled_by_server },
	{ "lent_mapping_revoked", lent_mapping_revoked },
	{ "errors", errors },
	{ "close_keeps_mapping", close_keeps_mapping },
	{ "fork_after_from_user", fork_after_from_user },
	{ "from_user_read_after_fork", from_user_read_after_fork },
	{ "budget_enomem", budget_enomem },
	{ "no_leak_after_storm", no_leak_after_storm },
	{ NULL, NULL },
};
