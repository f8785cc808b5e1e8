/* What ps and the tests see from user space: proc_stat (one process, or
 * the next from a pid on) and sysinfo (the machine). */
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/ipc.h>
#include <pagoda/mm.h>
#include <pagoda/mm_user.h>
#include <pagoda/mmzone.h>
#include <pagoda/process.h>
#include <pagoda/sched.h>
#include <pagoda/slab.h>
#include <pagoda/smp.h>
#include <pagoda/timer.h>
#include <pagoda/vmalloc.h>
#include <pagoda/string.h>
#include <pagoda/syscalls.h>
#include <pagoda/time.h>
#include <pagoda/uaccess.h>
#include <uapi/pagoda/proc.h>

struct find_arg {
	int pid;
	bool next;
	struct task_struct *found;
};

/* Under the task list lock: the process with pid (or the smallest >= pid). */
static void find_proc(struct task_struct *t, void *data)
{
	struct find_arg *a = data;
	if (!(t->flags & PF_PROCESS) || t->pid < a->pid || (!a->next && t->pid != a->pid))
		return;
	if (!a->found || t->pid < a->found->pid)
		a->found = t;
}

static void fill_proc_stat(struct task_struct *t, struct proc_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->pid = t->pid;
	st->ppid = READ_ONCE(t->parent)->pid;
	st->cpu = t->cpu;
	st->state = task_state_char(t);
	strlcpy(st->comm, t->comm, sizeof(st->comm));
	struct mm_struct *mm = get_task_mm(t);
	if (mm) {
		st->rss_pages = READ_ONCE(mm->rss);
		st->vm_pages = READ_ONCE(mm->total_vm);
		st->page_faults = READ_ONCE(mm->nr_faults);
		st->cow_copies = READ_ONCE(mm->nr_cow);
		mmput(mm);
	}
	st->runtime_ns = tsc_to_ns(t->runtime);
}

SYSCALL_DEFINE3(proc_stat, int, pid, struct proc_stat __user *, ust, int, flags)
{
	if (flags & ~PROC_STAT_NEXT)
		return -EINVAL;
	if (pid == 0)
		pid = current->pid;
	struct find_arg a = { .pid = pid, .next = flags & PROC_STAT_NEXT };
	struct proc_stat st;
	for_each_task(find_proc, &a);
	if (!a.found)
		return -ESRCH;
	get_task_struct(a.found);
	fill_proc_stat(a.found, &st);
	put_task_struct(a.found);
	return copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : st.pid;
}

/* <pagoda/gfp.h>. Here rather than in mm/: it waits for the scheduler's
 * reaper as well as the allocators. */
unsigned long nr_free_pages_settled(void)
{
	for (int i = 0; i < 1000 && nr_dead_unreaped(); i++)
		msleep(1);
	drop_lazy_mms();        /* an exited process's pgd that a CPU still borrows */
	vm_unmap_aliases();
	kmem_cache_shrink_all();
	drain_all_pages();
	return nr_free_pages();
}

SYSCALL_DEFINE1(sysinfo, struct sysinfo __user *, uinfo)
{
	unsigned long free = nr_free_pages_settled();    /* first: drains the per-CPU lists */
	struct sysinfo si = {
		.uptime_ns = ktime_get_ns(),
		.total_pages = boot_free_pages,
		.free_pages = free,
		.page_size = PAGE_SIZE,
		.nr_cpus = num_online_cpus(),
		.nr_procs = nr_processes(),
		.max_procs = MAX_PROCS,
		.nr_kobjs = nr_kobjs(),
		.free_high_pages = READ_ONCE(zones[ZONE_HIGHMEM].free_pages),
	};
	return copy_to_user(uinfo, &si, sizeof(si)) ? -EFAULT : 0;
}
