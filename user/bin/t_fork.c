/* t_fork MODE [N]: processes for the proc ktests. Exits 0 if everything
 * it checked held, non-zero (and says why) otherwise.
 *   wait    N children exit with codes 1..N; wait4 returns each status
 *   kill    a sleeping child killed (SIGTERM, then a busy one SIGKILL);
 *           wait4's WNOHANG and ECHILD
 *   limit   fork until EAGAIN (the process limit), then end them all;
 *           exits with the number of children it had (200 and up: failed)
 *   storm N fork + exit + wait N times (the leak check counts pages) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#define FAIL(...) do { printf("t_fork: " __VA_ARGS__); printf("\n"); return 1; } while (0)
#define LIMIT_FAILED 200

static void sleep_forever(void)
{
	struct timespec ts = { 1000, 0 };
	for (;;)
		nanosleep(&ts, NULL);
}

static int mode_wait(int n)
{
	for (int i = 1; i <= n; i++) {
		int pid = fork();
		if (pid < 0)
			FAIL("fork %d: errno %d", i, errno);
		if (pid == 0)
			_exit(i);
	}
	int seen = 0;
	for (int i = 0; i < n; i++) {
		int st;
		int pid = wait4(-1, &st, 0, NULL);
		if (pid <= 0)
			FAIL("wait4: %d errno %d", pid, errno);
		if (!WIFEXITED(st) || WEXITSTATUS(st) < 1 || WEXITSTATUS(st) > n)
			FAIL("pid %d: status %#x", pid, st);
		seen |= 1 << WEXITSTATUS(st);
	}
	if (seen != ((1 << (n + 1)) - 2))
		FAIL("exit codes seen %#x", seen);
	if (wait4(-1, NULL, 0, NULL) != -1 || errno != ECHILD)
		FAIL("wait4 with no children: not ECHILD");
	return 0;
}

static int mode_kill(void)
{
	int child = fork();
	if (child == 0)
		sleep_forever();
	int st;
	if (wait4(child, &st, WNOHANG, NULL) != 0)
		FAIL("WNOHANG on a sleeping child did not return 0");
	if (kill(child, SIGTERM))
		FAIL("kill: errno %d", errno);
	if (wait4(child, &st, 0, NULL) != child || !WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM)
		FAIL("the sleeper: status %#x, want SIGTERM", st);
	child = fork();
	if (child == 0)
		for (;;)
			;               /* busy: the kill lands at a tick's return to user mode */
	if (kill(child, SIGKILL) || wait4(child, &st, 0, NULL) != child || WTERMSIG(st) != SIGKILL)
		FAIL("the busy child: status %#x, want SIGKILL", st);
	if (kill(child, 0) != -1 || errno != ESRCH)
		FAIL("kill(reaped, 0) did not say ESRCH");
	return 0;
}

static int mode_limit(void)
{
	static int pids[LIMIT_FAILED - 1];
	int n = 0, err = 0;
	while (n < LIMIT_FAILED - 1) {
		int pid = fork();
		if (pid == 0)
			sleep_forever();
		if (pid < 0) {
			err = errno;
			break;
		}
		pids[n++] = pid;
	}
	printf("t_fork: %d children before fork failed with errno %d\n", n, err);
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < n; i++) {
		int st;
		if (wait4(pids[i], &st, 0, NULL) != pids[i] || WTERMSIG(st) != SIGKILL) {
			printf("t_fork: child %d: status %#x\n", pids[i], st);
			return LIMIT_FAILED;
		}
	}
	if (err != EAGAIN) {
		printf("t_fork: the limit was not EAGAIN\n");
		return LIMIT_FAILED;
	}
	int pid = fork();               /* room again */
	if (pid == 0)
		_exit(7);
	int st;
	if (pid < 0 || wait4(pid, &st, 0, NULL) != pid || WEXITSTATUS(st) != 7) {
		printf("t_fork: fork after the limit: %d\n", pid);
		return LIMIT_FAILED;
	}
	return n;
}

static int mode_storm(int n)
{
	for (int i = 0; i < n; i++) {
		int pid = fork();
		if (pid == 0)
			_exit(i & 0xff);
		int st;
		if (pid < 0 || wait4(pid, &st, 0, NULL) != pid || WEXITSTATUS(st) != (i & 0xff))
			FAIL("round %d: pid %d status %#x", i, pid, st);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 8;
	if (!strcmp(m, "wait"))
		return mode_wait(n > 30 ? 30 : n);
	if (!strcmp(m, "kill"))
		return mode_kill();
	if (!strcmp(m, "limit"))
		return mode_limit();
	if (!strcmp(m, "storm"))
		return mode_storm(n);
	printf("usage: t_fork wait|kill|limit|storm [N]\n");
	return 2;
}
