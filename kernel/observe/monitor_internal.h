/* Private to the monitor (kernel/observe/): the command being run, for
 * argument errors, and the objects the monitor's own commands created. */
#ifndef OBSERVE_MONITOR_INTERNAL_H
#define OBSERVE_MONITOR_INTERNAL_H

#include <pagoda/types.h>

/* The name of the command monitor_exec is running ("monitor" outside one). */
const char *monitor_current(void);

/* True inside monitor_enter (the monitor system call): `exit` may return. */
bool monitor_can_return(void);
/* Make the innermost monitor_enter return after the current command. */
void monitor_request_return(void);

/*
 * What the monitor created on the user's behalf. The commands that free or
 * unmap (kfree, vfree, iounmap, kunmap) act only on these: a typo must not
 * free a CPU's stack. One entry per object (per kmap reference); the table
 * is small, so a command refuses to create more once it is full.
 */
enum mon_obj_kind { MON_KMALLOC, MON_VMALLOC, MON_IOREMAP, MON_KMAP, MON_NR_KINDS };
#define MON_OBJS_MAX 64

/* Record an object of size bytes at key (a pfn for MON_KMAP): 0, or
 * -ENOSPC after saying the table is full. */
int mon_obj_add(enum mon_obj_kind kind, unsigned long key, unsigned long size);
/* Forget one record of kind at key: false if the monitor made none. */
bool mon_obj_del(enum mon_obj_kind kind, unsigned long key);
/* The start of a monitor-made object of kind whose bytes hold addr, or 0. */
unsigned long mon_obj_containing(enum mon_obj_kind kind, unsigned long addr);

/* The address space of the task whose pid the argument names (or the
 * newest process running the program of that name), with an mm_users
 * reference (mmput it); NULL after saying why (no such task, a kernel
 * thread). For `vmas`, `pt <pid>`, `vmmap`, `pmap`. */
struct mm_struct;
struct mm_struct *monitor_task_mm(const char *pidarg);
/* The same, and the task's name copied into comm (TASK_COMM_LEN bytes)
 * and its pid into *pid. */
struct mm_struct *monitor_task_mm_comm(const char *pidarg, char *comm, int *pid);

#endif
