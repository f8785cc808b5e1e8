/*
 * What proc_stat (<pagoda/unistd.h>) tells about a process: the figures
 * the monitor's ps prints, for the shell's ps and for tests that must see
 * the kernel's counters (lazy allocation, copy-on-write) from user space.
 */
#ifndef _UAPI_PAGODA_PROC_H
#define _UAPI_PAGODA_PROC_H

#include "types.h"     /* relative: the kernel sees uapi/pagoda/, user space pagoda/ */

#define PROC_STAT_NEXT 1        /* flags: the first process with pid >= the one asked */

struct proc_stat {
	__s32 pid;
	__s32 ppid;
	__s32 cpu;              /* the CPU it runs on, or last ran on */
	char state;             /* R running or runnable, S sleeping, D uninterruptible, Z zombie */
	char comm[15];          /* the program's name, NUL-terminated */
	__u64 rss_pages;        /* user pages resident in its address space */
	__u64 vm_pages;         /* pages its VMAs span (touched or not) */
	__u64 page_faults;      /* user page faults it took (demand paging and COW) */
	__u64 cow_copies;       /* pages copied on a write after fork */
	__u64 runtime_ns;       /* time on a CPU */
};

struct sysinfo {
	__u64 uptime_ns;
	__u64 total_pages;      /* page frames the allocator manages */
	__u64 free_pages;       /* free now (settled: per-CPU caches drained first) */
	__u32 page_size;
	__u32 nr_cpus;          /* CPUs online */
	__u32 nr_procs;         /* user processes, zombies included */
	__u32 max_procs;        /* the limit fork refuses beyond (-EAGAIN) */
	__u32 nr_kobjs;         /* kernel objects (endpoints, notifications) alive: a handle-leak check */
	__u32 __pad;
	__u64 free_high_pages;  /* of free_pages, those in highmem (i386: above 896 MiB; 0 on x86_64) */
};

#endif
