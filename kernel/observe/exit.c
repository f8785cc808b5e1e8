/*
 * `exit` leaves the monitor: back to the program that opened it (the
 * monitor system call), or, in a monitor boot where nothing else runs,
 * power off. `poweroff` always powers off (ACPI S5); QEMU exits with 0.
 */
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/reboot.h>
#include "monitor_internal.h"

static int cmd_poweroff(int argc, char **argv)
{
	printk("Powering off.\n");
	machine_power_off();
}
MONITOR_CMD(poweroff, cmd_poweroff, "", "power off: QEMU exits with status 0");

static int cmd_exit(int argc, char **argv)
{
	if (monitor_can_return()) {
		printk("Back to the program.\n");
		monitor_request_return();
		return MON_OK;
	}
	printk("exit: no program to return to (a monitor boot).\n");
	return cmd_poweroff(argc, argv);
}
MONITOR_CMD(exit, cmd_exit, "", "return to the program that opened the monitor; in a monitor boot, power off");
