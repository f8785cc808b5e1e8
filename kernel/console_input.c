/*
 * debug_read: the console's input for user programs, until the console
 * server of issue #15 owns the UART. The bytes come from COM1's input ring
 * (drivers/serial.c), the same ring the monitor reads; while the monitor
 * reads a line it claims the ring, and a reader here waits. Raw bytes: the
 * line editor (echo, backspace, ^U, ^C) is the user library's.
 */
#include <pagoda/errno.h>
#include <pagoda/sched.h>
#include <pagoda/serial.h>
#include <pagoda/signal.h>
#include <pagoda/syscalls.h>
#include <pagoda/uaccess.h>
#include <pagoda/wait.h>

/* At most this much per call: a line editor asks for little, and the
 * bytes pass through the kernel stack. */
#define DEBUG_READ_MAX 128

SYSCALL_DEFINE2(debug_read, char __user *, buf, size_t, len)
{
	char kbuf[DEBUG_READ_MAX];
	size_t n = len < sizeof(kbuf) ? len : sizeof(kbuf);
	if (!n)
		return 0;
	/* A bad buffer is refused before the call sleeps, not after a byte
	 * has come (and been lost): zeroing the destination proves it is
	 * mapped and writable. */
	if (!access_ok(buf, n) || clear_user(buf, n))
		return -EFAULT;

	size_t got;
	DEFINE_WAIT(w);
	for (;;) {
		prepare_to_wait(&serial_rx_wait, &w, TASK_INTERRUPTIBLE);
		got = serial_read_unclaimed(kbuf, n);
		if (got || fatal_signal_pending(current))
			break;
		/* Polled input wakes nobody: look again at the next tick. */
		if (serial_input_by_irq())
			schedule();
		else
			schedule_timeout(1);
	}
	finish_wait(&serial_rx_wait, &w);
	if (!got)
		return -EINTR;
	if (copy_to_user(buf, kbuf, got))
		return -EFAULT;
	return (long)got;
}
