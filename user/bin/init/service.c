/*
 * init as a supervisor, in the spirit of MINIX's reincarnation server: each
 * server runs as init's child; when one dies init says why and starts it
 * again, at once after a long life, with a growing pause after crashes at
 * start, and not at all after RESTART_LIMIT of those in a row.
 *
 * The endpoint a server serves is init's, not the server's: init creates
 * it, keeps a handle with every right and gives the server a receive
 * handle. So a server's death does not kill its endpoint (init still
 * holds a receive right): a client's request that the dead server had
 * taken fails with EPIPE, one still waiting in the queue (or sent again)
 * is received by the restarted server. Giving up closes init's handle:
 * with no receiver left, every client gets EPIPE at once.
 */
#include <errno.h>
#include <pagoda_handles.h>
#include <pagoda_ipc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "init.h"

long backoff_first_ms = BACKOFF_FIRST_MS;

int init_handles[INIT_HANDLES_MAX];
int init_nhandles;

void init_handle_add(int h)
{
	if (h > 0 && init_nhandles < INIT_HANDLES_MAX)
		init_handles[init_nhandles++] = h;
}

void init_handles_keep(const int *keep, int n)
{
	for (int i = 0; i < init_nhandles; i++) {
		int k = 0;
		while (k < n && keep[k] != init_handles[i])
			k++;
		if (k == n)
			handle_close(init_handles[i]);
	}
}

static long ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* In the child: the server's handles and environment, then its program. */
static __attribute__((noreturn)) void service_exec(struct service *s, int devroot)
{
	struct handle_name names[4];
	int keep[4], n = 0;
	/* The server receives and sends (to itself: consd's input helper)
	 * and may make send-only copies; it may not give its receive right away. */
	int ep = handle_dup(s->ep, RIGHT_SEND | RIGHT_RECEIVE | RIGHT_DUPLICATE);
	if (ep < 0) {
		dprintf(2, "init: %s: handle_dup: %s\n", s->name, strerror(errno));
		_exit(127);
	}
	keep[n] = ep;
	names[n++] = (struct handle_name){ HANDLE_SERVER, ep };
	if (s->devroot && devroot > 0) {
		keep[n] = devroot;
		names[n++] = (struct handle_name){ "devroot", devroot };
	}
	if (s->mints) {
		keep[n] = s->client_h;
		names[n++] = (struct handle_name){ "mint", s->client_h };
	}
	if (s->blk_of && s->blk_of->client_h > 0) {
		keep[n] = s->blk_of->client_h;
		names[n++] = (struct handle_name){ "blk", s->blk_of->client_h };
	}
	init_handles_keep(keep, n);
	static char handles[128];
	if (handles_format(handles, sizeof(handles), names, n) < 0)
		_exit(127);
	char *argv[] = { (char *)s->name, NULL };
	char *envp[] = { "PATH=/bin", handles, NULL };
	execve(s->path, s->argv ? s->argv : argv, envp);
	dprintf(2, "init: cannot run %s: %s\n", s->path, strerror(errno));
	_exit(127);
}

static int service_start(struct service *s, int devroot)
{
	int pid = fork();
	if (pid == 0)
		service_exec(s, devroot);
	if (pid < 0) {
		dprintf(2, "init: %s: fork: %s\n", s->name, strerror(errno));
		return -1;
	}
	s->pid = pid;
	clock_gettime(CLOCK_MONOTONIC, &s->started);
	printf("init: started %s (%s), pid %d\n", s->name, s->path, pid);
	return 0;
}

int service_create(struct service *s, int devroot)
{
	s->ep = endpoint_create();
	if (s->ep < 0) {
		dprintf(2, "init: %s: endpoint_create: %s\n", s->name, strerror(errno));
		return -1;
	}
	/* Clients may pass it on (a shell to its programs: fork does that;
	 * a program to a server of its own), never receive on it. */
	s->client_h = handle_dup(s->ep, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER);
	init_handle_add(s->ep);
	init_handle_add(s->client_h);
	return service_start(s, devroot);
}

void service_give_up(struct service *s)
{
	/* No receiver left: its clients get EPIPE instead of waiting. */
	handle_close(s->ep);
	s->ep = -1;
}

static const char *ordinal(int n)
{
	static char buf[16];
	const char *suffix = "th";
	if (n % 100 < 11 || n % 100 > 13)
		suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
	snprintf(buf, sizeof(buf), "%d%s", n, suffix);
	return buf;
}

void service_died(struct service *s, int status, int devroot)
{
	char why[48];
	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "died of %s", signame(WTERMSIG(status)));
	else
		snprintf(why, sizeof(why), "exited with status %d", WEXITSTATUS(status));
	s->pid = 0;
	if (s->once && !WIFSIGNALED(status) && WEXITSTATUS(status) == 0) {
		printf("init: %s exited with status 0: done, not restarted\n", s->name);
		service_give_up(s);
		return;
	}
	s->quick_deaths = ms_since(&s->started) < STABLE_SECONDS * 1000 ? s->quick_deaths + 1 : 0;
	/* 127: the exec failed (service_exec), no restart can help. */
	int no_program = !WIFSIGNALED(status) && WEXITSTATUS(status) == 127;
	if (no_program || s->quick_deaths > RESTART_LIMIT) {
		if (no_program)
			printf("init: %s %s (could not run %s); giving up\n", s->name, why, s->path);
		else
			printf("init: %s %s, %d times in a row within %d s of its start; giving up\n",
			       s->name, why, s->quick_deaths, STABLE_SECONDS);
		service_give_up(s);
		return;
	}
	s->restarts++;
	long delay = 0;
	if (s->quick_deaths) {
		delay = (long)backoff_first_ms << (s->quick_deaths - 1);
		if (delay > backoff_first_ms * (BACKOFF_MAX_MS / BACKOFF_FIRST_MS))
			delay = backoff_first_ms * (BACKOFF_MAX_MS / BACKOFF_FIRST_MS);
	}
	if (delay)
		printf("init: %s %s; restarting (%s time) in %ld ms\n", s->name, why, ordinal(s->restarts), delay);
	else
		printf("init: %s %s; restarting (%s time)\n", s->name, why, ordinal(s->restarts));
	/* init waits for nobody meanwhile: a pause of at most two seconds,
	 * and orphans keep until it is over. */
	if (delay)
		usleep((unsigned long)delay * 1000);
	service_start(s, devroot);
}
