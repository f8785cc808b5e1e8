/*
 * System-call handlers. The table (kernel/sys_call_table.c) maps each
 * __NR_* of <uapi/pagoda/unistd.h> to a handler `long sys_NAME(struct
 * pt_regs *regs)`; a missing entry is -ENOSYS. Handlers are written with
 * SYSCALL_DEFINEn, which takes the arguments out of the trapped registers
 * (<asm/syscall.h>) and gives the body typed parameters, as Linux's x86
 * wrappers do:
 *
 *     SYSCALL_DEFINE2(munmap, unsigned long, addr, size_t, len)
 *     {
 *             return vm_munmap(current->mm, addr, len);
 *     }
 *
 * The handler runs in process context of the calling task with interrupts
 * on and may sleep; it returns a value or -errno. A handler that needs the
 * whole register frame (fork, execve) uses SYSCALL_DEFINE_REGS.
 */
#ifndef PAGODA_SYSCALLS_H
#define PAGODA_SYSCALLS_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>
#include <asm/syscall.h>

typedef long (*syscall_fn_t)(struct pt_regs *regs);

#define __SC_ARG(regs, n, t) ((t)syscall_get_arg(regs, n))

#define SYSCALL_DEFINE_REGS(name, regs)                                     \
	long sys_##name(struct pt_regs *regs)
#define SYSCALL_DEFINE0(name)                                               \
	static long __do_sys_##name(void);                                  \
	long sys_##name(struct pt_regs *regs) { (void)regs; return __do_sys_##name(); } \
	static long __do_sys_##name(void)
#define SYSCALL_DEFINE1(name, t1, a1)                                       \
	static long __do_sys_##name(t1 a1);                                 \
	long sys_##name(struct pt_regs *regs)                               \
	{ return __do_sys_##name(__SC_ARG(regs, 0, t1)); }                  \
	static long __do_sys_##name(t1 a1)
#define SYSCALL_DEFINE2(name, t1, a1, t2, a2)                               \
	static long __do_sys_##name(t1 a1, t2 a2);                          \
	long sys_##name(struct pt_regs *regs)                               \
	{ return __do_sys_##name(__SC_ARG(regs, 0, t1), __SC_ARG(regs, 1, t2)); } \
	static long __do_sys_##name(t1 a1, t2 a2)
#define SYSCALL_DEFINE3(name, t1, a1, t2, a2, t3, a3)                       \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3);                   \
	long sys_##name(struct pt_regs *regs)                               \
	{ return __do_sys_##name(__SC_ARG(regs, 0, t1), __SC_ARG(regs, 1, t2), \
				 __SC_ARG(regs, 2, t3)); }                  \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3)
#define SYSCALL_DEFINE4(name, t1, a1, t2, a2, t3, a3, t4, a4)               \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4);            \
	long sys_##name(struct pt_regs *regs)                               \
	{ return __do_sys_##name(__SC_ARG(regs, 0, t1), __SC_ARG(regs, 1, t2), \
				 __SC_ARG(regs, 2, t3), __SC_ARG(regs, 3, t4)); } \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4)
#define SYSCALL_DEFINE5(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)       \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);     \
	long sys_##name(struct pt_regs *regs)                               \
	{ return __do_sys_##name(__SC_ARG(regs, 0, t1), __SC_ARG(regs, 1, t2), \
				 __SC_ARG(regs, 2, t3), __SC_ARG(regs, 3, t4), \
				 __SC_ARG(regs, 4, t5)); }                  \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)
#define SYSCALL_DEFINE6(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6); \
	long sys_##name(struct pt_regs *regs)                               \
	{ return __do_sys_##name(__SC_ARG(regs, 0, t1), __SC_ARG(regs, 1, t2), \
				 __SC_ARG(regs, 2, t3), __SC_ARG(regs, 3, t4), \
				 __SC_ARG(regs, 4, t5), __SC_ARG(regs, 5, t6)); } \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)

/* Every handler, in number order (the table's entries). */
long sys_exit(struct pt_regs *regs);
long sys_wait4(struct pt_regs *regs);
long sys_fork(struct pt_regs *regs);
long sys_execve(struct pt_regs *regs);
long sys_getpid(struct pt_regs *regs);
long sys_getppid(struct pt_regs *regs);
long sys_kill(struct pt_regs *regs);
long sys_sched_yield(struct pt_regs *regs);
long sys_nanosleep(struct pt_regs *regs);
long sys_clock_gettime(struct pt_regs *regs);
long sys_debug_write(struct pt_regs *regs);
long sys_brk(struct pt_regs *regs);
long sys_mmap(struct pt_regs *regs);
long sys_munmap(struct pt_regs *regs);
long sys_mprotect(struct pt_regs *regs);
long sys_debug_read(struct pt_regs *regs);
long sys_proc_stat(struct pt_regs *regs);
long sys_monitor(struct pt_regs *regs);
long sys_getcpu(struct pt_regs *regs);
long sys_sysinfo(struct pt_regs *regs);
long sys_execve_memobj(struct pt_regs *regs);
long sys_reboot(struct pt_regs *regs);
long sys_handle_close(struct pt_regs *regs);
long sys_handle_dup(struct pt_regs *regs);
long sys_endpoint_create(struct pt_regs *regs);
long sys_ipc_send(struct pt_regs *regs);
long sys_ipc_recv(struct pt_regs *regs);
long sys_ipc_call(struct pt_regs *regs);
long sys_ipc_reply_recv(struct pt_regs *regs);
long sys_notify_create(struct pt_regs *regs);
long sys_notify_signal(struct pt_regs *regs);
long sys_notify_wait(struct pt_regs *regs);
long sys_device_list(struct pt_regs *regs);
long sys_device_open(struct pt_regs *regs);
long sys_device_map_bar(struct pt_regs *regs);
long sys_device_dma_alloc(struct pt_regs *regs);
long sys_device_dma_addr(struct pt_regs *regs);
long sys_device_irq_bind(struct pt_regs *regs);
long sys_device_irq_ack(struct pt_regs *regs);
long sys_device_config_read(struct pt_regs *regs);
long sys_memobj_create(struct pt_regs *regs);
long sys_memobj_map(struct pt_regs *regs);
long sys_memobj_from_user(struct pt_regs *regs);
long sys_memobj_size(struct pt_regs *regs);
long sys_ipc_reply_save(struct pt_regs *regs);
long sys_ipc_reply(struct pt_regs *regs);
long sys_handle_info(struct pt_regs *regs);
long sys_handle_mint(struct pt_regs *regs);
long sys_pipe(struct pt_regs *regs);
long sys_memobj_pager_create(struct pt_regs *regs);
long sys_memobj_supply(struct pt_regs *regs);
long sys_blkdev_open(struct pt_regs *regs);
long sys_mount(struct pt_regs *regs);
long sys_umount(struct pt_regs *regs);
long sys_mount_open(struct pt_regs *regs);
long sys_mount_list(struct pt_regs *regs);

#endif
