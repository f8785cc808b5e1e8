/*
 * usertests, suite upipe: kernel pipes (pipe, kernel/ipc/pipe.c), spoken
 * to in the file protocol (<pagoda/fs.h>) as the fd layer will: FS_READ
 * returns what is there (at least a byte) or 0 at the end, FS_WRITE waits
 * for room and is atomic up to 4096 bytes, EPIPE without readers, FS_FSTAT
 * a FIFO. Every waiting is judged by state (a process asleep, a byte
 * count), never by time.
 */
#include <pagoda/fs.h>
#include "utest.h"

#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })
#define MIB (1UL << 20)

/* FS_READ of up to n bytes into buf: the count, or -label / -errno. */
static long pread_n(int h, void *buf, unsigned long n)
{
	struct ipc_msg m = { .tag = FS_READ, .w = { n } };
	struct ipc_ext x = { .recv_buf = buf, .recv_cap = n, .timeout_ms = IPC_FOREVER };
	if (ipc_call_ext(h, &m, &x))
		return -errno;
	if (m.tag & IPC_LABEL_MASK)
		return -(long)(m.tag & IPC_LABEL_MASK);
	return x.recv_len == m.w[0] ? (long)m.w[0] : -EIO;       /* the label and the buffer disagree */
}

/* FS_WRITE of n bytes (at most IPC_BUF_MAX): the count, or -label / -errno. */
static long pwrite_n(int h, const void *buf, unsigned long n)
{
	struct ipc_msg m = { .tag = FS_WRITE };
	struct ipc_ext x = { .send_buf = buf, .send_len = n, .timeout_ms = IPC_FOREVER };
	if (ipc_call_ext(h, &m, &x))
		return -errno;
	return m.tag & IPC_LABEL_MASK ? -(long)(m.tag & IPC_LABEL_MASK) : (long)m.w[0];
}

