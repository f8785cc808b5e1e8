/*
 * execve: replace the calling task's program (Linux's fs/exec.c in small).
 *
 *  1. The path, argv and envp are copied into the kernel first (strings
 *     packed in one buffer of at most EXEC_ARG_MAX bytes): a bad pointer is
 *     -EFAULT, too much is -E2BIG, a path too long -ENAMETOOLONG, and the
 *     old address space, where they live, can go later.
 *  2. The file comes from the initramfs (or, for execve_memobj, a memory
 *     object: exec_memobj.c) and must pass lib/elf.c's checks (-ENOENT,
 *     -ENOEXEC, -ENOMEM). The checks read a copy of the headers, so a
 *     memory object changed meanwhile cannot slip a segment past them.
 *  3. A fresh address space is built while it is the current one (the
 *     copies into it are ordinary copy_to_user calls): the segments
 *     (binfmt_elf.c), the stack VMA (grows down to 8 MiB below the top,
 *     with a guard gap under it) holding the strings, then argc, argv[],
 *     NULL, envp[], NULL and an empty auxv (AT_NULL), the System V layout
 *     user/lib's crt0 expects at the stack pointer.
 *  4. Only then is the old address space dropped: any failure before gives
 *     the caller its old program back with the error.
 * The task becomes a user process (PF_USER: FPU state saved at switches,
 * a clean one now), named after the file, with registers that start the
 * program at its entry point.
 */
#include <pagoda/errno.h>
#include <pagoda/initramfs.h>
#include <pagoda/mm_user.h>
#include <pagoda/preempt.h>
#include <pagoda/printk.h>
#include <pagoda/process.h>
#include <pagoda/sched.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/syscalls.h>
#include <pagoda/uaccess.h>
#include <uapi/pagoda/mman.h>
#include <asm/elf.h>
#include <asm/entry.h>
#include "exec.h"
#include "sched/sched.h"

#define EXEC_PATH_MAX   256
#define EXEC_ARG_MAX    (32 * 1024)     /* argv and envp strings together, NULs included */
#define EXEC_MAX_ARGS   1024            /* argv and envp entries together */
#define STACK_TOP       TASK_SIZE
#define STACK_INIT_SIZE (32 * PAGE_SIZE) /* the first VMA; faults below grow it */
#define AT_NULL         0

#define EXEC_HEAD_MAX   PAGE_SIZE       /* a file read piecewise: its headers must lie here */

static int args_add(struct exec_args *a, const char *s, size_t n)
{
	if (a->argc + a->envc >= EXEC_MAX_ARGS || n + 1 > EXEC_ARG_MAX - a->len)
		return -E2BIG;
	memcpy(a->buf + a->len, s, n);
	a->buf[a->len + n] = '\0';
	a->len += n + 1;
	return 0;
}

static int args_from_kernel(struct exec_args *a, const char *const v[], int *count)
{
	for (int i = 0; v && v[i]; i++) {
		int err = args_add(a, v[i], strlen(v[i]));
		if (err)
			return err;
		(*count)++;
	}
	return 0;
}

static int args_from_user(struct exec_args *a, const char __user *const __user *v, int *count)
{
	for (int i = 0; v; i++) {
		const char __user *p;
		if (get_user(p, v + i))
			return -EFAULT;
		if (!p)
			return 0;
		if (a->argc + a->envc >= EXEC_MAX_ARGS)
			return -E2BIG;
		long room = EXEC_ARG_MAX - a->len;
		long n = strncpy_from_user(a->buf + a->len, p, room);
		if (n < 0)
			return n;
		if (n >= room)
			return -E2BIG;
		a->len += n + 1;
		(*count)++;
	}
	return 0;
}

/* Put the strings and the vectors on the new stack; *spp: the initial sp
 * (an unsigned long: on i386 the stack sits above 2 GiB). */
