/*
 * Signal numbers (Linux's x86 numbers). Pagoda has no signal handlers yet:
 * a signal only ends a process, and its number is how wait() reports why --
 * kill() sends one, and a fault the kernel cannot fix (a page fault outside
 * every VMA, a protection violation, a general protection fault ...) kills
 * the process with the signal Linux would send for it.
 */
#ifndef _UAPI_PAGODA_SIGNAL_H
#define _UAPI_PAGODA_SIGNAL_H

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4     /* invalid opcode (#UD) */
#define SIGTRAP   5     /* breakpoint (#BP, int3) */
#define SIGABRT   6
#define SIGBUS    7     /* alignment check (#AC) */
#define SIGFPE    8     /* divide error (#DE), x87/SIMD exceptions */
#define SIGKILL   9     /* kill() that cannot be refused; also out of memory */
#define SIGSEGV  11     /* page fault outside a VMA or against its protection; #GP */
#define SIGPIPE  13     /* a write to a pipe nobody reads: the user library raises it on EPIPE */
#define SIGTERM  15

#define NSIG     32

#endif
