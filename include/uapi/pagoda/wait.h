/*
 * How wait4() reports the way a child ended: Linux's status word, so the
 * WIF* macros a student knows read it. Bits 0-6: the signal that killed the
 * child (0 if it exited); bits 8-15: the exit code when it exited (the low
 * 8 bits of exit()'s argument or main's result).
 */
#ifndef _UAPI_PAGODA_WAIT_H
#define _UAPI_PAGODA_WAIT_H

#define WNOHANG         1       /* wait4 option: return 0 at once if no child has ended */

/* The status the kernel stores: W_EXITCODE(code, 0) for exit, W_EXITCODE(0, sig) for a kill. */
#define W_EXITCODE(code, sig)   ((((code) & 0xff) << 8) | ((sig) & 0x7f))

#define WEXITSTATUS(s)  (((s) >> 8) & 0xff)
#define WTERMSIG(s)     ((s) & 0x7f)
#define WIFEXITED(s)    (WTERMSIG(s) == 0)
#define WIFSIGNALED(s)  (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)

#endif
