/*
 * Cross-CPU calls. Each CPU has a one-call mailbox: a sender claims the
 * target's mailbox (busy), writes the function, its argument and where to
 * report completion, raises `pending` and sends the call-function IPI. The
 * target takes the call, frees the mailbox at once (so mailboxes are held
 * only until pick-up, never while a sender waits: no cycles between
 * senders), runs the function with interrupts off and sets the sender's
 * done flag. Every wait loop here services the waiter's own mailbox, so two
 * CPUs that call each other with interrupts off both make progress.
 *
 * Also: smp_run_on_all_cpus (a job every CPU runs in thread context), the
 * panic stop (an NMI to every other CPU), and the per-CPU base.
 */
#include <pagoda/smp.h>
#include <pagoda/apic.h>
#include <pagoda/bitops.h>
#include <pagoda/errno.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/spinlock.h>
#include <pagoda/time.h>
#include <asm/desc.h>
#include <asm/processor.h>

DEFINE_PER_CPU(int, cpu_number);       /* set for every CPU by setup_per_cpu_areas */
DEFINE_PER_CPU(struct cpu_info_smp, cpu_info);
volatile unsigned long cpu_online_mask = 1;     /* the BSP */
unsigned int nr_cpus_possible = 1;

void percpu_init_this_cpu(int cpu)
{
	percpu_set_base(cpu);
}

unsigned int num_online_cpus(void)
{
	return hweight_long(cpu_online_mask);
}

struct call_slot {
	volatile int busy;              /* claimed by a sender */
	volatile int pending;           /* fn/info/done valid, not yet taken */
	smp_call_func_t fn;
	void *info;
	volatile int *done;             /* the sender's flag, NULL: no wait */
} __aligned(64);
/* Aligned: senders on other CPUs write it. */
static DEFINE_PER_CPU_ALIGNED(struct call_slot, call_slots);

#define CALL_TIMEOUT_MS 5000

/* Take the call waiting in this CPU's mailbox, if any, and run it. */
static void service_own_mailbox(void)
{
	struct call_slot *s = this_cpu_ptr(&call_slots);
	if (!__atomic_exchange_n(&s->pending, 0, __ATOMIC_ACQUIRE))
		return;
	smp_call_func_t fn = s->fn;
	void *info = s->info;
	volatile int *done = s->done;
	__atomic_store_n(&s->busy, 0, __ATOMIC_RELEASE);
	unsigned long flags = local_irq_save();
	fn(info);
	this_cpu_ptr(&cpu_info)->ipis++;
	local_irq_restore(flags);
	if (done)
		__atomic_store_n(done, 1, __ATOMIC_RELEASE);
}

void smp_call_function_interrupt(void)
{
	lapic_eoi();
	service_own_mailbox();
}

static __noreturn void call_timeout(int cpu, smp_call_func_t fn, const char *what)
{
	panic("smp: CPU %d did not %s %pS within %d ms (CPU %d waiting)", cpu, what, fn,
	      CALL_TIMEOUT_MS, smp_processor_id());
}

static void post_call(int cpu, smp_call_func_t fn, void *info, volatile int *done)
{
	struct call_slot *s = per_cpu_ptr(&call_slots, cpu);
	u64 deadline = rdtsc() + tsc_khz * CALL_TIMEOUT_MS;
	while (__atomic_exchange_n(&s->busy, 1, __ATOMIC_ACQUIRE)) {
		service_own_mailbox();
		cpu_relax();
		if (rdtsc() > deadline)
			call_timeout(cpu, s->fn, "take the call before");
	}
	s->fn = fn;
	s->info = info;
	s->done = done;
	__atomic_store_n(&s->pending, 1, __ATOMIC_RELEASE);
	lapic_send_ipi(per_cpu(cpu_info, cpu).apic_id, CALL_FUNCTION_VECTOR);
}

static void wait_done(int cpu, smp_call_func_t fn, volatile int *done)
{
	u64 deadline = rdtsc() + tsc_khz * CALL_TIMEOUT_MS;
	while (!__atomic_load_n(done, __ATOMIC_ACQUIRE)) {
		service_own_mailbox();
		cpu_relax();
		if (rdtsc() > deadline)
			call_timeout(cpu, fn, "finish");
	}
}

