/*
 * `exit`: power off (ACPI S5); QEMU exits with status 0.
 */
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/reboot.h>

static int cmd_exit(int argc, char **argv)
{
	printk("Powering off.\n");
	machine_power_off();
}
MONITOR_CMD(exit, cmd_exit, "", "power off: QEMU exits with status 0");