/* The same with the data in memory object mo (lent), from its start. */
static long memobj_io(int h, unsigned long op, int mo, unsigned long n)
{
	struct ipc_msg m = { .tag = op | IPC_TAG_LEND, .w = { n } };
	struct ipc_ext x = { .send_handles = { mo }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	if (ipc_call_ext(h, &m, &x))
		return -errno;
	return m.tag & IPC_LABEL_MASK ? -(long)(m.tag & IPC_LABEL_MASK) : (long)m.w[0];
}

static long fstat_pipe(int h, struct fs_stat *st)
{
	struct ipc_msg m = { .tag = FS_FSTAT };
	struct ipc_ext x = { .recv_buf = st, .recv_cap = sizeof(*st), .timeout_ms = IPC_FOREVER };
	if (ipc_call_ext(h, &m, &x))
		return -errno;
	return m.tag & IPC_LABEL_MASK ? -(long)(m.tag & IPC_LABEL_MASK) : (long)x.recv_len;
}

static long buffered(int h)
{
	struct fs_stat st;
	return fstat_pipe(h, &st) == sizeof(st) ? (long)st.st_size : -1;
}

static int reap(int pid)
{
	int status = -1;
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* The byte at position i of a test stream: not periodic in any size the
 * pipe or the reads use. */
static unsigned char stream_byte(unsigned long i)
{
	unsigned long x = i * 2654435761UL;
	return (unsigned char)(x >> 13 ^ i >> 7);
}

static void fill_stream(unsigned char *buf, unsigned long pos, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		buf[i] = stream_byte(pos + i);
}

static void close2(int h[2])
{
	handle_close(h[0]);
	handle_close(h[1]);
}

static unsigned char bufa[IPC_BUF_MAX], bufb[IPC_BUF_MAX];

/* Bytes come out as they went in; FS_FSTAT says FIFO and how many wait;
 * the end of file once the writer closed; the wrong requests refused. */
static void eof_after_close(struct utest *t)
{
	int h[2];
	ASSERT_TRUE(t, pipe_create(h) == 0);
	struct handle_info info;
	EXPECT_EQ(t, E(handle_info(h[0], &info)), 0);
	EXPECT_EQ(t, info.type, HANDLE_TYPE_ENDPOINT);
	EXPECT_EQ(t, info.rights, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER);
	EXPECT_EQ(t, pwrite_n(h[1], "hello, ", 7), 7);
	EXPECT_EQ(t, pwrite_n(h[1], "pipe", 4), 4);
	struct fs_stat st;
	EXPECT_EQ(t, fstat_pipe(h[0], &st), sizeof(st));
	EXPECT_TRUE(t, S_ISFIFO(st.st_mode));
	EXPECT_EQ(t, st.st_size, 11);
	EXPECT_EQ(t, buffered(h[1]), 11);               /* either end */
	EXPECT_EQ(t, pread_n(h[0], bufa, 5), 5);
	EXPECT_EQ(t, memcmp(bufa, "hello", 5), 0);
	EXPECT_EQ(t, handle_close(h[1]), 0);
	EXPECT_EQ(t, pread_n(h[0], bufa, sizeof(bufa)), 6);     /* what is left, not more */
	EXPECT_EQ(t, memcmp(bufa, ", pipe", 6), 0);
	EXPECT_EQ(t, pread_n(h[0], bufa, sizeof(bufa)), 0);     /* the end */
	EXPECT_EQ(t, pread_n(h[0], bufa, sizeof(bufa)), 0);     /* and again */
	EXPECT_EQ(t, handle_close(h[0]), 0);

	ASSERT_TRUE(t, pipe_create(h) == 0);
	struct ipc_msg m = { .tag = FS_LSEEK };
	EXPECT_EQ(t, E(ipc_call(h[0], &m)), 0);
	EXPECT_EQ(t, m.tag, ESPIPE);
	EXPECT_EQ(t, pread_n(h[1], bufa, 1), -EBADF);  /* the write end does not read */
	EXPECT_EQ(t, pwrite_n(h[0], "x", 1), -EBADF);   /* nor the read end write */
	m = (struct ipc_msg){ .tag = FS_OPEN };
	EXPECT_EQ(t, E(ipc_call(h[0], &m)), 0);
	EXPECT_EQ(t, m.tag, EBADF);
	EXPECT_EQ(t, pread_n(h[0], bufa, 0), 0);        /* nothing asked: no wait */
	EXPECT_EQ(t, E(pipe_create(KERNEL_ADDR)), -EFAULT);
	EXPECT_EQ(t, E(pipe_create(hole())), -EFAULT);
	close2(h);
}

/* A writer that exits is a writer that closed: the reader waiting in
 * FS_READ wakes with the bytes, then the end. */
static void eof_after_writer_exits(struct utest *t)
{
	int h[2];
	ASSERT_TRUE(t, pipe_create(h) == 0);
	int pid = fork();
	if (pid == 0) {
		handle_close(h[0]);
		struct ipc_msg m;
		(void)m;
		for (int i = 0; i < 50; i++)
			sched_yield();          /* let the parent wait first, mostly */
		_exit(pwrite_n(h[1], "abc", 3) == 3 ? 0 : 1);
	}
	ASSERT_TRUE(t, pid > 0);
	EXPECT_EQ(t, handle_close(h[1]), 0);            /* the child's is the only writer */
	long n = pread_n(h[0], bufa, sizeof(bufa));
	EXPECT_EQ(t, n, 3);
	EXPECT_EQ(t, pread_n(h[0], bufa, sizeof(bufa)), 0);
	EXPECT_EQ(t, reap(pid), 0);

	/* A reader asleep on an empty pipe when the last writer dies. */
	ASSERT_TRUE(t, pipe_create(h) == 0);
	pid = fork();
	if (pid == 0) {
		handle_close(h[1]);
		_exit(pread_n(h[0], bufa, sizeof(bufa)) == 0 ? 0 : 1);
	}
	ASSERT_TRUE(t, pid > 0);
	EXPECT_TRUE(t, until_sleeping(pid, 100000));
	EXPECT_EQ(t, handle_close(h[1]), 0);
	EXPECT_EQ(t, reap(pid), 0);
	handle_close(h[0]);
}

/* EPIPE once no reader is left, also for a writer asleep on a full pipe. */
static void epipe_without_readers(struct utest *t)
{
	int h[2];
	ASSERT_TRUE(t, pipe_create(h) == 0);
	EXPECT_EQ(t, handle_close(h[0]), 0);
	EXPECT_EQ(t, pwrite_n(h[1], "x", 1), -EPIPE);
	handle_close(h[1]);

	ASSERT_TRUE(t, pipe_create(h) == 0);
	memset(bufa, 1, sizeof(bufa));
	for (unsigned long i = 0; i < PIPE_BUF_SIZE / sizeof(bufa); i++)
		EXPECT_EQ(t, pwrite_n(h[1], bufa, sizeof(bufa)), sizeof(bufa));
	int pid = fork();
	if (pid == 0) {
		handle_close(h[0]);
		_exit(pwrite_n(h[1], bufa, 1) == -EPIPE ? 0 : 1);
	}
	ASSERT_TRUE(t, pid > 0);
	EXPECT_TRUE(t, until_sleeping(pid, 100000));
	EXPECT_EQ(t, handle_close(h[0]), 0);
	EXPECT_EQ(t, reap(pid), 0);
	handle_close(h[1]);
}

/* A full pipe puts its writer to sleep; a read makes room and it goes on.
 * Atomic writes stay whole: the 4096 bytes come out after the 64 KiB. */
static void writer_blocks_when_full(struct utest *t)
{
	int h[2];
	ASSERT_TRUE(t, pipe_create(h) == 0);
	for (unsigned long i = 0; i < PIPE_BUF_SIZE / sizeof(bufa); i++) {
		memset(bufa, (int)i, sizeof(bufa));
		EXPECT_EQ(t, pwrite_n(h[1], bufa, sizeof(bufa)), sizeof(bufa));
	}
	EXPECT_EQ(t, buffered(h[0]), PIPE_BUF_SIZE);
	int pid = fork();
	if (pid == 0) {
		memset(bufa, 0xee, sizeof(bufa));
		_exit(pwrite_n(h[1], bufa, sizeof(bufa)) == sizeof(bufa) ? 0 : 1);
	}
	ASSERT_TRUE(t, pid > 0);
	EXPECT_TRUE(t, until_sleeping(pid, 100000));
	EXPECT_EQ(t, buffered(h[0]), PIPE_BUF_SIZE);    /* nothing of it went in */
	EXPECT_EQ(t, pread_n(h[0], bufb, 100), 100);   /* room for 100: not for it all */
	EXPECT_TRUE(t, until_sleeping(pid, 100000));
	EXPECT_EQ(t, buffered(h[0]), PIPE_BUF_SIZE - 100);
	EXPECT_EQ(t, pread_n(h[0], bufb, sizeof(bufb) - 100), sizeof(bufb) - 100);
	EXPECT_EQ(t, reap(pid), 0);                     /* room for it all: it went on */
	EXPECT_EQ(t, buffered(h[0]), PIPE_BUF_SIZE);
	int order = 0;
	for (unsigned long i = 1; i <= PIPE_BUF_SIZE / sizeof(bufb); i++) {
		long n = pread_n(h[0], bufb, sizeof(bufb));
		unsigned char want = i == PIPE_BUF_SIZE / sizeof(bufb) ? 0xee : (unsigned char)i;
		if (n == sizeof(bufb) && bufb[0] == want && bufb[sizeof(bufb) - 1] == want)
			order++;
	}
	EXPECT_EQ(t, order, PIPE_BUF_SIZE / sizeof(bufb));
	close2(h);
}

/* 1 MiB from one process to another in writes and reads of changing
 * sizes, then as much again in lent memory objects; CRC-32 of both ends. */
static void one_mib_crc(struct utest *t)
{
	int h[2];
	ASSERT_TRUE(t, pipe_create(h) == 0);
	int mo = memobj_create(256 * 1024);
	ASSERT_TRUE(t, mo > 0);
	unsigned char *big = memobj_map(mo, NULL, 256 * 1024, PROT_READ | PROT_WRITE, 0);
	ASSERT_TRUE(t, big != (void *)-1);
	int pid = fork();
	if (pid == 0) {
		/* Its own object: the parent's pages are shared with it. */
		handle_close(h[0]);
		munmap(big, 256 * 1024);
		handle_close(mo);
		mo = memobj_create(256 * 1024);
		big = memobj_map(mo, NULL, 256 * 1024, PROT_READ | PROT_WRITE, 0);
		if (mo < 0 || big == (void *)-1)
			_exit(3);
		unsigned long pos = 0, step = 1;
		while (pos < MIB) {
			unsigned long n = step % IPC_BUF_MAX + 1;
			n = n < MIB - pos ? n : MIB - pos;
			fill_stream(bufa, pos, n);
			if (pwrite_n(h[1], bufa, n) != (long)n)
				_exit(1);
			pos += n;
			step = step * 7 + 3;
		}
		for (int i = 0; i < 4; i++, pos += 256 * 1024) {
			fill_stream(big, pos, 256 * 1024);
			if (memobj_io(h[1], FS_WRITE, mo, 256 * 1024) != 256 * 1024)
				_exit(2);
		}
		_exit(0);
	}
	ASSERT_TRUE(t, pid > 0);
	handle_close(h[1]);
	unsigned int crc = 0, want = 0;
	unsigned long total = 0, step = 5, calls = 0;
	for (;;) {
		unsigned long n = step % IPC_BUF_MAX + 1;
		long got;
		if (total >= MIB) {             /* the second half: into the memory object */
			got = memobj_io(h[0], FS_READ, mo, 256 * 1024);
			if (got > 0)
				crc = crc32(crc, big, (size_t)got);
		} else {
			n = n < MIB - total ? n : MIB - total;
			got = pread_n(h[0], bufb, n);
			if (got > 0)
				crc = crc32(crc, bufb, (size_t)got);
		}
		if (got <= 0) {
			EXPECT_EQ(t, got, 0);
			break;
		}
		total += (unsigned long)got;
		step = step * 5 + 1;
		calls++;
	}
	for (unsigned long pos = 0; pos < 2 * MIB; pos += sizeof(bufa)) {
		fill_stream(bufa, pos, sizeof(bufa));
		want = crc32(want, bufa, sizeof(bufa));
	}
	EXPECT_EQ(t, total, 2 * MIB);
	EXPECT_EQ(t, crc, want);
	EXPECT_EQ(t, reap(pid), 0);
	printf("    # %s: 2 MiB in %lu reads, crc32 %08x\n", t->name, calls, crc);
	munmap(big, 256 * 1024);
	handle_close(mo);
	handle_close(h[0]);
}

/* A reader asleep on an empty pipe, and a writer on a full one, die when
 * killed (the wait is killable), and leave the pipe working. */
static void killed_waiter_dies(struct utest *t)
{
	int h[2];
	ASSERT_TRUE(t, pipe_create(h) == 0);
	int pid = fork();
	if (pid == 0)
		_exit(pread_n(h[0], bufa, 1) == -EINTR ? 3 : 4);   /* never returns: killed */
	ASSERT_TRUE(t, pid > 0);
	EXPECT_TRUE(t, until_sleeping(pid, 100000));
	kill(pid, SIGKILL);
	int status = reap(pid);
	EXPECT_TRUE(t, WIFSIGNALED(status));
	EXPECT_EQ(t, WTERMSIG(status), SIGKILL);
	EXPECT_EQ(t, pwrite_n(h[1], "z", 1), 1);        /* the pipe lives on */
	for (unsigned long i = 1; i < PIPE_BUF_SIZE / sizeof(bufa); i++)
		pwrite_n(h[1], bufa, sizeof(bufa));
	pid = fork();
	if (pid == 0)
		_exit(pwrite_n(h[1], bufa, sizeof(bufa)) == -EINTR ? 3 : 4);
	ASSERT_TRUE(t, pid > 0);
	EXPECT_TRUE(t, until_sleeping(pid, 100000));
	kill(pid, SIGKILL);
	status = reap(pid);
	EXPECT_TRUE(t, WIFSIGNALED(status));
	EXPECT_EQ(t, WTERMSIG(status), SIGKILL);
	EXPECT_EQ(t, pread_n(h[0], bufa, 1), 1);
	EXPECT_EQ(t, bufa[0], 'z');
	close2(h);
}

/* Readers on several CPUs at once: every 4096-byte write comes out whole
 * to exactly one of them (the writes are atomic, the reads take up to
 * 4096), and together they get them all. */
#define RECORDS 240
static void readers_on_cpus(struct utest *t)
{
	int h[2];
	ASSERT_TRUE(t, pipe_create(h) == 0);
	int pids[4];
	for (int r = 0; r < 4; r++) {
		pids[r] = fork();
		if (pids[r] == 0) {
			handle_close(h[1]);
			int records = 0;
			for (;;) {
				long n = pread_n(h[0], bufb, sizeof(bufb));
				if (n == 0)
					break;
				if (n != sizeof(bufb))
					_exit(255);     /* a torn record */
				for (unsigned long i = 1; i < sizeof(bufb); i++)
					if (bufb[i] != bufb[0])
						_exit(254);
				records++;
				sched_yield();
			}
			_exit(records);
		}
		ASSERT_TRUE(t, pids[r] > 0);
	}
	handle_close(h[0]);
	for (int i = 0; i < RECORDS; i++) {
		memset(bufa, i, sizeof(bufa));
		EXPECT_EQ(t, pwrite_n(h[1], bufa, sizeof(bufa)), sizeof(bufa));
	}
	handle_close(h[1]);
	int total = 0, busy = 0;
	for (int r = 0; r < 4; r++) {
		int status = reap(pids[r]);
		EXPECT_TRUE(t, WIFEXITED(status) && WEXITSTATUS(status) <= RECORDS);
		total += WEXITSTATUS(status);
		busy += WEXITSTATUS(status) > 0;
	}
	EXPECT_EQ(t, total, RECORDS);
	struct sysinfo si = { 0 };
	sysinfo(&si);
	printf("    # %s: %d records to %d of 4 readers on %u CPUs\n", t->name, total, busy, si.nr_cpus);
}

/* The caller's timeout bounds the wait, as with any server: IPC_POLL is
 * a read or write that does not block (the fd layer's O_NONBLOCK), and
 * a write that timed out put nothing in, or answers what it did. */
static long with_timeout(int h, unsigned long op, void *buf, unsigned long n, long ms)
{
	struct ipc_msg m = { .tag = op, .w = { n } };
	struct ipc_ext x = { .timeout_ms = ms };
	if (op == FS_READ) {
		x.recv_buf = buf;
		x.recv_cap = n;
	} else {
		x.send_buf = buf;
		x.send_len = n;
	}
	if (ipc_call_ext(h, &m, &x))
		return -errno;
	return m.tag & IPC_LABEL_MASK ? -(long)(m.tag & IPC_LABEL_MASK) : (long)m.w[0];
}

static void timeouts(struct utest *t)
{
	int h[2];
	ASSERT_TRUE(t, pipe_create(h) == 0);
	EXPECT_EQ(t, with_timeout(h[0], FS_READ, bufa, 10, IPC_POLL), -ETIMEDOUT);
	EXPECT_EQ(t, with_timeout(h[0], FS_READ, bufa, 10, 20), -ETIMEDOUT);
	EXPECT_EQ(t, with_timeout(h[1], FS_WRITE, "ab", 2, IPC_POLL), 2);
	EXPECT_EQ(t, with_timeout(h[0], FS_READ, bufa, 10, IPC_POLL), 2);
	for (unsigned long i = 0; i < PIPE_BUF_SIZE / sizeof(bufa) - 1; i++)
		EXPECT_EQ(t, with_timeout(h[1], FS_WRITE, bufa, sizeof(bufa), IPC_POLL), sizeof(bufa));
	EXPECT_EQ(t, with_timeout(h[1], FS_WRITE, bufa, 2, IPC_POLL), 2);
	/* 4094 bytes of room: an atomic 4096 does not go in at all. */
	EXPECT_EQ(t, with_timeout(h[1], FS_WRITE, bufa, sizeof(bufa), IPC_POLL), -ETIMEDOUT);
	EXPECT_EQ(t, with_timeout(h[1], FS_WRITE, bufa, sizeof(bufa), 20), -ETIMEDOUT);
	EXPECT_EQ(t, buffered(h[0]), PIPE_BUF_SIZE - sizeof(bufa) + 2);
	close2(h);

	/* A large write (a lent object) that runs out of time answers the
	 * part that went in: the ring's 64 KiB. */
	ASSERT_TRUE(t, pipe_create(h) == 0);
	int mo = memobj_create(2 * PIPE_BUF_SIZE);
	ASSERT_TRUE(t, mo > 0);
	struct ipc_msg m = { .tag = FS_WRITE | IPC_TAG_LEND, .w = { 2 * PIPE_BUF_SIZE } };
	struct ipc_ext x = { .send_handles = { mo }, .send_nhandles = 1, .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_call_ext(h[1], &m, &x)), 0);
	EXPECT_EQ(t, m.tag, 0);
	EXPECT_EQ(t, m.w[0], PIPE_BUF_SIZE);
	handle_close(mo);
	close2(h);
}

/* Pipes made, used, moved, forked and dropped: every kernel object and
 * page back (the pipe goes with its second end). */
static void no_leak(struct utest *t)
{
	struct leak_mark mark;
	for (int round = -1; round < 16; round++) {
		if (round == 0)
			leak_mark(&mark);
		int h[2];
		if (pipe_create(h))
			break;
		pwrite_n(h[1], "leak?", 5);
		if (round % 4 == 1) {
			int pid = fork();
			if (pid == 0)
				_exit(pread_n(h[0], bufa, 5) == 5 ? 0 : 1);
			reap(pid);
		}
		int d = handle_dup(h[0], RIGHT_SEND);
		if (round % 2)
			handle_close(h[1]);             /* bytes left behind, writer first */
		else
			handle_close(h[0]);
		handle_close(d);
		handle_close(h[round % 2 ? 0 : 1]);
	}
	expect_no_leak(t, &mark);
}

const struct ucase pipe_cases[] = {
	{ "eof_after_close", eof_after_close },
	{ "eof_after_writer_exits", eof_after_writer_exits },
	{ "epipe_without_readers", epipe_without_readers },
	{ "writer_blocks_when_full", writer_blocks_when_full },
	{ "one_mib_crc", one_mib_crc },
	{ "killed_waiter_dies", killed_waiter_dies },
	{ "readers_on_cpus", readers_on_cpus },
	{ "timeouts", timeouts },
	{ "no_leak", no_leak },
	{ NULL, NULL },
};
