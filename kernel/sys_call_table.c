/*
 * The system-call table: __NR_* of <uapi/pagoda/unistd.h> to its handler
 * (<pagoda/syscalls.h>), and the dispatch both entries use (x86_64's
 * syscall, i386's int $0x80). A number past the table, or a hole in it
 * (the reserved memory-object and device numbers), is -ENOSYS.
 */
#include <pagoda/errno.h>
#include <pagoda/syscalls.h>
#include <uapi/pagoda/unistd.h>
#include <asm/entry.h>

const syscall_fn_t sys_call_table[__NR_syscalls] = {
	[__NR_exit]             = sys_exit,
	[__NR_wait4]            = sys_wait4,
	[__NR_fork]             = sys_fork,
	[__NR_execve]           = sys_execve,
	[__NR_getpid]           = sys_getpid,
	[__NR_getppid]          = sys_getppid,
	[__NR_kill]             = sys_kill,
	[__NR_sched_yield]      = sys_sched_yield,
	[__NR_nanosleep]        = sys_nanosleep,
	[__NR_clock_gettime]    = sys_clock_gettime,
	[__NR_debug_write]      = sys_debug_write,
	[__NR_brk]              = sys_brk,
	[__NR_mmap]             = sys_mmap,
	[__NR_munmap]           = sys_munmap,
	[__NR_mprotect]         = sys_mprotect,
	[__NR_debug_read]       = sys_debug_read,
	[__NR_proc_stat]        = sys_proc_stat,
	[__NR_monitor]          = sys_monitor,
	[__NR_getcpu]           = sys_getcpu,
	[__NR_sysinfo]          = sys_sysinfo,
	[__NR_execve_memobj]    = sys_execve_memobj,
	[__NR_reboot]           = sys_reboot,
	[__NR_handle_close]     = sys_handle_close,
	[__NR_handle_dup]       = sys_handle_dup,
	[__NR_endpoint_create]  = sys_endpoint_create,
	[__NR_ipc_send]         = sys_ipc_send,
	[__NR_ipc_recv]         = sys_ipc_recv,
	[__NR_ipc_call]         = sys_ipc_call,
	[__NR_ipc_reply_recv]   = sys_ipc_reply_recv,
	[__NR_notify_create]    = sys_notify_create,
	[__NR_notify_signal]    = sys_notify_signal,
	[__NR_notify_wait]      = sys_notify_wait,
	[__NR_memobj_create]    = sys_memobj_create,
	[__NR_memobj_map]       = sys_memobj_map,
	[__NR_memobj_from_user] = sys_memobj_from_user,
	[__NR_memobj_size]      = sys_memobj_size,
	[__NR_ipc_reply_save]   = sys_ipc_reply_save,
	[__NR_ipc_reply]        = sys_ipc_reply,
	[__NR_handle_info]      = sys_handle_info,
	[__NR_handle_mint]      = sys_handle_mint,
	[__NR_pipe]             = sys_pipe,
	[__NR_memobj_pager_create] = sys_memobj_pager_create,
	[__NR_memobj_supply]    = sys_memobj_supply,
	[__NR_device_list]      = sys_device_list,
	[__NR_device_open]      = sys_device_open,
	[__NR_device_map_bar]   = sys_device_map_bar,
	[__NR_device_dma_alloc] = sys_device_dma_alloc,
	[__NR_device_dma_addr]  = sys_device_dma_addr,
	[__NR_device_irq_bind]  = sys_device_irq_bind,
	[__NR_device_irq_ack]   = sys_device_irq_ack,
	[__NR_device_config_read] = sys_device_config_read,
	[__NR_blkdev_open]      = sys_blkdev_open,
	[__NR_mount]            = sys_mount,
	[__NR_umount]           = sys_umount,
	[__NR_mount_open]       = sys_mount_open,
	[__NR_mount_list]       = sys_mount_list,
};

void do_syscall(struct pt_regs *regs)
{
	unsigned long nr = syscall_get_nr(regs);
	long ret = -ENOSYS;
	if (nr < __NR_syscalls && sys_call_table[nr])
		ret = sys_call_table[nr](regs);
	syscall_set_return(regs, ret);
}
