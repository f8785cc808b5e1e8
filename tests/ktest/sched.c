/*
 * The scheduler: kernel threads, switching, sleeping and waking, the
 * sleeping locks, preemption, pinning, exit and reaping. Each case passes
 * on 1, 2 and 4 CPUs (tests/manifest.d/sched.ini); where a case wants two
 * CPUs and there is one, both sides run on it. Nothing here asserts a
 * duration: waits for threads have a generous bound only so that a broken
 * scheduler fails the case instead of hanging the boot.
 */
#include <pagoda/apic.h>
#include <pagoda/completion.h>
#include <pagoda/irq.h>
#include <pagoda/ktest.h>
#include "ktest_pages.h"
#include <pagoda/mm.h>
#include <pagoda/monitor.h>
#include <pagoda/mutex.h>
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>
#include <pagoda/sched.h>
#include <pagoda/slab.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <pagoda/time.h>
#include <pagoda/timer.h>
#include <pagoda/vmalloc.h>
#include <pagoda/wait.h>
#include <asm/processor.h>

#define HANG_GUARD (30 * HZ)            /* jiffies: "it never finished" */

static int last_online_cpu(void)
{
	int cpu, last = 0;
	for_each_online_cpu(cpu)
		last = cpu;
	return last;
}

/* Wait for n complete() calls on c; the number that came. */
static int wait_n(struct completion *c, int n)
{
	int got = 0;
	while (got < n && wait_for_completion_timeout(c, HANG_GUARD))
		got++;
	return got;
}

/* ---- many threads counting ------------------------------------------------- */

#define NR_COUNTERS 32
#define COUNT_TO 2000

struct counter_arg {
	struct completion *done;
	const int *go;                  /* all created: start counting */
	unsigned long count;
	unsigned long switches;
	int cpu;
};

static int counter_thread(void *data)
{
	struct counter_arg *a = data;
	/* Runnable (so counted by the placement of the next ones) until every
	 * thread exists: none can finish and leave its CPU looking idle while
	 * the creator's CPU, busy creating, never gets one. */
	while (!READ_ONCE(*a->go))
		yield();
	for (unsigned long i = 0; i < COUNT_TO; i++) {
		WRITE_ONCE(a->count, a->count + 1);
		if (i % 100 == 99)
			yield();
	}
	a->switches = current->nvcsw + current->nivcsw;
	a->cpu = smp_processor_id();
	complete(a->done);
	return 0;
}

static void many_threads_all_finish(struct ktest *t)
{
	static struct counter_arg args[NR_COUNTERS];
	static int go;
	DECLARE_COMPLETION(done);
	WRITE_ONCE(go, 0);
	unsigned long switches_before = 0;
	int cpu;
	for_each_online_cpu(cpu)
		switches_before += nr_context_switches(cpu);
	for (int i = 0; i < NR_COUNTERS; i++) {
		args[i] = (struct counter_arg){ .done = &done, .go = &go };
		struct task_struct *k = kthread_run(counter_thread, &args[i], "count/%d", i);
		if (!k)
			WRITE_ONCE(go, 1);      /* the ones made so far must end */
		KTEST_ASSERT_NOT_NULL(t, k);
	}
	WRITE_ONCE(go, 1);
	KTEST_ASSERT_EQ(t, wait_n(&done, NR_COUNTERS), NR_COUNTERS);
	unsigned long switches = 0, used = 0;
	for (int i = 0; i < NR_COUNTERS; i++) {
		KTEST_EXPECT_EQ(t, args[i].count, COUNT_TO);
		switches += args[i].switches;
		used |= 1UL << args[i].cpu;
	}
	/* 32 threads yielding 20 times each, at least 8 per CPU: they switch. */
	KTEST_EXPECT_GT(t, switches, 0);
	unsigned long switches_after = 0;
	for_each_online_cpu(cpu)
		switches_after += nr_context_switches(cpu);
	KTEST_EXPECT_GE(t, switches_after - switches_before, switches);
	/* Spread over the CPUs: every online CPU got some of them. */
	KTEST_EXPECT_EQ(t, used, cpu_online_mask);
}

/* ---- ping-pong with a wait queue ------------------------------------------------ */

#define ROUNDS 300

