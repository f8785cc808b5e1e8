/*
 * usertests, suite ucons: the console protocol (<pagoda/console.h>) from
 * both ends. A private /bin/consd on an endpoint of our own (its input
 * helper ended with it): writes, bad requests, input read back in
 * pieces, readers answered in the order they asked, the 17th refused.
 * Then we play the server for a program of /bin whose HANDLES names our
 * endpoint "console": the library's write(1) and read(0) must be
 * requests to it.
 */
#include "utest.h"
#include <pagoda/console.h>
#include <pagoda_handles.h>

#define READERS 16              /* consd's READERS_MAX */
#define SPIN    200000          /* bounded waits for another process's step */

/* Exec prog with HANDLES=name:h (h: our ep, copied by fork). */
static int spawn(const char *prog, char *const argv[], const char *name, int ep)
{
	int pid = fork();
	if (pid == 0) {
		static char env[64];
		struct handle_name n = { name, ep };
		handles_format(env, sizeof(env), &n, 1);
		char *envp[] = { "PATH=/bin", env, NULL };
		execve(prog, argv, envp);
		_exit(127);
	}
	return pid;
}

/* pid's state letter, or 0 once it is gone. */
static char state_of(int pid)
{
	struct proc_stat st;
	return proc_stat(pid, &st, 0) == pid ? st.state : 0;
}

/* The child of parent named comm (consd's input helper), or 0. */
static int child_named(int parent, const char *comm)
{
	struct proc_stat st;
	for (int i = 0; i < SPIN; i++) {
		for (int pid = 2; proc_stat(pid, &st, PROC_STAT_NEXT) > 0; pid = st.pid + 1)
			if (st.ppid == parent && !strcmp(st.comm, comm))
				return st.pid;
		sched_yield();
	}
	return 0;
}

struct consd {
	int ep, pid, helper;
};

static int consd_start(struct consd *c)
{
	static char *const argv[] = { "consd", NULL };
	c->ep = endpoint_create();
	c->pid = c->ep < 0 ? -1 : spawn("/bin/consd", argv, HANDLE_SERVER, c->ep);
	c->helper = c->pid > 0 ? child_named(c->pid, "consd") : 0;
	return c->helper > 0 ? 0 : -1;
}

/* The helper first: orphaned, it would read the console's keys. */
static void consd_stop(struct consd *c)
{
	if (c->helper > 0) {
		kill(c->helper, SIGKILL);
		for (int i = 0; i < SPIN && state_of(c->helper) && state_of(c->helper) != 'Z'; i++)
			sched_yield();
	}
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
	handle_close(c->ep);
}

/* One request: the reply's label (0 or errno), w0 in *w0, bytes into in. */
static long cons(int ep, unsigned long label, unsigned long w0, const char *out, char *in,
		 size_t cap, unsigned long *ret)
{
	struct ipc_msg m = { .tag = label, .w = { w0 } };
	struct ipc_ext x = { .send_buf = out, .send_len = out ? strlen(out) : 0, .recv_buf = in,
			     .recv_cap = cap, .timeout_ms = IPC_FOREVER };
	if (ipc_call_ext(ep, &m, &x) < 0)
		return -errno;
	if (ret)
		*ret = m.w[0];
	if (in && x.recv_len < cap)
		in[x.recv_len] = '\0';
	return (long)(m.tag & IPC_LABEL_MASK);
}

static void requests(struct utest *t)
{
	struct consd c;
	ASSERT_TRUE(t, !consd_start(&c));
	unsigned long w = 0;
	char buf[16];
	EXPECT_EQ(t, cons(c.ep, CONS_WRITE, 0, "    # ucons: written by consd\n", NULL, 0, &w), 0);
	EXPECT_EQ(t, w, 30);
	EXPECT_EQ(t, cons(c.ep, 99, 0, NULL, NULL, 0, NULL), EINVAL);
	EXPECT_EQ(t, cons(c.ep, CONS_READ, 0, NULL, buf, sizeof(buf), NULL), EINVAL);
	EXPECT_EQ(t, cons(c.ep, CONS_INPUT, 0, "abc", NULL, 0, &w), 0);
	EXPECT_EQ(t, w, 3);
	EXPECT_EQ(t, cons(c.ep, CONS_READ, 2, NULL, buf, sizeof(buf), &w), 0);
	EXPECT_EQ(t, w, 2);
	EXPECT_EQ(t, strcmp(buf, "ab"), 0);
	EXPECT_EQ(t, cons(c.ep, CONS_READ, 5, NULL, buf, sizeof(buf), &w), 0);
	EXPECT_EQ(t, w, 1);
	EXPECT_EQ(t, strcmp(buf, "c"), 0);
	consd_stop(&c);
}

