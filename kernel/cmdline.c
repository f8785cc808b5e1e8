/* Command-line parsing over the CMDLINE_OPTION table (see cmdline.h). */
#include <pagoda/cmdline.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/bootinfo.h>

#define CMDLINE_MAX 1024

static const struct cmdline_option *find_option(const char *name, size_t len)
{
	for (const struct cmdline_option *o = __cmdline_opts_start; o < __cmdline_opts_end; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

static void list_valid(void)
{
	printk(KERN_WARNING "cmdline: valid options:");
	for (const struct cmdline_option *o = __cmdline_opts_start; o < __cmdline_opts_end; o++)
		printk(KERN_CONT " %s", o->name);
	printk(KERN_CONT "\n");
}

static char init_args[CMDLINE_MAX];

const char *cmdline_init_args(void)
{
	return init_args;
}

int cmdline_parse(const char *str)
{
	char work[CMDLINE_MAX];
	int errors = 0;

	if (strlcpy(work, str, sizeof(work)) >= sizeof(work))
		pr_warn("cmdline: longer than %d bytes, truncated\n", CMDLINE_MAX - 1);

	char *p = work;
	bool first = true;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char *word = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
		/* `--`: the rest is for init (Linux's rule): its argv after
		 * its path. */
		if (!strcmp(word, "--")) {
			strlcpy(init_args, p, sizeof(init_args));
			break;
		}
		/* Some loaders pass the kernel's path as the first word. */
		if (first && word[0] == '/') {
			first = false;
			continue;
		}
		first = false;

		char *eq = strchr(word, '=');
		size_t klen = eq ? (size_t)(eq - word) : strlen(word);
		const struct cmdline_option *o = find_option(word, klen);
		if (!o) {
			pr_warn("cmdline: unknown option '%.*s' ignored\n", (int)klen, word);
			list_valid();
			errors++;
			continue;
		}
		if (o->setup(eq ? eq + 1 : NULL) != 0) {
			pr_warn("cmdline: bad value in '%s' ignored (%s: %s)\n", word, o->name, o->help);
			errors++;
		}
	}
	return errors;
}

int cmdline_set_flag(const char *name, bool *var, const char *val)
{
	if (val) {
		pr_err("cmdline: %s takes no value\n", name);
		return -1;
	}
	*var = true;
	return 0;
}

void cmdline_print_options(void)
{
	for (const struct cmdline_option *o = __cmdline_opts_start; o < __cmdline_opts_end; o++)
		printk("  %-14s %s\n", o->name, o->help);
}