struct pingpong {
	wait_queue_head_t wq;
	volatile int turn;              /* whose move: 0 or 1 */
	int moves[2];
	int out_of_turn;
	struct completion done;
};

struct player {
	struct pingpong *pp;
	int me;
};

static int player_thread(void *data)
{
	struct player *p = data;
	struct pingpong *pp = p->pp;
	for (int i = 0; i < ROUNDS; i++) {
		wait_event(pp->wq, pp->turn == p->me);
		if (pp->turn != p->me)
			pp->out_of_turn++;
		pp->moves[p->me]++;
		pp->turn = !p->me;
		wake_up(&pp->wq);
	}
	complete(&pp->done);
	return 0;
}

static void pingpong_on(struct ktest *t, int cpu0, int cpu1)
{
	static struct pingpong pp;
	static struct player pl[2];
	init_waitqueue_head(&pp.wq);
	init_completion(&pp.done);
	pp.turn = 0;
	pp.moves[0] = pp.moves[1] = pp.out_of_turn = 0;
	struct task_struct *k[2];
	for (int i = 0; i < 2; i++) {
		pl[i] = (struct player){ &pp, i };
		k[i] = kthread_create(player_thread, &pl[i], "player/%d", i);
		KTEST_ASSERT_NOT_NULL(t, k[i]);
		kthread_bind(k[i], i ? cpu1 : cpu0);
	}
	wake_up_process(k[1]);
	wake_up_process(k[0]);
	KTEST_ASSERT_EQ(t, wait_n(&pp.done, 2), 2);
	KTEST_EXPECT_EQ(t, pp.moves[0], ROUNDS);
	KTEST_EXPECT_EQ(t, pp.moves[1], ROUNDS);
	KTEST_EXPECT_EQ(t, pp.out_of_turn, 0);
}

static void pingpong_one_cpu(struct ktest *t)
{
	int cpu = last_online_cpu();
	pingpong_on(t, cpu, cpu);
}

static void pingpong_two_cpus(struct ktest *t)
{
	pingpong_on(t, 0, last_online_cpu());
}

/* ---- mutex contention ---------------------------------------------------------- */

#define MUTEX_ITERS 400
static DEFINE_MUTEX(count_mutex);
static unsigned long mutex_counter;     /* no atomics: only the mutex protects it */

static int mutex_thread(void *data)
{
	struct completion *done = data;
	for (int i = 0; i < MUTEX_ITERS; i++) {
		mutex_lock(&count_mutex);
		unsigned long v = mutex_counter;
		if (i % 8 == 0)
			yield();                /* hold it while others want it */
		barrier();
		mutex_counter = v + 1;
		mutex_unlock(&count_mutex);
	}
	complete(done);
	return 0;
}

static void mutex_from_every_cpu(struct ktest *t)
{
	DECLARE_COMPLETION(done);
	mutex_counter = 0;
	unsigned long contended = mutex_contended;
	int cpu, n = 0;
	for_each_online_cpu(cpu) {
		for (int j = 0; j < 2; j++) {   /* two per CPU: contention on each CPU too */
			struct task_struct *k = kthread_create(mutex_thread, &done, "mutex/%d.%d", cpu, j);
			KTEST_ASSERT_NOT_NULL(t, k);
			kthread_bind(k, cpu);
			wake_up_process(k);
			n++;
		}
	}
	KTEST_ASSERT_EQ(t, wait_n(&done, n), n);
	KTEST_EXPECT_EQ(t, mutex_counter, (unsigned long)n * MUTEX_ITERS);
	KTEST_EXPECT_GT(t, mutex_contended, contended);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&count_mutex));
	KTEST_EXPECT_TRUE(t, mutex_trylock(&count_mutex));
	KTEST_EXPECT_FALSE(t, mutex_trylock(&count_mutex));
	mutex_unlock(&count_mutex);
}

/* ---- completions ------------------------------------------------------------- */

struct gate {
	struct completion open;
	struct completion passed;
};

static int gate_thread(void *data)
{
	struct gate *g = data;
	wait_for_completion(&g->open);
	complete(&g->passed);
	return 0;
}

