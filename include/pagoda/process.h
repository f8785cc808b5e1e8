/*
 * Processes (docs/processes.md): a task with a user address space (mm),
 * FPU state and a parent that waits for it. kernel/fork.c makes them,
 * kernel/exec.c gives them a program, kernel/exit.c ends and reaps them.
 *
 * A process is counted from fork (or its first exec, for pid 1 and the
 * `run` helper) until its parent's wait4 reaps it, zombies included; fork
 * refuses beyond MAX_PROCS, or when free memory is below
 * FORK_MIN_FREE_PAGES, with -EAGAIN.
 */
#ifndef PAGODA_PROCESS_H
#define PAGODA_PROCESS_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>

#define MAX_PROCS 64
#define FORK_MIN_FREE_PAGES 256         /* 1 MiB: what a fork may need before its COW faults */

struct pt_regs;
struct task_struct;

/* End the calling process with a wait status word (<uapi/pagoda/wait.h>):
 * its address space goes, it becomes a zombie, its parent is woken, its
 * children go to init. Pid 1's end powers the machine off. Process context. */
__noreturn void do_exit(int status);

/* wait4 for kernel callers: status (a kernel pointer, may be NULL) gets
 * the status word. The child's pid, 0 (WNOHANG, none ended), -ECHILD,
 * -EINTR (a fatal signal is pending). Process context, may sleep. */
long kernel_wait4(int pid, int *status, int options);

/* fork of the calling process from its trapped registers: the child's pid,
 * or -EAGAIN / -ENOMEM. */
long do_fork(struct pt_regs *regs);

/* Replace the calling task's program with path from the initramfs (argv
 * and envp: kernel arrays ended by NULL). On success the task is a process
 * whose user registers (task_pt_regs) start the program: a system call
 * returns to it, a kernel thread leaves by ret_to_user. -ENOENT, -ENOEXEC,
 * -ENOMEM, -E2BIG; before the point of no return nothing has changed. */
long kernel_execve(const char *path, const char *const argv[], const char *const envp[]);

/* The same for an ELF image in memory named name (argv = { name }): the
 * ELF checks' tests feed it malformed images. */
long kernel_execve_image(const char *name, const void *image, size_t size);

/* Start path as a new process, child of the caller (a kernel thread that
 * execs it, as Linux's call_usermodehelper); its pid, or -errno. The
 * caller waits for it with kernel_wait4. Process context. */
int spawn_program(const char *path, const char *const argv[]);
/* The same, then wait: the wait status word, or -errno if it never ran. */
int run_program(const char *path, const char *const argv[]);

/* Processes now (zombies included), for sysinfo and tests. */
unsigned int nr_processes(void);
/* Take and give back one slot of MAX_PROCS: false when full. */
bool process_slot_get(void);
void process_slot_put(void);

/* The file name after the last '/' (a process's comm). */
static inline const char *kbasename(const char *path)
{
	const char *base = path;
	for (; *path; path++)
		if (*path == '/')
			base = path + 1;
	return base;
}

/* The wait status as text: "exit code 3", "killed by SIGSEGV". */
const char *wait_status_str(int status, char *buf, size_t size);

#endif