static int setup_stack(struct mm_struct *mm, const struct exec_args *a, unsigned long *spp)
{
	unsigned long addr = vm_mmap(mm, STACK_TOP - STACK_INIT_SIZE, STACK_INIT_SIZE,
				     PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, "[stack]");
	if (IS_ERR_VALUE(addr))
		return (int)(long)addr;
	mm->stack_limit = STACK_TOP - STACK_SIZE_MAX;

	unsigned long strings = (STACK_TOP - a->len) & ~(sizeof(long) - 1);
	int nptrs = 1 + a->argc + 1 + a->envc + 1 + 2;  /* argc, argv, NULL, envp, NULL, AT_NULL pair */
	unsigned long sp = (strings - nptrs * sizeof(long)) & ~15UL;
	if (copy_to_user((void __user *)strings, a->buf, a->len))
		return -ENOMEM;
	mm->arg_start = strings;
	mm->env_end = strings + a->len;

	unsigned long *vec = kmalloc(nptrs * sizeof(long), GFP_KERNEL);
	if (!vec)
		return -ENOMEM;
	int k = 0;
	unsigned long s = strings;
	vec[k++] = a->argc;
	for (int i = 0; i < a->argc; i++, s += strlen(a->buf + (s - strings)) + 1)
		vec[k++] = s;
	vec[k++] = 0;
	mm->arg_end = mm->env_start = s;
	for (int i = 0; i < a->envc; i++, s += strlen(a->buf + (s - strings)) + 1)
		vec[k++] = s;
	vec[k++] = 0;
	vec[k++] = AT_NULL;                     /* auxv: empty */
	vec[k++] = 0;
	int err = copy_to_user((void __user *)sp, vec, k * sizeof(long)) ? -ENOMEM : 0;
	kfree(vec);
	mm->start_stack = *spp = sp;
	return err;
}

/*
 * Make mm the running task's address space while the program is loaded;
 * old is its own (a process) or NULL (a kernel thread, whose borrowed
 * active_mm kthread_use_mm gives back). The references follow the
 * scheduler's lazy-TLB rules (kernel/sched/core.c): a process holds its
 * mm by mm_users alone, a kernel thread its active_mm by mm_count.
 */