static void completion_one_then_all(struct ktest *t)
{
	static struct gate g;
	init_completion(&g.open);
	init_completion(&g.passed);
	for (int i = 0; i < 3; i++)
		KTEST_ASSERT_NOT_NULL(t, kthread_run(gate_thread, &g, "gate/%d", i));
	msleep(20);                             /* let them reach the wait (not needed to pass) */
	KTEST_EXPECT_FALSE(t, completion_done(&g.passed));
	complete(&g.open);                      /* one waiter through */
	KTEST_ASSERT_EQ(t, wait_n(&g.passed, 1), 1);
	/* The other two still wait: nothing passes in the next ticks. */
	KTEST_EXPECT_EQ(t, wait_for_completion_timeout(&g.passed, 5), 0);
	complete_all(&g.open);
	KTEST_EXPECT_EQ(t, wait_n(&g.passed, 2), 2);
	/* complete_all stays open: a later waiter passes at once. */
	KTEST_EXPECT_GT(t, wait_for_completion_timeout(&g.open, 1), 0);
}

static void wait_event_timeout_expires(struct ktest *t)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	int never = 0;
	unsigned long j0 = jiffies;
	long left = wait_event_timeout(wq, never != 0, 3);
	KTEST_EXPECT_EQ(t, left, 0);
	KTEST_EXPECT_GE(t, jiffies - j0, 3);
	never = 1;
	KTEST_EXPECT_GT(t, wait_event_timeout(wq, never != 0, 3), 0);
}

/* ---- preemption ------------------------------------------------------------------ */

struct spin_race {
	volatile int spinning;
	volatile int flag;
	int flag_seen;
	struct completion done;
};

/* Never yields, never sleeps, never takes a lock: only the tick's
 * preemption at interrupt return can let the other thread on this CPU run. */
static int spinner_thread(void *data)
{
	struct spin_race *r = data;
	u64 give_up = rdtsc() + tsc_khz * 20000;       /* a hang guard, not a measure */
	r->spinning = 1;
	while (!r->flag && rdtsc() < give_up)
		cpu_relax();
	r->flag_seen = r->flag;
	complete(&r->done);
	return 0;
}

static int flag_setter_thread(void *data)
{
	struct spin_race *r = data;
	r->flag = 1;
	complete(&r->done);
	return 0;
}

static void spinner_does_not_starve_others(struct ktest *t)
{
	static struct spin_race r;
	r = (struct spin_race){ 0 };
	init_completion(&r.done);
	int cpu = last_online_cpu();
	struct task_struct *s = kthread_create(spinner_thread, &r, "spinner");
	struct task_struct *f = kthread_create(flag_setter_thread, &r, "flagger");
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_ASSERT_NOT_NULL(t, f);
	kthread_bind(s, cpu);
	kthread_bind(f, cpu);
	wake_up_process(s);
	while (!r.spinning)
		msleep(1);
	wake_up_process(f);                     /* queued behind a task that never yields */
	KTEST_ASSERT_EQ(t, wait_n(&r.done, 2), 2);
	KTEST_EXPECT_EQ(t, r.flag_seen, 1);
}

/* ---- pinning --------------------------------------------------------------------- */

struct pin_arg {
	int want, wrong, samples;
	struct completion *done;
};

static int pinned_thread(void *data)
{
	struct pin_arg *a = data;
	for (int i = 0; i < 200; i++) {
		if (smp_processor_id() != a->want || current->cpu != a->want)
			a->wrong++;
		a->samples++;
		if (i % 20 == 0)
			msleep(1);
		else if (i % 5 == 0)
			yield();
		else
			udelay(100);            /* let ticks (and preemption) land here too */
	}
	complete(a->done);
	return 0;
}

static void bound_thread_stays_on_its_cpu(struct ktest *t)
{
	static struct pin_arg args[NR_CPUS];
	DECLARE_COMPLETION(done);
	int cpu, n = 0;
	for_each_online_cpu(cpu) {
		args[cpu] = (struct pin_arg){ .want = cpu, .done = &done };
		struct task_struct *k = kthread_create(pinned_thread, &args[cpu], "pinned/%d", cpu);
		KTEST_ASSERT_NOT_NULL(t, k);
		kthread_bind(k, cpu);
		KTEST_EXPECT_EQ(t, k->cpus_allowed, 1UL << cpu);
		wake_up_process(k);
		n++;
	}
	KTEST_ASSERT_EQ(t, wait_n(&done, n), n);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, args[cpu].samples, 200);
		KTEST_EXPECT_EQ(t, args[cpu].wrong, 0);
	}
}

