/*
 * `cmdline`: the kernel command line and every option it accepts.
 */
#include <pagoda/bootinfo.h>
#include <pagoda/cmdline.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>

static int cmd_cmdline(int argc, char **argv)
{
	printk("command line: %s\n", bootinfo.cmdline);
	printk("options:\n");
	cmdline_print_options();
	return 0;
}
MONITOR_CMD(cmdline, cmd_cmdline, "", "the kernel command line and every option it accepts");
