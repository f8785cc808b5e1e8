/*
 * The scheduler seen from the monitor: `ps` (every task: pid, parent,
 * state, CPU, name, switches, time on a CPU) and `bench_switch` (TSC
 * cycles per context switch between two kernel threads on one CPU, each
 * yielding to the other). `bt <pid>` is in bt.c.
 */
#include <pagoda/completion.h>
#include <pagoda/monitor.h>
#include <pagoda/mm_user.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/string.h>
#include <pagoda/time.h>
#include <asm/processor.h>

#define PS_MAX 128

struct ps_row {
	int pid, ppid, cpu;
	char state;
	char comm[TASK_COMM_LEN];
	unsigned long nvcsw, nivcsw;
	u64 runtime;
	bool process;
	unsigned long rss, faults, cow;
};

struct ps_snap {
	struct ps_row rows[PS_MAX];
	int n, more;
};

/* Under the task list lock: copy, print later (printing is slow). */
static void snap_task(struct task_struct *t, void *arg)
{
	struct ps_snap *s = arg;
	if (s->n == PS_MAX) {
		s->more++;
		return;
	}
	struct ps_row *r = &s->rows[s->n++];
	r->pid = t->pid;
	r->ppid = t->parent ? t->parent->pid : 0;
	r->cpu = t->cpu;
	r->state = task_state_char(t);
	memcpy(r->comm, t->comm, TASK_COMM_LEN);
	r->nvcsw = t->nvcsw;
	r->nivcsw = t->nivcsw;
	r->runtime = t->runtime;
	/* A process's mm changes (exec, exit) under this lock: safe to read. */
	r->process = t->flags & PF_PROCESS;
	struct mm_struct *mm = t->mm;
	r->rss = mm ? mm->rss : 0;
	r->faults = mm ? mm->nr_faults : 0;
	r->cow = mm ? mm->nr_cow : 0;
}

static int cmd_ps(int argc, char **argv)
{
	static struct ps_snap snap;     /* the monitor runs one command at a time */
	snap.n = snap.more = 0;
	for_each_task(snap_task, &snap);
	printk("  PID  PPID S CPU COMM             VOLUNTARY  INVOLUNTARY     RUNTIME      RSS   FAULTS      COW\n");
	for (int i = 0; i < snap.n; i++) {
		struct ps_row *r = &snap.rows[i];
		u64 us = tsc_to_ns(r->runtime) / 1000;
		printk("%5d %5d %c %3d %-16s %9lu %12lu %7llu.%03llu ms", r->pid, r->ppid, r->state, r->cpu,
		       r->comm, r->nvcsw, r->nivcsw, us / 1000, us % 1000);
		if (r->process)
			printk(KERN_CONT " %8lu %8lu %8lu\n", r->rss, r->faults, r->cow);
		else
			printk(KERN_CONT "        -        -        -\n");
	}
	if (snap.more)
		printk("(%d more tasks not shown)\n", snap.more);
	int cpu;
	for_each_online_cpu(cpu)
		printk("CPU %d: %u runnable, %lu switches, %lu tasks taken by idle balancing\n", cpu,
		       nr_running_on(cpu), nr_context_switches(cpu), nr_migrations_to(cpu));
	printk("S: R running or runnable, S/D sleeping, Z zombie, I idle; RUNTIME: TSC time on a CPU up to the task's last switch;\n"
	       "RSS, FAULTS, COW (processes only): user pages mapped, user page faults served, pages copied on write\n");
	return 0;
}
MONITOR_CMD(ps, cmd_ps, "", "tasks: pid, parent, state, CPU, name (a process: its program), switches, CPU time; processes: rss, faults, COW copies");

/* ---- bench_switch ---------------------------------------------------------- */

#define YIELDS 5000

struct yielder {
	struct completion *go, *done;
};

static int yielder_thread(void *data)
{
	struct yielder *y = data;
	wait_for_completion(y->go);
	for (int i = 0; i < YIELDS; i++)
		yield();
	complete(y->done);
	return 0;
}

static int cmd_bench_switch(int argc, char **argv)
{
	DECLARE_COMPLETION(go);
	DECLARE_COMPLETION(done);
	struct yielder y = { &go, &done };
	int cpu = smp_processor_id();
	for (int i = 0; i < 2; i++) {
		struct task_struct *k = kthread_create(yielder_thread, &y, "yielder/%d", i);
		if (!k) {
			printk("bench_switch: no memory for a thread\n");
			return 1;
		}
		kthread_bind(k, cpu);
		wake_up_process(k);
	}
	msleep(20);                     /* both wait for go */
	unsigned long s0 = nr_context_switches(cpu);
	u64 t0 = rdtsc();
	complete_all(&go);
	wait_for_completion(&done);
	wait_for_completion(&done);
	u64 cycles = rdtsc() - t0;
	unsigned long switches = nr_context_switches(cpu) - s0;
	printk("bench_switch: %lu switches on CPU %d between two kernel threads yielding to each other: "
	       "%llu TSC cycles per switch (yield + schedule + __switch_to_asm)\n", switches, cpu,
	       switches ? cycles / switches : 0);
	return 0;
}
MONITOR_CMD(bench_switch, cmd_bench_switch, "", "TSC cycles per context switch: two kernel threads yielding on this CPU");
