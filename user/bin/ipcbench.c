/*
 * ipcbench: the IPC round trip (call + reply) between two processes, in TSC
 * cycles per round trip, empty and with a 4 KiB request (copied in and out
 * of the kernel; the reply is empty, as a write's would be), and with the
 * 4 KiB page lent instead of copied (IPC_TAG_LEND of a memory object: the
 * server gets a handle, not the bytes; "_map": it also maps the page, reads
 * it and unmaps it, what touching lent memory with the CPU costs). Which CPUs the
 * two run on is measured, not chosen, and printed: the server is forked to
 * the least loaded CPU, and the synchronous wake-up of a call and its reply
 * brings the pair onto one CPU (docs/scheduler.md); a pipe's pair stays
 * apart. Rows of a guest with more than one CPU end in "_2cpu". One line per figure, "PAGODA <key> <value> cycles",
 * for tools/bench/side_by_side.py (sys.ipc_round_trip pairs with Linux's
 * pipe round trip) and tools/bench/user_bench.sh. Then the kernel pipe
 * (pipe, kernel/ipc/pipe.c) as Linux's peer measures its own: a byte (or
 * 4 KiB) there and a byte back through two pipes, and 16 MiB one way in
 * 4 KiB writes (MB/s).
 *
 *   ipcbench [rounds]    (default 20000; the 4 KiB rows use a tenth)
 */
#include <errno.h>
#include <pagoda/fs.h>
#include <pagoda_ipc.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long rdtsc(void)
{
	unsigned int lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((unsigned long long)hi << 32) | lo;
}

static unsigned char buf[IPC_BUF_MAX] __attribute__((aligned(4096)));     /* lent whole: memobj_from_user takes pages */

/* Reply to every call with its words, forever; w0 of the reply is the CPU. */
static __attribute__((noreturn)) void serve(int ep)
{
	struct ipc_ext x = { .recv_buf = buf, .recv_cap = sizeof(buf), .timeout_ms = IPC_FOREVER };
	struct ipc_msg m;
	if (ipc_recv_ext(ep, &m, &x))
		_exit(1);
	for (;;) {
		unsigned long label = m.tag & IPC_LABEL_MASK;
		if (label == 2) {
			unsigned int cpu = 0;
			getcpu(&cpu, NULL);
			m.w[0] = cpu;
		} else if (label == 4 && x.recv_nhandles) {
			volatile unsigned char *p = memobj_map(x.recv_handles[0], NULL, sizeof(buf), PROT_READ, 0);
			if (p != MAP_FAILED) {
				m.w[0] = p[0] + p[sizeof(buf) - 1];
				munmap((void *)p, sizeof(buf));
			}
		}
		if (ipc_reply_recv_ext(ep, &m, &x))
			_exit(0);
	}
}

/* The rows' suffix: "_2cpu" on a guest with more than one CPU. */
static const char *guest_rows(void)
{
	struct sysinfo si;
	return sysinfo(&si) == 0 && si.nr_cpus > 1 ? "_2cpu" : "";
}

static void report(const char *key, const char *where, unsigned long long cycles, unsigned long n)
{
	unsigned long long per100 = cycles * 100 / n;
	printf("PAGODA %s%s %llu.%02llu cycles\n", key, where, per100 / 100, per100 % 100);
}

/* A pipe end spoken to as the fd layer will: FS_READ, FS_WRITE. */
static long pipe_io(int h, unsigned long op, void *p, unsigned long n)
{
	struct ipc_msg m = { .tag = op, .w = { n } };
	struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
	if (op == FS_READ) {
		x.recv_buf = p;
		x.recv_cap = n;
	} else {
		x.send_buf = p;
		x.send_len = n;
	}
	if (ipc_call_ext(h, &m, &x) || (m.tag & IPC_LABEL_MASK))
		return -1;
	return (long)m.w[0];
}

