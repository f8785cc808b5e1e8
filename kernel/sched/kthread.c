/*
 * Tasks come and go: kernel threads (creation, binding, stop, exit), the
 * reaper that frees what an exited task leaves (it cannot free its own
 * stack while running on it), the task list behind ps, the idle tasks,
 * and the stack bookkeeping that lets backtraces and overflow reports find
 * a task's stack.
 */
#include "sched.h"
#include <pagoda/completion.h>
#include <pagoda/gfp.h>
#include <pagoda/mm.h>
#include <pagoda/mm_user.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>
#include <asm/processor.h>

/* A kernel thread's task and what only kthreads need, in one allocation. */
struct kthread {
	struct task_struct task;
	struct completion exited;
};

DEFINE_SPINLOCK(tasklist_lock);                /* irqsave: the tick path never takes it */
static LIST_HEAD(task_list);
static unsigned int nr_task_list;
static int next_pid = 2;

static DEFINE_SPINLOCK(dead_lock);
static LIST_HEAD(dead_list);                    /* exited tasks, through ->dead_node */
static unsigned int nr_dead;
static DECLARE_WAIT_QUEUE_HEAD(reaper_wq);

/* The task bt walks (not running), per CPU: its stack is "known" meanwhile. */
static DEFINE_PER_CPU(struct task_struct *, bt_task);

void task_list_add(struct task_struct *t)
{
	unsigned long flags;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_add_tail(&t->tasks, &task_list);
	nr_task_list++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

unsigned int nr_tasks(void)
{
	return READ_ONCE(nr_task_list);
}

unsigned int nr_dead_unreaped(void)
{
	return READ_ONCE(nr_dead);
}

void for_each_task(void (*fn)(struct task_struct *t, void *arg), void *arg)
{
	unsigned long flags;
	struct task_struct *t;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, tasks)
		fn(t, arg);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void get_task_struct(struct task_struct *t)
{
	__atomic_add_fetch(&t->usage, 1, __ATOMIC_RELAXED);
}

/* A task's stack and FPU area: the reaper frees a zombie's early (its
 * task_struct waits for the parent's wait4), free_task everybody else's. */
static void free_task_stack(struct task_struct *t)
{
	if (t->thread.fpu)
		fpu_free(t->thread.fpu);
	t->thread.fpu = NULL;
	if (!t->stack)
		return;
	if (t->flags & PF_STACK_PAGES)
		free_pages((unsigned long)t->stack, get_order(THREAD_SIZE));
	else
		vfree(t->stack);
	t->stack = NULL;
}

static void free_task(struct task_struct *t)
{
	free_task_stack(t);
	kfree(container_of(t, struct kthread, task));
}

void put_task_struct(struct task_struct *t)
{
	if (__atomic_sub_fetch(&t->usage, 1, __ATOMIC_ACQ_REL) == 0)
		free_task(t);
}

struct task_struct *find_get_task(int pid)
{
	unsigned long flags;
	struct task_struct *t, *found = NULL;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, tasks)
		if (t->pid == pid) {
			found = t;
			get_task_struct(t);
			break;
		}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

char task_state_char(const struct task_struct *t)
{
	if (t->flags & PF_IDLE)
		return 'I';
	if (t->exit_state == EXIT_ZOMBIE)
		return 'Z';
	switch (t->state) {
	case TASK_RUNNING: return 'R';
	case TASK_INTERRUPTIBLE: return 'S';
	case TASK_UNINTERRUPTIBLE: return 'D';
	case EXIT_ZOMBIE: return 'Z';
	default: return 'X';
	}
}

/* ---- creation ------------------------------------------------------------ */

struct task_struct *task_create(int (*fn)(void *), void *data, unsigned int flags)
{
	struct kthread *k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return NULL;
	void *stack = vmalloc(THREAD_SIZE);
	unsigned long guard = (unsigned long)stack - PAGE_SIZE;
	if (!stack) {
		/* Without vmalloc (lab 4's handout stubs its page-table code) the
		 * kernel must still boot: contiguous pages, with no guard page. */
		stack = (void *)__get_free_pages(GFP_KERNEL, get_order(THREAD_SIZE));
		if (!stack) {
			kfree(k);
			return NULL;
		}
		flags |= PF_STACK_PAGES;
		guard = 0;
		static bool warned;
		if (!warned)
			pr_warn("sched: vmalloc failed; task stacks come from the page allocator, without guard pages\n");
		warned = true;
	}
	struct task_struct *t = &k->task;
	init_completion(&k->exited);
	t->exited = &k->exited;
	t->flags = flags;
	t->state = TASK_UNINTERRUPTIBLE;        /* not runnable until wake_up_process */
	t->cpus_allowed = ~0UL;
	t->time_slice = SCHED_SLICE_TICKS;
	INIT_LIST_HEAD(&t->run_list);
	t->on_cpu = -1;
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->dead_node);
	t->active_mm = &init_mm;
	t->usage = 1;                           /* dropped by the reaper */
	t->threadfn = fn;
	t->data = data;
	t->stack = stack;
	unsigned long bottom = (unsigned long)stack, top = bottom + THREAD_SIZE;
	t->stack_info = (struct stack_info){ t->comm, bottom, top, guard };
	t->thread.sp0 = top;
	t->thread.sp = arch_thread_init_stack(top, fn, data);
	return t;
}

