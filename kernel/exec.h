/* Shared by kernel/exec.c, exec_memobj.c and binfmt_elf.c (private). */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <pagoda/elf.h>
#include <pagoda/errno.h>
#include <pagoda/mm_user.h>
#include <asm/pfn.h>

struct memobj;

/* The program's file: bytes in the kernel's address space (the
 * initramfs), or the first size bytes of a memory object, whose pages
 * may be highmem and are read one at a time (exec_file_read). */
struct exec_file {
	const void *data;               /* non-NULL: the whole file is here */
	struct memobj *mo;              /* else: held by the caller for the exec */
	u64 size;
};

/* Copy len bytes at off (inside the file) to the kernel buffer dst. */
void exec_file_read(const struct exec_file *f, u64 off, void *dst, size_t len);

/* Map and fill img's segments into mm (the current address space); set
 * the code/data bounds and the brk start. 0 or -errno. */
int load_elf_binary(struct mm_struct *mm, const struct exec_file *f, const struct elf_image *img);

struct exec_args {
	char *buf;              /* argv's strings then envp's, each NUL-terminated */
	size_t len;
	int argc, envc;
};

/* exec.c, for exec_memobj.c: the argument strings (EXEC_ARG_MAX bytes
 * of room), copied from user space; then the exec itself. */
int exec_args_alloc(struct exec_args *a);
int exec_args_from_user(struct exec_args *a, const char __user *const __user *uargv,
			const char __user *const __user *uenvp);
long do_execve_file(const char *name, const struct exec_file *f, const struct exec_args *a);

#endif
