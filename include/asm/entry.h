/*
 * The arch half of user processes (kernel/x86/entry_*.S, process_*.c,
 * syscall_*.c): where a task's user registers live, how a new program's
 * registers start, how a forked child first returns, and the one way out of
 * the kernel to user mode. docs/processes.md tells the whole path.
 */
#ifndef ASM_ENTRY_H
#define ASM_ENTRY_H

#include <pagoda/compiler.h>
#include <asm/ptrace.h>

struct task_struct;

/* A user task's trapped user registers: the frame at the very top of its
 * kernel stack, where every entry from user mode (interrupt, exception,
 * system call) puts it. */
#define task_pt_regs(t) ((struct pt_regs *)(t)->thread.sp0 - 1)

/* Registers for a new program: ip, sp, user segments, interrupts on,
 * every other register zero (exec). */
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp);
/* A forked child's first switch frame, just below its pt_regs (already
 * copied there): the switch returns into ret_from_fork, which finishes the
 * switch and leaves for user mode. Returns the child's thread.sp. */
unsigned long arch_fork_init_stack(struct task_struct *child);
/* Leave for user mode through regs (the top of this task's stack), dropping
 * the kernel stack under it. */
__noreturn void ret_to_user(struct pt_regs *regs);
void ret_from_fork(void);

/* kernel/entry_common.c: the one path every return to user mode takes,
 * interrupts off: reschedule if asked, die of a pending fatal signal. */
void exit_to_user_mode(struct pt_regs *regs);
/* The system call in regs: the table's handler, or -ENOSYS (kernel/sys_call_table.c). */
void do_syscall(struct pt_regs *regs);
/* i386: int $0x80, from do_trap. */
void do_int80(struct pt_regs *regs);

/* Whether the system-call exit may use sysret for this frame (x86_64:
 * rcx = ip and r11 = flags as the syscall instruction left them, ip below
 * TASK_SIZE, user selectors, no TF/RF); i386 never does (always iret). */
bool syscall_return_by_sysret(const struct pt_regs *regs);

/* This CPU's system-call entry (x86_64: the syscall MSRs) and FPU/SSE
 * setup; from cpu_tables_load, on every CPU. */
void syscall_init(void);
void fpu_init_cpu(void);

/* A trap from user mode the kernel does not fix (kernel/x86/traps_user.c):
 * a report on the console, then the process dies of sig. */
void user_trap(struct pt_regs *regs, const char *what, int sig);

#endif
