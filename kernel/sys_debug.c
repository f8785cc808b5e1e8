/* debug_write: user bytes to the console (COM1), the only output before a
 * console server exists; getcpu. */
#include <pagoda/errno.h>
#include <pagoda/sched.h>
#include <pagoda/serial.h>
#include <pagoda/smp.h>
#include <pagoda/syscalls.h>
#include <pagoda/uaccess.h>

#define DEBUG_WRITE_CHUNK 256           /* on the kernel stack: copied and written piece by piece */

SYSCALL_DEFINE2(debug_write, const char __user *, ubuf, size_t, len)
{
	char chunk[DEBUG_WRITE_CHUNK];
	if (!access_ok(ubuf, len))
		return -EFAULT;
	for (size_t done = 0; done < len;) {
		size_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		if (copy_from_user(chunk, ubuf + done, n))
			return done ? (long)done : -EFAULT;
		serial_write(chunk, n);
		done += n;
	}
	return (long)len;
}

SYSCALL_DEFINE3(getcpu, unsigned int __user *, ucpu, unsigned int __user *, unode, void __user *, cache)
{
	(void)cache;
	unsigned int cpu = smp_processor_id(), node = 0;   /* true until the return to user mode, where a process may move */
	if (ucpu && put_user(cpu, ucpu))
		return -EFAULT;
	if (unode && put_user(node, unode))
		return -EFAULT;
	return 0;
}