/* ---- msleep ------------------------------------------------------------------------ */

struct sleeper {
	unsigned int ms;
	unsigned long slept_jiffies;
	int order;
	int *seq;
	struct completion *done;
};

static int sleeper_thread(void *data)
{
	struct sleeper *s = data;
	unsigned long j0 = jiffies;
	msleep(s->ms);
	s->slept_jiffies = jiffies - j0;
	s->order = __atomic_add_fetch(s->seq, 1, __ATOMIC_RELAXED);
	complete(s->done);
	return 0;
}

static void msleep_wakes_in_order(struct ktest *t)
{
	static struct sleeper s[3];
	static int seq;
	DECLARE_COMPLETION(done);
	const unsigned int ms[3] = { 300, 20, 100 };
	struct task_struct *k[3];
	seq = 0;
	int cpu = last_online_cpu();
	for (int i = 0; i < 3; i++) {
		s[i] = (struct sleeper){ .ms = ms[i], .seq = &seq, .done = &done };
		k[i] = kthread_create(sleeper_thread, &s[i], "sleeper/%u", ms[i]);
		KTEST_ASSERT_NOT_NULL(t, k[i]);
		kthread_bind(k[i], cpu);        /* one timer list: expiry order is wake order */
	}
	for (int i = 0; i < 3; i++)
		wake_up_process(k[i]);
	KTEST_ASSERT_EQ(t, wait_n(&done, 3), 3);
	KTEST_EXPECT_EQ(t, s[1].order, 1);      /* 20 ms first */
	KTEST_EXPECT_EQ(t, s[2].order, 2);      /* then 100 */
	KTEST_EXPECT_EQ(t, s[0].order, 3);      /* then 300 */
	/* Never early: at least the ticks asked for. */
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_GE(t, s[i].slept_jiffies, msecs_to_jiffies(ms[i]));
}

/* ---- kthread_stop ------------------------------------------------------------------- */

static int stoppable_thread(void *data)
{
	int *loops = data;
	while (!kthread_should_stop()) {
		(*loops)++;
		msleep(1);
	}
	return 42;
}

static void kthread_stop_returns_value(struct ktest *t)
{
	static int loops;
	loops = 0;
	struct task_struct *k = kthread_run(stoppable_thread, &loops, "stoppable");
	KTEST_ASSERT_NOT_NULL(t, k);
	int pid = k->pid;
	struct task_struct *found = find_get_task(pid);
	KTEST_EXPECT_PTR_EQ(t, found, k);
	if (found)
		put_task_struct(found);
	while (!READ_ONCE(loops))
		msleep(1);
	KTEST_EXPECT_EQ(t, kthread_stop(k), 42);
	/* Gone from the task list once the reaper ran. */
	for (int i = 0; i < 1000 && (found = find_get_task(pid)); i++) {
		put_task_struct(found);
		msleep(10);
	}
	KTEST_EXPECT_NULL(t, found);
}

/* ---- exit and reaping: nothing leaks --------------------------------------------------- */

static int exit_at_once(void *data)
{
	complete(data);
	return 0;
}

static bool reaped_back_to(unsigned int tasks)
{
	for (int i = 0; i < 3000; i++) {
		if (!nr_dead_unreaped() && nr_tasks() == tasks)
			return true;
		msleep(10);
	}
	return false;
}


static bool create_exit(int n)
{
	DECLARE_COMPLETION(done);
	for (int i = 0; i < n; i++)
		if (!kthread_run(exit_at_once, &done, "short/%d", i))
			return false;
	return wait_n(&done, n) == n;
}

/* Batches of 50, each reaped before the next: at most 50 stacks live at a
 * time, in warm-up and measure alike, so vmalloc needs no page table in
 * the measured part that the warm-up did not already create. */
