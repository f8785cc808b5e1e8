/*
 * reboot (<uapi/pagoda/unistd.h> 21): how the `poweroff` program ends the
 * machine after it has synced and unmounted every file system (the file
 * servers are user processes; the kernel cannot flush them itself).
 * Linux's magic numbers and commands, so a student's reading of
 * reboot(2) holds; only power off and halt exist here.
 */
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/reboot.h>
#include <pagoda/syscalls.h>
#include <uapi/pagoda/unistd.h>

SYSCALL_DEFINE4(reboot, int, magic1, int, magic2, unsigned int, cmd, void __user *, arg)
{
	if ((unsigned int)magic1 != REBOOT_MAGIC1 ||
	    (magic2 != REBOOT_MAGIC2 && magic2 != REBOOT_MAGIC2A && magic2 != REBOOT_MAGIC2B &&
	     magic2 != REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case REBOOT_CMD_POWER_OFF:
		printk("reboot: Power down\n");
		machine_power_off();
	case REBOOT_CMD_HALT:
		printk("reboot: System halted\n");
		machine_halt();
	default:
		return -EINVAL;
	}
}
