/* ahcid: time from clock_gettime (ahci_os_user.c); jiffies counts at the
 * kernel's HZ so the driver's timeouts read the same. */
#ifndef AHCID_PAGODA_TIME_H
#define AHCID_PAGODA_TIME_H

#include <pagoda/types.h>

#define HZ 100

unsigned long ahcid_jiffies(void);
#define jiffies ahcid_jiffies()
u64 ktime_get_ns(void);
void udelay(unsigned long us);          /* busy-waits on the clock */
void mdelay(unsigned long ms);          /* sleeps */

#endif
