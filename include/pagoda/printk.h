/*
 * printk: the kernel log. Messages go to COM1. A message may start with a
 * level (KERN_ERR ...); those above the console loglevel (loglevel= on the
 * command line, default 6 = info) are not printed. Callable from any context,
 * including interrupt and fault handlers: output is polled, never buffered.
 */
#ifndef PAGODA_PRINTK_H
#define PAGODA_PRINTK_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>

#define KERN_SOH     "\001"
#define KERN_EMERG   KERN_SOH "0"
#define KERN_ALERT   KERN_SOH "1"
#define KERN_CRIT    KERN_SOH "2"
#define KERN_ERR     KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE  KERN_SOH "5"
#define KERN_INFO    KERN_SOH "6"
#define KERN_DEBUG   KERN_SOH "7"
#define KERN_CONT    KERN_SOH "c"

#define LOGLEVEL_DEFAULT 6

extern int console_loglevel;

__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)   printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)  printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)  printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)  printk(KERN_CONT fmt, ##__VA_ARGS__)

/* Where printk's bytes go; set by the console driver (serial). Returns the
 * previous writer, so a test can borrow the console and give it back. */
void (*console_register(void (*write)(const char *s, size_t n)))(const char *, size_t);
/* Also copy printk output into buf (NUL-terminated, truncated at size) until
 * console_capture_stop(), which returns the length captured. For tests. */
void console_capture_start(char *buf, size_t size);
size_t console_capture_stop(void);
/* Feed the log ring (oldest first) to emit, as `dmesg` does. */
void log_dump(void (*emit)(const char *s, size_t n));
/* Write n bytes to the console as they are, not into the log (`dmesg`). */
void console_emit(const char *s, size_t n);

#endif
