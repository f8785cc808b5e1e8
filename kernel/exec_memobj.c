/*
 * execve_memobj (20): exec a program held in a memory object, the first
 * size bytes of it. It is how the user library runs a program it read
 * from a file server (issue #16): the kernel walks no path and knows no
 * file system, so the library reads the file into a memory object and
 * hands that over. The loader (exec.c, binfmt_elf.c) reads the object's
 * pages one at a time; argv[0] names the program.
 */
#include <pagoda/errno.h>
#include <pagoda/memobj.h>
#include <pagoda/slab.h>
#include <pagoda/syscalls.h>
#include "exec.h"

SYSCALL_DEFINE4(execve_memobj, int, h, unsigned long, size, const char __user *const __user *, uargv,
		const char __user *const __user *, uenvp)
{
	long err;
	struct memobj *mo = memobj_get(h, RIGHT_READ, &err);
	if (!mo)
		return err;
	struct exec_args a;
	err = -EINVAL;
	if (!size || size > memobj_size(mo))
		goto out_put;
	err = exec_args_alloc(&a);
	if (err)
		goto out_put;
	err = exec_args_from_user(&a, uargv, uenvp);
	if (!err) {
		struct exec_file f = { .mo = mo, .size = size };
		err = do_execve_file(a.argc ? a.buf : "memobj", &f, &a);
	}
	kfree(a.buf);
out_put:
	memobj_put(mo);
	return err;
}
