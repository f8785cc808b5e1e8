/* reboot: power the machine off (<pagoda/unistd.h> 21). The `poweroff`
 * program syncs and unmounts the file systems before it calls this. */
#ifndef _SYS_REBOOT_H
#define _SYS_REBOOT_H

#include <pagoda/unistd.h>

#define RB_POWER_OFF REBOOT_CMD_POWER_OFF
#define RB_HALT_SYSTEM REBOOT_CMD_HALT

/* glibc's form: the magic numbers are filled in. */
int reboot(unsigned int cmd);

#endif
