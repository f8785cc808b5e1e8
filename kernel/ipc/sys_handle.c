/* handle_close, handle_dup and handle_info (<uapi/pagoda/unistd.h> 64, 65, 80): the table
 * does the checking (handle.c). */
#include <pagoda/ipc.h>
#include <pagoda/syscalls.h>
#include <pagoda/uaccess.h>

SYSCALL_DEFINE1(handle_close, int, h)
{
	return handle_close(h);
}

SYSCALL_DEFINE2(handle_dup, int, h, unsigned int, rights)
{
	return handle_dup(h, rights);
}

SYSCALL_DEFINE2(handle_info, int, h, struct handle_info __user *, uinfo)
{
	struct handle_info info;
	int err = handle_info(h, &info);
	if (err)
		return err;
	return copy_to_user(uinfo, &info, sizeof(info)) ? -EFAULT : 0;
}
