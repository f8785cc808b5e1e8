/* kill [-SIGNAL] PID...: end processes (default SIGTERM; every signal ends
 * a process, there are no handlers). -9 and -KILL both work. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name; int sig; } names[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "ABRT", SIGABRT }, { "FPE", SIGFPE }, { "KILL", SIGKILL }, { "SEGV", SIGSEGV },
	{ "TERM", SIGTERM },
};

static int parse_sig(const char *s)
{
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name))
			return names[i].sig;
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 0 && v < NSIG ? (int)v : -1;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, ret = 0;
	if (i < argc && argv[i][0] == '-') {
		if ((sig = parse_sig(argv[i] + 1)) < 0) {
			dprintf(2, "kill: %s: unknown signal\n", argv[i]);
			return 2;
		}
		i++;
	}
	if (i == argc) {
		dprintf(2, "usage: kill [-SIGNAL] PID...\n");
		return 2;
	}
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (*end || end == argv[i] || kill((int)pid, sig)) {
			dprintf(2, "kill: %s: %s\n", argv[i], *end || end == argv[i] ? "not a pid" : strerror(errno));
			ret = 1;
		}
	}
	return ret;
}
