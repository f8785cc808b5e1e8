/*
 * The monitor: read a line from COM1 with simple editing (backspace,
 * Ctrl-U to erase the line, Ctrl-C to abandon it), split it into words and
 * run the matching MONITOR_CMD. The moncmd= option runs commands at boot,
 * so tests and scripts can drive the monitor without a terminal.
 */
#include <pagoda/monitor.h>
#include <pagoda/cmdline.h>
#include <pagoda/printk.h>
#include <pagoda/serial.h>
#include <pagoda/string.h>
#include "monitor_internal.h"

#define LINE_MAX 256
#define ARGV_MAX 16

static char moncmd[LINE_MAX];

static int setup_moncmd(const char *val)
{
	if (!val || !*val) {
		pr_err("cmdline: moncmd= needs commands, e.g. moncmd=mem,cpuinfo (',' separates commands, '+' is a space)\n");
		return -1;
	}
	strlcpy(moncmd, val, sizeof(moncmd));
	return 0;
}
CMDLINE_OPTION(moncmd, setup_moncmd, "monitor commands to run at boot: ',' between commands, '+' for a space");

bool monitor_has_boot_commands(void)
{
	return moncmd[0] != '\0';
}

static const struct monitor_cmd *find_cmd(const char *name)
{
	for (const struct monitor_cmd *c = __monitor_cmds_start; c < __monitor_cmds_end; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void monitor_usage_arity(const char *usage, int *min, int *max)
{
	*min = *max = 0;
	for (const char *p = usage; *p; p++)
		if (p == usage || p[-1] == ' ') {
			*min += *p == '<';
			*max += *p == '<' || *p == '[';
		}
}

static const char *current = "monitor";

const char *monitor_current(void)
{
	return current;
}

/* Refuse a line with the wrong number of words before the command runs. */
static bool arity_ok(const struct monitor_cmd *c, int nargs)
{
	int min, max;
	monitor_usage_arity(c->usage, &min, &max);
	if (nargs < min)
		printk("%s: missing argument: %d needed, %d given\n", c->name, min, nargs);
	else if (nargs > max && !max)
		printk("%s: too many arguments: takes none, %d given\n", c->name, nargs);
	else if (nargs > max)
		printk("%s: too many arguments: takes %s%d, %d given\n", c->name, min == max ? "" : "at most ", max,
		       nargs);
	return nargs >= min && nargs <= max;
}

int monitor_exec(const char *line)
{
	char buf[LINE_MAX];
	char *argv[ARGV_MAX + 2];
	int argc;

	if (strlcpy(buf, line, sizeof(buf)) >= sizeof(buf)) {
		printk("line too long: at most %d characters\n", LINE_MAX - 1);
		return MON_USAGE;
	}
	/* One word more than any command takes is enough to refuse the line. */
	argc = split_words(buf, argv, ARGV_MAX + 1);
	argv[argc] = NULL;
	if (!argc)
		return MON_OK;
	const struct monitor_cmd *c = find_cmd(argv[0]);
	if (!c) {
		printk("unknown command '%s'; 'help' lists the commands\n", argv[0]);
		return -1;
	}
	/* What a command prints is what the user asked for: show it even when
	 * loglevel= hides ordinary kernel messages. */
	int saved = console_loglevel;
	if (console_loglevel < LOGLEVEL_DEFAULT)
		console_loglevel = LOGLEVEL_DEFAULT;
	const char *outer = current;            /* kmap_local runs `pt` inside */
	current = c->name;
	int ret = arity_ok(c, argc - 1) ? c->fn(argc, argv) : MON_USAGE;
	current = outer;
	if (ret == MON_USAGE)
		printk("usage: %s %s\n", c->name, c->usage);
	console_loglevel = saved;
	return ret;
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 1) {
		const struct monitor_cmd *c = find_cmd(argv[1]);
		if (!c) {
			printk("help: no command '%s'\n", argv[1]);
			return MON_FAILED;
		}
		printk("%s %s\n    %s\n", c->name, c->usage, c->help);
		return MON_OK;
	}
	printk("Commands (help <command> for one):\n");
	for (const struct monitor_cmd *c = __monitor_cmds_start; c < __monitor_cmds_end; c++)
		printk("  %-10s %-22s %s\n", c->name, c->usage, c->help);
	return 0;
}
MONITOR_CMD(help, cmd_help, "[command]", "list the commands, or explain one");

/* A line longer than the buffer is refused whole (a cut line could still
 * be a valid command, with a different argument). */
static void readline_claimed(char *buf, size_t size)
{
	size_t n = 0;
	bool overflow = false;
	for (;;) {
		int c = serial_getc();
		if (c == '\r' || c == '\n') {
			serial_write("\n", 1);
			buf[n] = '\0';
			if (overflow) {
				printk("line too long: at most %zu characters; ignored\n", size - 1);
				buf[0] = '\0';
			}
			return;
		} else if (c == 0x7f || c == '\b') {
			if (n) {
				n--;
				serial_write("\b \b", 3);
			}
		} else if (c == 0x15) {                         /* Ctrl-U */
			overflow = false;
			while (n) {
				n--;
				serial_write("\b \b", 3);
			}
		} else if (c == 0x03) {                         /* Ctrl-C */
			serial_write("^C\n", 3);
			buf[0] = '\0';
			return;
		} else if (c >= ' ' && c < 0x7f && n + 1 < size) {
			buf[n++] = (char)c;
			serial_putc((char)c);
		} else if (c >= ' ' && c < 0x7f) {
			overflow = true;
		}
	}
}

/* The console's input is the monitor's while it reads a line; user
 * programs reading it (debug_read) wait until the line is in. */
static void readline(char *buf, size_t size)
{
	serial_input_claim();
	readline_claimed(buf, size);
	serial_input_release();
}

static void run_moncmd(void)
{
	char line[LINE_MAX];
	for (char *p = moncmd; *p;) {
		size_t n = 0;
		while (*p && *p != ',' && n + 1 < sizeof(line)) {
			line[n++] = *p == '+' ? ' ' : *p;
			p++;
		}
		line[n] = '\0';
		if (*p == ',')
			p++;
		printk("pagoda> %s\n", line);
		monitor_exec(line);
	}
}

/* How many monitor_enter() calls are running (from the monitor system
 * call), and whether `exit` asked the innermost to return. */
static int entered;
static bool leaving;

bool monitor_can_return(void)
{
	return entered > 0;
}

void monitor_request_return(void)
{
	leaving = true;
}

/* Read and run lines until `exit` asks to return (never in a monitor boot). */
static void repl(void)
{
	char line[LINE_MAX];

	while (!leaving) {
		printk("pagoda> ");
		readline(line, sizeof(line));
		monitor_exec(line);
	}
	leaving = false;
}

void monitor_run(void)
{
	run_moncmd();
	printk("Pagoda monitor. Type 'help' for commands, 'exit' to power off.\n");
	for (;;)
		repl();
}

void monitor_enter(void)
{
	entered++;
	printk("Pagoda monitor. Type 'help' for commands, 'exit' to return to the program.\n");
	repl();
	entered--;
}