/* Reader i asks only once reader i-1 waits in consd; input for all of
 * them then answers them in that order: reader i gets byte i. */
static void readers_in_order(struct utest *t)
{
	struct consd c;
	ASSERT_TRUE(t, !consd_start(&c));
	int pids[READERS], n = 0;
	for (; n < READERS; n++) {
		pids[n] = fork();
		if (pids[n] == 0) {
			char b[2];
			_exit(cons(c.ep, CONS_READ, 1, NULL, b, sizeof(b), NULL) ? 255 : (unsigned char)b[0]);
		}
		if (pids[n] < 0)
			break;
		/* Asleep: in consd's list, or queued on the endpoint before
		 * the next reader (senders queue in order) either way. */
		for (int i = 0; i < SPIN && state_of(pids[n]) != 'S'; i++)
			sched_yield();
	}
	EXPECT_EQ(t, n, READERS);
	char b[2];
	unsigned long w = 0;
	EXPECT_EQ(t, cons(c.ep, CONS_READ, 1, NULL, b, sizeof(b), NULL), EAGAIN);
	EXPECT_EQ(t, cons(c.ep, CONS_INPUT, 0, "ABCDEFGHIJKLMNOP", NULL, 0, &w), 0);
	EXPECT_EQ(t, w, 16);
	for (int i = 0; i < n; i++) {
		int status = 0;
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 'A' + i)
			printf("    # reader %d got %d, not '%c'\n", i, WEXITSTATUS(status), 'A' + i);
		EXPECT_EQ(t, WIFEXITED(status) && WEXITSTATUS(status) == 'A' + i, 1);
	}
	consd_stop(&c);
}

/* Serve console requests on ep for child pid until it ends: its writes
 * are kept in out, its reads get the bytes of in one at a time (then
 * EINVAL: the end of its input). Returns its status word. */
static int play_console(int ep, int pid, char *out, size_t cap, const char *in)
{
	static char buf[IPC_BUF_MAX];
	size_t olen = 0;
	int status = -1;
	for (long i = 0; i < 50L * SPIN; i++) {
		struct ipc_msg m;
		struct ipc_ext x = { .recv_buf = buf, .recv_cap = sizeof(buf), .timeout_ms = IPC_POLL };
		if (ipc_recv_ext(ep, &m, &x) < 0) {
			if (waitpid(pid, &status, WNOHANG) == pid)
				break;
			sched_yield();
			continue;
		}
		unsigned long label = m.tag & IPC_LABEL_MASK;
		struct ipc_ext r = { .timeout_ms = IPC_POLL };
		memset(&m, 0, sizeof(m));
		if (label == CONS_WRITE) {
			size_t n = x.recv_len < cap - 1 - olen ? x.recv_len : cap - 1 - olen;
			memcpy(out + olen, buf, n);
			olen += n;
			m.w[0] = x.recv_len;
		} else if (label == CONS_READ && *in) {
			r.send_buf = in++;
			r.send_len = 1;
			m.w[0] = 1;
		} else {
			m.tag = EINVAL;
		}
		ipc_reply_ext(ipc_reply_save(), &m, &r);
	}
	out[olen] = '\0';
	return status;
}

/* echo's printf and the shell's read_line become requests to whoever
 * serves the endpoint named "console": here, us. */
static void library_is_a_client(struct utest *t)
{
	static char out[1024];
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	char *echo_argv[] = { "echo", "hello", "console", NULL };
	int pid = spawn("/bin/echo", echo_argv, CONS_HANDLE_NAME, ep);
	ASSERT_TRUE(t, pid > 0);
	int status = play_console(ep, pid, out, sizeof(out), "");
	EXPECT_EQ(t, status, 0);
	EXPECT_EQ(t, strcmp(out, "hello console\n"), 0);

	char *sh_argv[] = { "sh", NULL };
	pid = spawn("/bin/sh", sh_argv, CONS_HANDLE_NAME, ep);
	ASSERT_TRUE(t, pid > 0);
	status = play_console(ep, pid, out, sizeof(out), "exit 7\r");
	EXPECT_EQ(t, WIFEXITED(status) && WEXITSTATUS(status) == 7, 1);
	EXPECT_TRUE(t, strstr(out, "$ exit 7\n"));        /* the prompt, then read_line's echo */
	if (!strstr(out, "$ exit 7\n"))
		printf("    # the shell wrote: %s\n", out);
	handle_close(ep);
}

const struct ucase cons_cases[] = {
	{ "requests", requests },
	{ "readers_in_order", readers_in_order },
	{ "library_is_a_client", library_is_a_client },
	{ NULL, NULL },
};