static bool create_exit_batches(int batches, unsigned int tasks)
{
	for (int b = 0; b < batches; b++) {
		if (!create_exit(50) || !reaped_back_to(tasks))
			return false;
		/* Freed stacks' addresses come back at the lazy purge: purge, so
		 * every batch reuses the warm-up's addresses and page tables. */
		vm_unmap_aliases();
	}
	return true;
}

static void exit_and_reap_leak_nothing(struct ktest *t)
{
	unsigned int tasks = nr_tasks();
	KTEST_ASSERT_TRUE(t, create_exit_batches(2, tasks));   /* warm-up */
	unsigned long free_before = ktest_settled_free_pages();
	unsigned long areas_before = vmalloc_nr_areas();
	KTEST_ASSERT_TRUE(t, create_exit_batches(1000 / 50, tasks));
	if (vmalloc_nr_areas() != areas_before)
		monitor_exec("vmallocinfo");    /* which area, and whose: for the report */
	KTEST_EXPECT_EQ(t, vmalloc_nr_areas(), areas_before);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), free_before);
}

/* ---- the monitor's view: ps, bt <pid>, bench_switch ---------------------------- */

static char out[4096];

static int run_cmd(const char *line)
{
	console_capture_start(out, sizeof(out));
	int ret = monitor_exec(line);
	console_capture_stop();
	return ret;
}

static __noinline int sleepy_thread(void *data)
{
	wait_for_completion(data);
	return 0;
}

static void ps_and_bt_show_a_sleeping_task(struct ktest *t)
{
	DECLARE_COMPLETION(wake);
	struct task_struct *k = kthread_run(sleepy_thread, &wake, "sleepy");
	KTEST_ASSERT_NOT_NULL(t, k);
	int pid = k->pid;
	while (READ_ONCE(k->state) == TASK_RUNNING)     /* until it sleeps */
		msleep(1);
	char line[64], cmd[16];
	snprintf(line, sizeof(line), "%5d     1 D", pid);
	KTEST_EXPECT_EQ(t, run_cmd("ps"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "sleepy"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, line));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "swapper/0"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "reaper"));
	snprintf(cmd, sizeof(cmd), "bt %d", pid);
	KTEST_EXPECT_EQ(t, run_cmd(cmd), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "sleepy/"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "schedule"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "wait_for_completion"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "sleepy_thread+0x"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "ret_from_kernel_thread+0x"));
	KTEST_EXPECT_NE(t, run_cmd("bt 99999"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "no task with pid 99999"));
	complete(&wake);
	KTEST_EXPECT_EQ(t, run_cmd("bench_switch"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "TSC cycles per switch"));
}

/* ---- expected panics (lock_debug) ------------------------------------------------------ */

static DEFINE_SPINLOCK(sched_test_lock);
static DEFINE_MUTEX(test_mutex);

static bool need_lock_debug(struct ktest *t)
{
	if (!lock_debug)
		ktest_skip(t, "boot with lock_debug");
	return lock_debug;
}

static void msleep_holding_spinlock(struct ktest *t)
{
	if (!need_lock_debug(t))
		return;
	spin_lock(&sched_test_lock);
	msleep(1);
	spin_unlock(&sched_test_lock);
}

static int hold_test_mutex(void *data)
{
	mutex_lock(&test_mutex);
	complete(data);
	while (!kthread_should_stop())
		msleep(10);
	return 0;
}

static void mutex_unlock_by_non_owner(struct ktest *t)
{
	if (!need_lock_debug(t))
		return;
	DECLARE_COMPLETION(locked);
	KTEST_ASSERT_NOT_NULL(t, kthread_run(hold_test_mutex, &locked, "mutex-owner"));
	wait_for_completion(&locked);
	mutex_unlock(&test_mutex);              /* init does not own it */
}

static void mutex_recursion(struct ktest *t)
{
	if (!need_lock_debug(t))
		return;
	mutex_lock(&test_mutex);
	mutex_lock(&test_mutex);
}

/*
 * An interrupt storm in which every interrupt asks for a reschedule while
 * nothing else waits to run: each exit runs preempt_schedule_irq, whose
 * __schedule returns at once with interrupts on, and the next interrupt
 * arrives before the loop turns them off. Each must not nest one
 * preempt_schedule_irq deeper than the last: that overflowed the idle
 * task's stack once (ufs.x86_64.q35). A self-IPI on a spare MSI vector
 * that sends itself again makes the storm; the case fills the unused part
 * of its stack with a pattern first and then sees how much of it the storm
 * overwrote.
 */
