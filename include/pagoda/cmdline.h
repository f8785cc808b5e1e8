/*
 * The kernel command line: space-separated `key=value` (or bare `key`)
 * options. A subsystem registers its options with CMDLINE_OPTION; the table
 * lives in a linker section. cmdline_parse() runs each option's setup
 * function once, early in start_kernel; an unknown option or a bad value is
 * reported, never silently ignored.
 */
#ifndef PAGODA_CMDLINE_H
#define PAGODA_CMDLINE_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>

struct cmdline_option {
	const char *name;
	/* val is NULL for a bare flag. Return 0, or non-zero after printing why. */
	int (*setup)(const char *val);
	const char *help;
};

#define CMDLINE_OPTION(oname, fn, helptext) \
	static const struct cmdline_option __cmdline_##oname \
	__section(".cmdline_opts." #oname) __used __aligned(__alignof__(struct cmdline_option)) = { #oname, fn, helptext }

/* A bare on/off option: `name` sets the bool var; `name=anything` is an
 * error, so a typo such as slab_debug=0 is not silently read as "on". */
#define CMDLINE_FLAG(oname, var, helptext) \
	static int __cmdline_flag_##oname(const char *val) \
	{ return cmdline_set_flag(#oname, &(var), val); } \
	CMDLINE_OPTION(oname, __cmdline_flag_##oname, helptext)

int cmdline_set_flag(const char *name, bool *var, const char *val);

/* Run the setup of every option in str (not modified). Returns the number
 * of options that were unknown or had bad values. */
int cmdline_parse(const char *str);
/* The words after `--` on the command line (empty if none): init's
 * arguments, as on Linux. */
const char *cmdline_init_args(void);
/* Print every option with its help text. */
void cmdline_print_options(void);

extern const struct cmdline_option __cmdline_opts_start[], __cmdline_opts_end[];

#endif
