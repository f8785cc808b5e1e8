/* `uptime`: how long the kernel has been running, by two clocks. */
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/time.h>

/* LAB(0) BEGIN: add the uptime monitor command */
/*
 * Two clocks that should agree: jiffies counts timer interrupts (HZ per
 * second), the TSC counts CPU cycles since the first instruction. If they
 * drift apart, interrupts were lost or the TSC calibration is off.
 */
static int cmd_uptime(int argc, char **argv)
{
	u64 ns = ktime_get_ns();
	unsigned long j = jiffies;
	printk("up %llu.%03llu s (TSC), %lu jiffies at %d Hz = %lu.%02lu s\n", ns / 1000000000,
	       ns / 1000000 % 1000, j, HZ, j / HZ, j % HZ * 100 / HZ);
	return 0;
}
MONITOR_CMD(uptime, cmd_uptime, "", "time since boot, from the TSC and from timer ticks");
/* LAB(0) END */