int smp_call_function_single(int cpu, smp_call_func_t fn, void *info, bool wait)
{
	if (!cpu_online(cpu))
		return -EINVAL;
	if (cpu == smp_processor_id()) {
		unsigned long flags = local_irq_save();
		fn(info);
		local_irq_restore(flags);
		return 0;
	}
	volatile int done = 0;
	post_call(cpu, fn, info, wait ? &done : NULL);
	if (wait)
		wait_done(cpu, fn, &done);
	return 0;
}

void smp_call_function(smp_call_func_t fn, void *info, bool wait)
{
	volatile int done[NR_CPUS] = { 0 };
	int me = smp_processor_id(), cpu;
	unsigned long targets = cpu_online_mask & ~(1UL << me);
	for_each_online_cpu(cpu)
		if (targets & (1UL << cpu))
			post_call(cpu, fn, info, wait ? &done[cpu] : NULL);
	if (!wait)
		return;
	for_each_online_cpu(cpu)
		if (targets & (1UL << cpu))
			wait_done(cpu, fn, &done[cpu]);
}

void on_each_cpu(smp_call_func_t fn, void *info, bool wait)
{
	unsigned long flags = local_irq_save();
	fn(info);
	local_irq_restore(flags);
	smp_call_function(fn, info, wait);
}

/* -- jobs for every CPU, in thread context ------------------------------- */
static struct {
	void (*fn)(void *arg, int cpu);
	void *arg;
	volatile unsigned long gen;
	volatile int remaining;
} job;
/* Not a spinlock: the BSP runs the job itself meanwhile, and a job may
 * block (allocate with GFP_KERNEL), which no spinlock holder may do. */
static volatile int job_running;

static void wake_up(void *unused) { }

void smp_run_on_all_cpus(void (*fn)(void *arg, int cpu), void *arg)
{
	int me = smp_processor_id();
	if (me != 0) {
		printk(KERN_WARNING "smp_run_on_all_cpus: called on CPU %d, not the boot CPU; running fn here only\n", me);
		fn(arg, me);
		return;
	}
	if (__atomic_exchange_n(&job_running, 1, __ATOMIC_ACQUIRE)) {
		printk(KERN_WARNING "smp_run_on_all_cpus: called from inside a job (%pS); running fn here only\n", fn);
		fn(arg, me);
		return;
	}
	job.fn = fn;
	job.arg = arg;
	job.remaining = num_online_cpus() - 1;
	__atomic_add_fetch(&job.gen, 1, __ATOMIC_RELEASE);
	smp_call_function(wake_up, NULL, false);
	fn(arg, me);
	while (__atomic_load_n(&job.remaining, __ATOMIC_ACQUIRE) > 0) {
		service_own_mailbox();
		cpu_relax();
	}
	__atomic_store_n(&job_running, 0, __ATOMIC_RELEASE);
}

/* An AP's life after check-in: its idle task. It runs the jobs of
 * smp_run_on_all_cpus (so a job must not sleep: an idle task never does)
 * and the tasks of its run queue, and halts when there is neither. */
__noreturn void smp_ap_idle(void)
{
	unsigned long seen = job.gen;
	int me = smp_processor_id();
	for (;;) {
		local_irq_disable();
		if (need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		unsigned long gen = __atomic_load_n(&job.gen, __ATOMIC_ACQUIRE);
		if (gen != seen) {
			seen = gen;
			local_irq_enable();
			job.fn(job.arg, me);
			__atomic_sub_fetch(&job.remaining, 1, __ATOMIC_RELEASE);
			continue;
		}
		safe_halt();            /* sti; hlt: an IPI or tick ends it */
	}
}

/* -- stopping the others on panic ---------------------------------------- */
static volatile int stopping;

bool smp_stop_nmi(void)
{
	if (!stopping)
		return false;
	int me = smp_processor_id();
	per_cpu(cpu_info, me).state = CPU_STOPPED;
	__atomic_and_fetch(&cpu_online_mask, ~(1UL << me), __ATOMIC_RELEASE);
	for (;;) {
		local_irq_disable();
		halt();
	}
}

void smp_send_stop(void)
{
	int me = smp_processor_id(), cpu;
	if (!apic_enabled || num_online_cpus() <= 1)
		return;
	stopping = 1;
	/* An NMI gets through even to a CPU spinning with interrupts off. */
	for_each_online_cpu(cpu)
		if (cpu != me)
			lapic_send_ipi(per_cpu(cpu_info, cpu).apic_id, APIC_DM_NMI);
	u64 deadline = rdtsc() + tsc_khz * 100;
	while (num_online_cpus() > 1 && rdtsc() < deadline)
		cpu_relax();
}