struct task_struct *kthread_create(int (*threadfn)(void *data), void *data, const char *namefmt, ...)
{
	might_sleep();
	struct task_struct *t = task_create(threadfn, data, PF_KTHREAD);
	if (!t)
		return NULL;
	va_list ap;
	va_start(ap, namefmt);
	vsnprintf(t->comm, sizeof(t->comm), namefmt, ap);
	va_end(ap);
	task_attach(t, current);
	return t;
}

void task_attach(struct task_struct *t, struct task_struct *parent)
{
	t->pid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
	t->cpu = select_task_cpu(t->cpus_allowed);
	t->parent = parent;
	unsigned long flags;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_add_tail(&t->sibling, &parent->children);
	list_add_tail(&t->tasks, &task_list);
	nr_task_list++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void task_release(struct task_struct *t)
{
	unsigned long flags;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_del(&t->sibling);
	INIT_LIST_HEAD(&t->sibling);
	list_del(&t->tasks);
	nr_task_list--;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	put_task_struct(t);
}

void kthread_bind(struct task_struct *k, int cpu)
{
	BUG_ON(k->on_rq || !cpu_online(cpu));
	k->cpu = cpu;
	k->cpus_allowed = 1UL << cpu;
}

bool kthread_should_stop(void)
{
	return READ_ONCE(current->should_stop);
}

int kthread_stop(struct task_struct *k)
{
	get_task_struct(k);
	WRITE_ONCE(k->should_stop, true);
	wake_up_process(k);
	wait_for_completion(k->exited);
	int ret = k->exit_code;
	put_task_struct(k);
	return ret;
}

/* ---- exit and reaping ------------------------------------------------------ */

__noreturn void kthread_exit(int code)
{
	struct task_struct *me = current;
	if (me->flags & PF_IDLE || me == &init_task)
		panic("BUG: %s/%d tried to exit", me->comm, me->pid);
	me->exit_code = code;
	complete_all(me->exited);
	unsigned long flags;
	spin_lock_irqsave(&tasklist_lock, flags);
	task_reparent_children(me);
	list_del(&me->sibling);
	INIT_LIST_HEAD(&me->sibling);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	do_task_dead();
}

/* Orphans go to init, as on Unix; init is woken if a zombie came along,
 * so its wait4 reaps it. tasklist_lock held. */
void task_reparent_children(struct task_struct *me)
{
	struct task_struct *c, *n;
	bool zombie = false;
	list_for_each_entry_safe(c, n, &me->children, sibling) {
		c->parent = &init_task;
		list_del(&c->sibling);
		list_add_tail(&c->sibling, &init_task.children);
		zombie |= c->exit_state == EXIT_ZOMBIE;
	}
	if (zombie)
		wake_up_state(&init_task, TASK_INTERRUPTIBLE);
}

__noreturn void do_task_dead(void)
{
	struct task_struct *me = current;
	/* DEAD under the run queue lock: a late wake_up_process cannot make it
	 * RUNNING again. __schedule then takes it off the CPU for good. */
	struct rq *rq = this_rq();
	local_irq_disable();
	spin_lock(&rq->lock);
	me->state = TASK_DEAD;
	__spin_release(&rq->lock);
	preempt_enable_no_resched();
	__schedule(false);
	panic("BUG: dead task %s/%d ran again", me->comm, me->pid);
}

/* In the next task, once t is off its stack for good. */
void task_dead(struct task_struct *t)
{
	unsigned long flags;
	if (unlikely(t->dead_node.next != &t->dead_node))
		panic("BUG: task %s/%d (%p) reported dead twice (state %#lx, exit_state %d, usage %d)",
		      t->comm, t->pid, t, t->state, t->exit_state, t->usage);
	/* A zombie stays in the task list (ps shows it) until its parent's
	 * wait4 releases it (task_release). */
	if (t->exit_state != EXIT_ZOMBIE) {
		spin_lock_irqsave(&tasklist_lock, flags);
		list_del(&t->tasks);
		nr_task_list--;
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	spin_lock_irqsave(&dead_lock, flags);
	list_add_tail(&t->dead_node, &dead_list);
	/* Atomic although under dead_lock: the reaper decrements it outside
	 * the lock, maybe on another CPU, and a plain ++ racing with that lost
	 * one of the two updates (nr_dead_unreaped() then never got back to 0). */
	__atomic_add_fetch(&nr_dead, 1, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&dead_lock, flags);
	wake_up(&reaper_wq);
}

static int reaper(void *unused)
{
	for (;;) {
		wait_event(reaper_wq, !list_empty(&dead_list));
		unsigned long flags;
		spin_lock_irqsave(&dead_lock, flags);
		struct task_struct *t = list_first_entry(&dead_list, struct task_struct, dead_node);
		list_del(&t->dead_node);
		spin_unlock_irqrestore(&dead_lock, flags);
		if (t->exit_state == EXIT_ZOMBIE)
			free_task_stack(t);     /* the rest waits for the parent's wait4 */
		put_task_struct(t);             /* frees it, unless kthread_stop or the parent still holds it */
		__atomic_sub_fetch(&nr_dead, 1, __ATOMIC_RELEASE);
	}
	return 0;
}

/* ---- idle tasks -------------------------------------------------------------- */

static struct task_struct *idle_init(struct task_struct *t, int cpu)
{
	t->flags |= PF_IDLE;
	t->pid = 0;
	snprintf(t->comm, sizeof(t->comm), "swapper/%d", cpu);
	t->state = TASK_RUNNING;
	t->cpu = cpu;
	t->cpus_allowed = 1UL << cpu;
	t->on_rq = 1;
	t->parent = &init_task;
	return t;
}

static int idle_thread(void *unused)
{
	cpu_idle_loop();
}

/* Boot CPU, interrupts on, allocators up, before the APs start: CPU 0's
 * idle task (its own stack: the boot stack stays init's), the reaper. */
void sched_init_late(void)
{
	struct task_struct *idle = task_create(idle_thread, NULL, PF_KTHREAD);
	BUG_ON(!idle);
	idle_init(idle, 0);
	idle->stack_info.name = idle->comm;
	task_list_add(idle);
	struct rq *rq = cpu_rq(0);
	unsigned long flags;
	spin_lock_irqsave(&rq->lock, flags);
	rq->idle = idle;
	spin_unlock_irqrestore(&rq->lock, flags);
	sched_running = true;
	struct task_struct *r = kthread_create(reaper, NULL, "reaper");
	BUG_ON(!r);
	wake_up_process(r);
	pr_info("sched: round robin, %d-tick slices, per-CPU run queues; init is pid 1 on CPU 0\n",
		SCHED_SLICE_TICKS);
}

/* BSP, before starting the AP: its boot context's task (stack known). */
struct task_struct *sched_prepare_ap(int cpu, unsigned long stack_bottom, unsigned long stack_top)
{
	struct kthread *k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return NULL;
	struct task_struct *t = &k->task;
	init_completion(&k->exited);
	t->exited = &k->exited;
	t->flags = PF_KTHREAD;
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->dead_node);
	t->active_mm = &init_mm;
	t->usage = 1;
	t->stack = NULL;                /* the AP's stack is never freed */
	idle_init(t, cpu);
	t->on_cpu = cpu;                /* the AP's boot context: running there */
	t->stack_info = (struct stack_info){ t->comm, stack_bottom, stack_top, stack_bottom - PAGE_SIZE };
	t->thread.sp0 = stack_top;
	rq_init(cpu);
	task_list_add(t);
	return t;
}

/* On the AP, interrupts off, before its timer starts. */
void sched_init_ap(struct task_struct *idle)
{
	struct rq *rq = this_rq();
	mmgrab(&init_mm);               /* the idle task's active_mm (lazy TLB) */
	this_cpu_write(current_task, idle);
	idle->exec_start = rdtsc();
	load_sp0(idle->thread.sp0);
	rq->curr = idle;
	rq->idle = idle;
}

/* ---- stacks ------------------------------------------------------------------- */

static bool in_stack(const struct stack_info *s, unsigned long addr)
{
	return s->top && addr >= s->bottom && addr < s->top;
}

const struct stack_info *task_stack_lookup(unsigned long addr)
{
	struct task_struct *t = current;
	if (t && in_stack(&t->stack_info, addr))
		return &t->stack_info;
	t = this_cpu_read(bt_task);
	if (t && in_stack(&t->stack_info, addr))
		return &t->stack_info;
	return NULL;
}

const struct stack_info *task_stack_guard_lookup(unsigned long addr)
{
	struct task_struct *t = current;
	if (t && t->stack_info.guard && addr >= t->stack_info.guard && addr < t->stack_info.guard + PAGE_SIZE)
		return &t->stack_info;
	return NULL;
}

void show_task_backtrace(struct task_struct *t)
{
	if (t == current) {
		dump_stack();
		return;
	}
	unsigned long flags, fp = 0, pc = 0;
	bool running;
	if (t->exit_state == EXIT_ZOMBIE) {
		printk("%s/%d is a zombie: its stack is gone\n", t->comm, t->pid);
		return;
	}
	struct rq *rq = task_rq_lock(t, &flags);
	running = rq->curr == t;
	if (!running)
		arch_switched_out_frame(t->thread.sp, &fp, &pc);
	task_rq_unlock(rq, flags);
	if (running) {
		printk("%s/%d is running on CPU %d: no saved frame to walk\n", t->comm, t->pid, t->cpu);
		return;
	}
	printk("%s/%d (%c) on CPU %d, switched out at:\n", t->comm, t->pid, task_state_char(t), t->cpu);
	this_cpu_write(bt_task, t);
	show_backtrace(fp, pc);
	this_cpu_write(bt_task, NULL);
}
