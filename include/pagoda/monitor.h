/*
 * The monitor: the interactive shell on COM1 that `make run` boots into.
 * Subsystems add commands with MONITOR_CMD; the table lives in a linker
 * section, sorted by name. A command gets argc/argv like main() and returns
 * 0, or non-zero after printing what was wrong (usage is then shown).
 */
#ifndef PAGODA_MONITOR_H
#define PAGODA_MONITOR_H

#include <pagoda/compiler.h>

struct monitor_cmd {
	const char *name;
	const char *usage;              /* arguments, e.g. "<vaddr>" */
	const char *help;               /* one line */
	int (*fn)(int argc, char **argv);
};

#define MONITOR_CMD(cname, func, usagestr, helpstr) \
	static const struct monitor_cmd __monitor_cmd_##cname \
	__section(".monitor_cmds." #cname) __used __aligned(__alignof__(struct monitor_cmd)) = { #cname, usagestr, helpstr, func }

/* Run one command line; returns the command's status, or -1 if unknown. */
int monitor_exec(const char *line);
/* Run the commands of the moncmd= option, then the interactive loop. */
__noreturn void monitor_run(void);

extern const struct monitor_cmd __monitor_cmds_start[], __monitor_cmds_end[];

#endif
