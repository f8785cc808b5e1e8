/*
 * panic, BUG and WARN. panic() prints the message and a symbolized backtrace,
 * then ends QEMU through isa-debug-exit with the panic status so that a test
 * runner can tell a panic from a pass or a failure. Callable from any context.
 */
#ifndef PAGODA_PANIC_H
#define PAGODA_PANIC_H

#include <pagoda/compiler.h>
#include <pagoda/printk.h>

__printf(1, 2) __noreturn void panic(const char *fmt, ...);

/* True once panic() has started: nested faults during the report stop early. */
extern int panic_in_progress;

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond) do { if (unlikely(cond)) panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__); } while (0)

void warn_slowpath(const char *file, int line, const char *cond);
#define WARN_ON(cond) ({ int __c = !!(cond); if (unlikely(__c)) warn_slowpath(__FILE__, __LINE__, #cond); unlikely(__c); })
#define WARN_ON_ONCE(cond) ({ static bool __warned; int __c = !!(cond); \
	if (unlikely(__c) && !__warned) { __warned = true; warn_slowpath(__FILE__, __LINE__, #cond); } unlikely(__c); })

/* Print "Call Trace:" and one symbolized line per frame, starting at frame
 * pointer fp (0: the caller's frame). */
void dump_stack(void);
void show_backtrace(unsigned long fp, unsigned long pc);
/* Keep up to max return addresses (each minus 1: the calling line) from
 * frame pointer fp on, for a later report; the rest of entries become 0.
 * Returns how many were found. */
int save_stack_trace(unsigned long fp, unsigned long *entries, int max);
/* Print entries saved by save_stack_trace, one symbolized line each. */
void print_stack_trace(const unsigned long *entries, int max);

#endif
