/*
 * `mem`: the firmware memory map (multiboot2) and totals.
 */
#include <pagoda/bootinfo.h>
#include <pagoda/monitor.h>

static int cmd_mem(int argc, char **argv)
{
	e820_print_table();
	return 0;
}
MONITOR_CMD(mem, cmd_mem, "", "the firmware memory map and totals");
