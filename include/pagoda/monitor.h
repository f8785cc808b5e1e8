/*
 * The monitor: the interactive shell on COM1 that `make run` boots into.
 * Subsystems add commands with MONITOR_CMD; the table lives in a linker
 * section, sorted by name. A command gets argc/argv like main().
 *
 * The usage string is a contract the monitor enforces: each "<arg>" word is
 * required, each "[arg]" optional, so a line with too few or too many words
 * is refused before the command runs. A command returns MON_OK, MON_USAGE
 * after an argument it could not read (the monitor then prints the usage
 * line), or MON_FAILED after it ran and printed why it failed (out of
 * memory, no such page, refused): no usage line then, nothing was mistyped.
 *
 * Arguments are read with <pagoda/monitor_args.h>: one rule for every
 * command (addresses hex, pages as an address or pfn:N, sizes with K/M/G).
 */
#ifndef PAGODA_MONITOR_H
#define PAGODA_MONITOR_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>

enum {
	MON_OK = 0,
	MON_USAGE = 1,          /* an argument was wrong: usage is shown */
	MON_FAILED = 2,         /* ran, failed and said why */
};

struct monitor_cmd {
	const char *name;
	const char *usage;              /* arguments, e.g. "<vaddr> [count]" */
	const char *help;               /* one line */
	int (*fn)(int argc, char **argv);
};

#define MONITOR_CMD(cname, func, usagestr, helpstr) \
	static const struct monitor_cmd __monitor_cmd_##cname \
	__section(".monitor_cmds." #cname) __used __aligned(__alignof__(struct monitor_cmd)) = { #cname, usagestr, helpstr, func }

/* Run one command line; returns the command's status (MON_*), MON_USAGE for
 * a wrong number of arguments, or -1 if the command is unknown. Process
 * context, one CPU at a time (the monitor's objects are not locked). */
int monitor_exec(const char *line);
/* Run the commands of the moncmd= option, then the interactive loop; `exit`
 * powers off (a monitor boot: there is no program to return to). */
__noreturn void monitor_run(void);
/* The interactive loop in the caller's context until `exit`, which returns
 * here (the monitor system call). Process context, may sleep. */
void monitor_enter(void);
/* True if the command line gave moncmd= (the boot stays in the monitor). */
bool monitor_has_boot_commands(void);

/* How many words usage asks for: "<a>" required, "[b]" optional. */
void monitor_usage_arity(const char *usage, int *min, int *max);

extern const struct monitor_cmd __monitor_cmds_start[], __monitor_cmds_end[];

#endif
