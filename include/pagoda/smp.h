/*
 * CPUs. The boot CPU (BSP) finds the others in the ACPI MADT and starts
 * them (kernel/x86/smpboot.c); each CPU then has a dense logical id, 0 for the
 * BSP, which smp_processor_id() reads from the CPU's own per-CPU area
 * (through GS on x86_64, FS on i386: <pagoda/percpu.h>). Per-CPU data
 * across the kernel is DEFINE_PER_CPU data, one copy per CPU.
 *
 * Kernel code never migrates between CPUs (<pagoda/sched.h>: a kernel thread
 * stays on the CPU it was created on, a user process moves only at the user
 * boundary), so the id is stable for as long as the kernel code runs. The cross-CPU calls below run a
 * function in interrupt context on other CPUs (kernel/smp.c).
 */
#ifndef PAGODA_SMP_H
#define PAGODA_SMP_H

#include <pagoda/types.h>
#include <pagoda/percpu.h>
#include <pagoda/threads.h>             /* NR_CPUS: the most supported */

DECLARE_PER_CPU(int, cpu_number);

/* The running CPU's logical id, 0..NR_CPUS-1 (BSP = 0). Any context. */
static inline int smp_processor_id(void)
{
	return this_cpu_read_stable(cpu_number);
}

extern volatile unsigned long cpu_online_mask;  /* bit n: logical CPU n is online */
unsigned int num_online_cpus(void);
static inline bool cpu_online(int cpu)
{
	return cpu >= 0 && cpu < NR_CPUS && (cpu_online_mask & (1UL << cpu));
}
/* The first online CPU after cpu (-1: the first of all), or NR_CPUS. */
static inline int cpu_next_online(int cpu)
{
	while (++cpu < NR_CPUS && !cpu_online(cpu))
		;
	return cpu;
}
#define for_each_online_cpu(cpu) \
	for ((cpu) = cpu_next_online(-1); (cpu) < NR_CPUS; (cpu) = cpu_next_online(cpu))

typedef void (*smp_call_func_t)(void *info);
/* Run fn(info) on `cpu` (may be self: then run directly with irqs off). If
 * wait, return after fn returned there. Runs in IPI (interrupt) context on
 * the target, interrupts off. 0, or -EINVAL when cpu is not online. */
int smp_call_function_single(int cpu, smp_call_func_t fn, void *info, bool wait);
/* Run on every other online CPU. */
void smp_call_function(smp_call_func_t fn, void *info, bool wait);
/* Run on every online CPU including this one (self with irqs off). */
void on_each_cpu(smp_call_func_t fn, void *info, bool wait);
/* All three may be called with interrupts disabled: while waiting, the caller
 * services IPIs sent to itself, so two CPUs calling each other cannot
 * deadlock. Not from NMI. */

/* Run fn(arg, cpu) concurrently on all online CPUs in normal (thread)
 * context with interrupts enabled -- the BSP runs it too -- and return when
 * every CPU has finished. For stress tests and benches. APs idle in a hlt
 * loop between such jobs. Call from the BSP's thread context. */
void smp_run_on_all_cpus(void (*fn)(void *arg, int cpu), void *arg);

/* What the kernel knows of each CPU (logical id order). */
enum cpu_state { CPU_ABSENT, CPU_BOOTING, CPU_ONLINE, CPU_STOPPED };
struct cpu_info_smp {
	u32 apic_id;
	enum cpu_state state;
	volatile unsigned long ticks;   /* this CPU's LAPIC timer interrupts */
	unsigned long ipis;             /* call-function IPIs it handled */
	unsigned long stack_top;        /* its kernel stack (APs: vmalloc, guard below) */
};
DECLARE_PER_CPU(struct cpu_info_smp, cpu_info);  /* per_cpu(cpu_info, cpu) */
extern unsigned int nr_cpus_possible;  /* CPUs the MADT lists as usable (capped by maxcpus) */
extern u32 cpu_failed_apic_ids[NR_CPUS];        /* APs that never checked in */
extern int nr_cpus_failed;

/* Boot: start every CPU the MADT lists (after time and irq setup). */
void smp_init(void);
/* Panic: stop every other CPU (NMI), so the report is not interleaved. */
void smp_send_stop(void);
/* The call-function IPI handler and the NMI-stop check (kernel/x86/traps.c). */
void smp_call_function_interrupt(void);
bool smp_stop_nmi(void);
/* Boot internals (kernel/x86/smpboot.c, kernel/smp.c). */
void smp_reserve_trampoline(void);
__attribute__((noreturn)) void smp_ap_start(void);
__attribute__((noreturn)) void smp_ap_idle(void);
/* Point the running CPU's per-CPU base register at CPU cpu's area. */
void percpu_init_this_cpu(int cpu);

#endif