static int storm_left;
static u32 storm_vector;

static void storm_nop(unsigned int irq) { }
static void storm_eoi(unsigned int irq) { lapic_eoi(); }
static const struct irq_chip storm_chip = { "ktest self-IPI", storm_nop, storm_nop, storm_eoi, NULL, NULL };

static irqreturn_t storm_interrupt(unsigned int irq, void *dev)
{
	if (storm_left > 0) {
		storm_left--;
		this_cpu_write(need_resched_flag, 1);
		lapic_send_ipi(lapic_id(), storm_vector);
	}
	return IRQ_HANDLED;
}

#define STACK_PATTERN 0x5a5a5a5aUL

static __attribute__((noinline)) unsigned long fill_stack_below(unsigned long *bottom)
{
	unsigned long *sp = __builtin_frame_address(0);
	for (unsigned long *p = bottom; p < sp - 64; p++)     /* 64 words below this frame */
		*p = STACK_PATTERN;
	return (unsigned long)sp;
}

static void preempt_irq_storm_stays_shallow(struct ktest *t)
{
	enum { STORM = 40 };
	if (!irq_using_ioapic()) {
		ktest_skip(t, "no local APIC to send a self-IPI (noapic)");
		return;
	}
	int irq = irq_alloc_msi();
	if (irq < 0) {
		ktest_skip(t, "no spare MSI vector");
		return;
	}
	irq_set_chip(irq, &storm_chip);
	storm_vector = IRQ_VECTOR_BASE + irq;
	KTEST_ASSERT_EQ(t, request_irq(irq, storm_interrupt, "ktest-storm", NULL), 0);
	unsigned long *bottom = current->stack;
	unsigned long flags = local_irq_save();
	unsigned long base = fill_stack_below(bottom);
	storm_left = STORM;
	lapic_send_ipi(lapic_id(), storm_vector);
	local_irq_restore(flags);
	unsigned long until = jiffies + HANG_GUARD;
	while (READ_ONCE(storm_left) > 0 && (long)(until - jiffies) > 0)
		cpu_relax();
	free_irq(irq, NULL);
	irq_free_msi(irq);
	KTEST_EXPECT_EQ(t, READ_ONCE(storm_left), 0);
	unsigned long *p = bottom;
	while (*p == STACK_PATTERN)
		p++;
	unsigned long depth = base - (unsigned long)p;
	printk("# %d self-IPIs, each asking for a reschedule: %lu bytes of stack used below the case\n", STORM,
	       depth);
	/* The storm's frames and a timer tick's take about 1 KiB; one more
	 * preempt_schedule_irq per interrupt took 40 times that. */
	KTEST_EXPECT_LT(t, depth, 3072);
}

static struct ktest_case sched_cases[] = {
	KTEST_CASE(many_threads_all_finish),
	KTEST_CASE(pingpong_one_cpu),
	KTEST_CASE(pingpong_two_cpus),
	KTEST_CASE(mutex_from_every_cpu),
	KTEST_CASE(completion_one_then_all),
	KTEST_CASE(wait_event_timeout_expires),
	KTEST_CASE(spinner_does_not_starve_others),
	KTEST_CASE(bound_thread_stays_on_its_cpu),
	KTEST_CASE(msleep_wakes_in_order),
	KTEST_CASE(kthread_stop_returns_value),
	KTEST_CASE(exit_and_reap_leak_nothing),
	KTEST_CASE(ps_and_bt_show_a_sleeping_task),
	KTEST_CASE(preempt_irq_storm_stays_shallow),
	KTEST_PANIC_CASE(msleep_holding_spinlock,
			 "BUG: sleeping function called with a spinlock held: lock sched_test_lock"),
	KTEST_PANIC_CASE(mutex_unlock_by_non_owner, "BUG: bad mutex_unlock: mutex test_mutex"),
	KTEST_PANIC_CASE(mutex_recursion, "BUG: mutex recursion: mutex test_mutex"),
	{}
};
KTEST_SUITE(sched, sched_cases);
