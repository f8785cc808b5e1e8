/*
 * `dmesg`: the kernel log since boot.
 */
#include <pagoda/monitor.h>
#include <pagoda/printk.h>

static int cmd_dmesg(int argc, char **argv)
{
	log_dump(console_emit);
	return 0;
}
MONITOR_CMD(dmesg, cmd_dmesg, "", "the kernel log since boot (the newest 16 KiB)");
