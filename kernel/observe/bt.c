/*
 * `bt`: a symbolized backtrace of the monitor itself: how a command is reached.
 */
#include <pagoda/monitor.h>
#include <pagoda/panic.h>

static int cmd_bt(int argc, char **argv)
{
	dump_stack();
	return 0;
}
MONITOR_CMD(bt, cmd_bt, "", "backtrace of the monitor itself: how a command is reached");
