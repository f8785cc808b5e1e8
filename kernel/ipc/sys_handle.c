/* handle_close and handle_dup (<uapi/pagoda/unistd.h> 64, 65): the table
 * does the checking (handle.c). */
#include <pagoda/ipc.h>
#include <pagoda/syscalls.h>

SYSCALL_DEFINE1(handle_close, int, h)
{
	return handle_close(h);
}

SYSCALL_DEFINE2(handle_dup, int, h, unsigned int, rights)
{
	return handle_dup(h, rights);
}