static void exec_mm_enter(struct mm_struct *old, struct mm_struct *mm)
{
	struct task_struct *me = current;
	if (!old) {
		kthread_use_mm(mm);
		return;
	}
	unsigned long flags;
	spin_lock_irqsave(&tasklist_lock, flags);     /* ps reads mm under it */
	me->mm = mm;
	me->active_mm = mm;
	switch_mm(old, mm);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* Back to old (the load failed), or keep mm (done); then the one that
 * lost goes. */
static void exec_mm_leave(struct mm_struct *old, struct mm_struct *mm, bool keep)
{
	struct task_struct *me = current;
	if (!old) {
		if (keep) {
			mmdrop(mm);     /* kthread_use_mm's reference: mm_users holds it now */
		} else {
			kthread_unuse_mm(mm);
			mmput(mm);
		}
		return;
	}
	if (keep) {
		mmput(old);
		return;
	}
	unsigned long flags;
	spin_lock_irqsave(&tasklist_lock, flags);
	me->mm = old;
	me->active_mm = old;
	switch_mm(mm, old);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	mmput(mm);
}

static void set_comm(const char *path)
{
	const char *base = kbasename(path);
	strlcpy(current->comm, base, TASK_COMM_LEN);
}

/* Check the headers: in place, or in a copy of the first page. */
static int exec_check(const char *path, const struct exec_file *f, struct elf_image *img)
{
	char why[96];
	void *head = (void *)f->data;
	size_t headlen = f->size;
	if (!head) {
		headlen = f->size < EXEC_HEAD_MAX ? f->size : EXEC_HEAD_MAX;
		if (!(head = kmalloc(headlen, GFP_KERNEL)))
			return -ENOMEM;
		exec_file_read(f, 0, head, headlen);
	}
	int err = elf_check_head(head, headlen, f->size, &ELF_TARGET_NATIVE, img, why, sizeof(why));
	if (err)
		pr_info("exec %s: %s\n", path, why);
	if (head != f->data)
		kfree(head);
	return err;
}

long do_execve_file(const char *path, const struct exec_file *f, const struct exec_args *a)
{
	struct task_struct *me = current;
	struct elf_image img;

	int err = exec_check(path, f, &img);
	if (err)
		return err;
	if (!me->thread.fpu && !(me->thread.fpu = fpu_alloc()))
		return -ENOMEM;
	/* A kernel task becoming a process (pid 1) takes a process slot. */
	bool new_process = !(me->flags & PF_PROCESS);
	if (new_process && !process_slot_get())
		return -EAGAIN;
	struct mm_struct *mm = mm_alloc(), *old = me->mm;
	if (!mm) {
		if (new_process)
			process_slot_put();
		return -ENOMEM;
	}

	exec_mm_enter(old, mm);
	unsigned long sp = 0;
	err = load_elf_binary(mm, f, &img);
	if (!err)
		err = setup_stack(mm, a, &sp);
	exec_mm_leave(old, mm, !err);
	if (err) {
		if (new_process)
			process_slot_put();
		return err;             /* the old program goes on */
	}
	set_comm(path);
	preempt_disable();
	me->flags = (me->flags & ~PF_KTHREAD) | PF_USER | PF_PROCESS;
	fpu_init_state(me->thread.fpu);
	fpu_restore(me->thread.fpu);            /* the registers are the task's from now on */
	preempt_enable();
	start_thread(task_pt_regs(me), (unsigned long)img.entry, sp);
	return 0;
}

static long do_execve(const char *path, const struct exec_args *a)
{
	struct cpio_entry e;
	int err = initramfs_find(path, &e);
	if (err)
		return err == -EINVAL ? -ENOENT : err;
	if ((e.mode & CPIO_S_IFMT) != CPIO_S_IFREG)
		return -EACCES;                 /* a directory or a link: not a program */
	struct exec_file f = { .data = e.data, .size = e.size };
	return do_execve_file(path, &f, a);
}

int exec_args_alloc(struct exec_args *a)
{
	*a = (struct exec_args){ .buf = kmalloc(EXEC_ARG_MAX, GFP_KERNEL) };
	return a->buf ? 0 : -ENOMEM;
}

int exec_args_from_user(struct exec_args *a, const char __user *const __user *uargv,
			const char __user *const __user *uenvp)
{
	int err = args_from_user(a, uargv, &a->argc);
	return err ? err : args_from_user(a, uenvp, &a->envc);
}

long kernel_execve(const char *path, const char *const argv[], const char *const envp[])
{
	struct exec_args a;
	long err = exec_args_alloc(&a);
	if (err)
		return err;
	err = args_from_kernel(&a, argv, &a.argc);
	if (!err)
		err = args_from_kernel(&a, envp, &a.envc);
	if (!err)
		err = do_execve(path, &a);
	kfree(a.buf);
	return err;
}

long kernel_execve_image(const char *name, const void *image, size_t size)
{
	struct exec_args a;
	long err = exec_args_alloc(&a);
	if (err)
		return err;
	err = args_add(&a, name, strlen(name));
	a.argc = 1;
	struct exec_file f = { .data = image, .size = size };
	if (!err)
		err = do_execve_file(name, &f, &a);
	kfree(a.buf);
	return err;
}

SYSCALL_DEFINE3(execve, const char __user *, upath, const char __user *const __user *, uargv,
		const char __user *const __user *, uenvp)
{
	char *path = kmalloc(EXEC_PATH_MAX, GFP_KERNEL);
	struct exec_args a;
	long err = -ENOMEM;
	if (!path)
		return err;
	err = exec_args_alloc(&a);
	if (err)
		goto out_path;
	err = strncpy_from_user(path, upath, EXEC_PATH_MAX);
	if (err >= EXEC_PATH_MAX)
		err = -ENAMETOOLONG;
	if (err >= 0)
		err = exec_args_from_user(&a, uargv, uenvp);
	if (!err)
		err = do_execve(path, &a);
	kfree(a.buf);
out_path:
	kfree(path);
	return err;
}
