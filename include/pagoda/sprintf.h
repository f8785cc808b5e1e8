/*
 * Formatted output into a buffer (lib/vsprintf.c), pure code shared with the
 * host tests. Conversions: %d %i %u %x %X %o %c %s %p %% with the length
 * modifiers hh h l ll z t, flags - 0 + space #, field width and precision
 * (also as *). %p prints a zero-padded hex address; %pS prints a kernel text
 * address as symbol+offset/size (see kallsyms.h). Output is always
 * terminated when size > 0; the return value is the length that the full
 * output would have, as in C99.
 */
#ifndef PAGODA_SPRINTF_H
#define PAGODA_SPRINTF_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);

/* Hook for %pS: write "sym+0x1c/0x80" for addr into buf; kernel: kallsyms. */
extern int (*vsprintf_symbol_hook)(char *buf, size_t size, unsigned long addr);

#endif
