/* ahcid: the driver's messages go to debug_write, each line prefixed
 * "ahcid: " so a log shows which build of the driver spoke. */
#ifndef AHCID_PAGODA_PRINTK_H
#define AHCID_PAGODA_PRINTK_H

#include <pagoda/compiler.h>

__printf(1, 2) void printk(const char *fmt, ...);

#define pr_err(fmt, ...)   printk(fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)  printk(fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)  printk(fmt, ##__VA_ARGS__)

#endif
