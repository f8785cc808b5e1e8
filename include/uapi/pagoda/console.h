/*
 * The console protocol (issue #15, docs/user-space.md "The console
 * server"): how a program's stdin and stdout reach /bin/consd. A client
 * holds a send handle to consd's endpoint, named "console" in HANDLES;
 * the user library's write(1 or 2) and read(0) speak this for it.
 *
 * Requests are ipc_call messages; the bytes travel in the message buffer
 * (struct ipc_ext), so one request carries at most IPC_BUF_MAX of them.
 *
 *   label        request                        reply (label 0)
 *   CONS_WRITE   buffer: the bytes              w0: bytes written (all)
 *   CONS_READ    w0: at most n bytes (n >= 1)   buffer: 1 to n bytes;
 *                                               w0: how many
 *   CONS_INPUT   buffer: bytes typed            w0: bytes taken
 *
 * CONS_READ blocks until input has come (readers are answered in the
 * order they asked); the bytes are raw, as typed: echo and line editing
 * are the reader's (user/lib/read_line.c). CONS_INPUT is how consd's own
 * input helper hands it what it read from the kernel console; any holder
 * of a send handle may push input this way (as Linux's TIOCSTI did): the
 * console trusts its clients, and init gives the handle only to the
 * programs of the console. What does not fit consd's input buffer is
 * dropped (w0 says how much was taken), as a terminal drops characters
 * nobody reads.
 *
 * The reply's label is 0 or a positive errno: EINVAL (an unknown label, a
 * CONS_READ of 0 bytes), EAGAIN (16 readers wait already). A request in
 * flight when consd dies fails with EPIPE; init keeps the endpoint, so
 * the same request sent again waits for the restarted consd. The user
 * library sends it again up to CONS_RETRIES times, then writes or reads
 * the kernel console itself (debug_write, debug_read): when init has
 * given consd up, every request fails with EPIPE at once. (A write that
 * consd had done when it died is so written twice: a console may repeat
 * a line, it must not lose one.)
 */
#ifndef _UAPI_PAGODA_CONSOLE_H
#define _UAPI_PAGODA_CONSOLE_H

#define CONS_WRITE       1
#define CONS_READ        2
#define CONS_INPUT       3

#define CONS_RETRIES     3

/* The HANDLES name of the console's endpoint in its clients (consd
 * itself finds it under "server", and writes to the kernel console). */
#define CONS_HANDLE_NAME "console"

#endif
