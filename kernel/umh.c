/*
 * Starting a program from the kernel (Linux's call_usermodehelper): a
 * kernel thread, already counted and marked as a process of the caller so
 * that the caller's wait4 sees it, execs the program and leaves for user
 * mode through the registers exec set up. The caller learns whether the
 * exec worked before spawn_program returns. The monitor's `run` and the
 * proc ktests use it.
 */
#include <pagoda/completion.h>
#include <pagoda/errno.h>
#include <pagoda/process.h>
#include <pagoda/sched.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <uapi/pagoda/wait.h>
#include <asm/entry.h>

#define SPAWN_MAX_ARGS 16

struct spawn_req {
	const char *path;
	const char *argv[SPAWN_MAX_ARGS + 1];
	struct completion started;
	long err;
};

static int spawn_thread(void *data)
{
	struct spawn_req *r = data;
	static const char *const envp[] = { "PATH=/bin", NULL };
	long err = kernel_execve(r->path, r->argv, envp);
	r->err = err;
	complete(&r->started);          /* r is the caller's: not touched after this */
	if (err)
		do_exit(W_EXITCODE(127, 0));    /* the shell's "could not run it" */
	ret_to_user(task_pt_regs(current));
}

int spawn_program(const char *path, const char *const argv[])
{
	struct spawn_req r = { .path = path };
	int n = 0;
	while (argv && argv[n] && n < SPAWN_MAX_ARGS) {
		r.argv[n] = argv[n];
		n++;
	}
	if (!n)
		r.argv[n++] = path;
	init_completion(&r.started);
	if (!process_slot_get())
		return -EAGAIN;
	const char *base = kbasename(path);
	struct task_struct *t = kthread_create(spawn_thread, &r, "%s", base);
	if (!t) {
		process_slot_put();
		return -ENOMEM;
	}
	/* A process from its first instruction: wait4 sees it, do_exit takes it. */
	t->flags = (t->flags & ~PF_KTHREAD) | PF_PROCESS;
	get_task_struct(t);             /* the parent's, dropped by wait4 */
	int pid = t->pid;
	wake_up_process(t);
	wait_for_completion(&r.started);
	if (r.err) {
		kernel_wait4(pid, NULL, 0);     /* reap the thread that could not exec */
		return r.err;
	}
	return pid;
}

int run_program(const char *path, const char *const argv[])
{
	int pid = spawn_program(path, argv);
	if (pid < 0)
		return pid;
	int status;
	long ret = kernel_wait4(pid, &status, 0);       /* -EINTR: a process caller was killed */
	return ret < 0 ? (int)ret : status;
}