/* All of n bytes, in as many reads as it takes (0 at the end). */
static long pipe_read_all(int h, unsigned char *p, unsigned long n)
{
	unsigned long got = 0;
	while (got < n) {
		long r = pipe_io(h, FS_READ, p + got, n - got);
		if (r <= 0)
			return r;
		got += (unsigned long)r;
	}
	return (long)got;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define PIPE_STREAM (16UL << 20)

/* The peer's pipe rows (tools/bench/linux/peer.c: pipe_round_trip): len
 * bytes there, one back, n times; then PIPE_STREAM bytes one way. */
static int pipe_rows(unsigned long rounds)
{
	static unsigned char pbuf[IPC_BUF_MAX];
	int there[2], back[2];
	if (pipe_create(there) || pipe_create(back)) {
		printf("PAGODA-ERROR pipe: %d\n", errno);
		return 1;
	}
	unsigned long n4k = rounds / 10 ? rounds / 10 : 1;
	int child = fork();
	if (child == 0) {
		handle_close(there[1]);         /* else the stream would never end */
		handle_close(back[0]);
		unsigned int cpu = 0;
		getcpu(&cpu, NULL);
		pbuf[0] = (unsigned char)cpu;
		if (pipe_io(back[1], FS_WRITE, pbuf, 1) != 1)
			_exit(1);
		for (unsigned long i = 0; i < rounds + n4k; i++)
			if (pipe_read_all(there[0], pbuf, i < rounds ? 1 : sizeof(pbuf)) <= 0 ||
			    pipe_io(back[1], FS_WRITE, pbuf, 1) != 1)
				_exit(1);
		while (pipe_io(there[0], FS_READ, pbuf, sizeof(pbuf)) > 0)
			;                       /* the stream, to its end */
		_exit(0);
	}
	if (child < 0 || pipe_read_all(back[0], pbuf, 1) != 1) {
		printf("PAGODA-ERROR pipe child\n");
		return 1;
	}
	unsigned int me = 0;
	getcpu(&me, NULL);
	printf("ipcbench: pipe ends on CPU %u and CPU %u\n", me, pbuf[0]);
	const char *where = guest_rows();
	handle_close(there[0]);
	handle_close(back[1]);
	for (int big = 0; big <= 1; big++) {
		unsigned long len = big ? sizeof(pbuf) : 1, n = big ? n4k : rounds;
		unsigned long long t = rdtsc();
		for (unsigned long i = 0; i < n; i++)
			if (pipe_io(there[1], FS_WRITE, pbuf, len) != (long)len || pipe_read_all(back[0], pbuf, 1) != 1) {
				printf("PAGODA-ERROR pipe round trip\n");
				return 1;
			}
		report(big ? "sys.pipe_round_trip_4k" : "sys.pipe_round_trip", where, rdtsc() - t, n);
	}
	double t0 = now_s();
	for (unsigned long done = 0; done < PIPE_STREAM; done += sizeof(pbuf))
		if (pipe_io(there[1], FS_WRITE, pbuf, sizeof(pbuf)) != sizeof(pbuf)) {
			printf("PAGODA-ERROR pipe stream\n");
			return 1;
		}
	handle_close(there[1]);                 /* the end of the stream */
	int status = -1;
	waitpid(child, &status, 0);
	double mbs = (double)PIPE_STREAM / (now_s() - t0) / 1e6;
	unsigned long long c100 = (unsigned long long)(mbs * 100);
	printf("PAGODA sys.pipe_stream_4k.mbs%s %llu.%02llu MB/s\n", where, c100 / 100, c100 % 100);
	handle_close(back[0]);
	return status == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long rounds = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
	if (!rounds)
		rounds = 1;
	int ep = endpoint_create();
	if (ep < 0) {
		printf("PAGODA-ERROR endpoint_create: %d\n", errno);
		return 1;
	}
	int srv = fork();
	if (srv == 0)
		serve(ep);
	if (srv < 0) {
		printf("PAGODA-ERROR fork: %d\n", errno);
		return 1;
	}
	/* Warm up (the server's first receive, the caches), and learn the CPUs. */
	struct ipc_msg m = { .tag = 2 };
	unsigned int me = 0;
	for (int i = 0; i < 100; i++) {
		m.tag = 2;
		if (ipc_call(ep, &m)) {
			printf("PAGODA-ERROR ipc_call: %d\n", errno);
			return 1;
		}
	}
	getcpu(&me, NULL);
	const char *where = guest_rows();
	printf("ipcbench: client on CPU %u, server on CPU %lu, %lu rounds\n", me, m.w[0], rounds);

	unsigned long long t = rdtsc();
	for (unsigned long i = 0; i < rounds; i++) {
		m.tag = 1;
		ipc_call(ep, &m);
	}
	report("sys.ipc_round_trip", where, rdtsc() - t, rounds);

	unsigned long n4k = rounds / 10 ? rounds / 10 : 1;
	struct ipc_ext x = { .send_buf = buf, .send_len = sizeof(buf), .timeout_ms = IPC_FOREVER };
	t = rdtsc();
	for (unsigned long i = 0; i < n4k; i++) {
		m.tag = 1;
		ipc_call_ext(ep, &m, &x);
	}
	report("sys.ipc_round_trip_4k", where, rdtsc() - t, n4k);

	/* The same 4 KiB, lent: the page goes by handle (the loan ends with
	 * the reply), once as is and once mapped by the server. */
	int mo = memobj_from_user(buf, sizeof(buf), PROT_READ);
	if (mo < 0) {
		printf("PAGODA-ERROR memobj_from_user: %d\n", errno);
		return 1;
	}
	for (unsigned long label = 3; label <= 4; label++) {
		x = (struct ipc_ext){ .send_handles = { mo }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
		t = rdtsc();
		for (unsigned long i = 0; i < n4k; i++) {
			m.tag = label | IPC_TAG_LEND;
			if (ipc_call_ext(ep, &m, &x)) {
				printf("PAGODA-ERROR lending call: %d\n", errno);
				return 1;
			}
		}
		report(label == 3 ? "sys.ipc_round_trip_lend" : "sys.ipc_round_trip_lend_map", where,
		       rdtsc() - t, n4k);
	}
	handle_close(mo);

	kill(srv, SIGKILL);             /* it would wait for the next call forever */
	waitpid(srv, NULL, 0);
	return pipe_rows(rounds);
}
