/*
 * Starting the application processors (APs). After reset an AP waits in
 * "wait-for-SIPI" state; the BSP sends it INIT, then two STARTUP IPIs whose
 * vector VV makes it start in real mode at physical address VV000: the
 * trampoline (trampoline_{32,64}.S), copied to a page below 1 MiB that
 * memblock reserved early. The trampoline follows the BSP into protected
 * mode, paging (and long mode), takes the stack the BSP allocated for it
 * and calls smp_ap_start(), which loads this CPU's own GDT/TSS, the IDT,
 * the per-CPU base, enables its LAPIC and timer, and checks in. APs are
 * started one at a time; one that does not check in within a second is
 * reported and left offline. docs/smp.md walks through it with a trace.
 */
#include <pagoda/smp.h>
#include <pagoda/apic.h>
#include <pagoda/cmdline.h>
#include <pagoda/gfp.h>
#include <pagoda/memblock.h>
#include <pagoda/mm.h>
#include <pagoda/panic.h>
#include <pagoda/pgd.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/stacks.h>
#include <pagoda/string.h>
#include <pagoda/time.h>
#include <pagoda/vmalloc.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/trampoline.h>

#define AP_STACK_SIZE (16 * 1024)
#define CHECKIN_TIMEOUT_MS 1000

static int max_cpus = NR_CPUS;
static phys_addr_t trampoline_phys;
static pteval_t *trampoline_pgd;
static unsigned long kernel_cr3;
static volatile int booting_cpu;
static struct task_struct *volatile ap_idle_task;
u32 cpu_failed_apic_ids[NR_CPUS];
int nr_cpus_failed;

static int setup_maxcpus(const char *val)
{
	int n = 0;
	if (!val || !*val)
		goto bad;
	for (const char *p = val; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		n = n * 10 + (*p - '0');
		if (n > 1000)
			goto bad;
	}
	if (n < 1)
		goto bad;
	max_cpus = n < NR_CPUS ? n : NR_CPUS;
	return 0;
bad:
	printk(KERN_ERR "maxcpus: '%s' is not a CPU count >= 1\n", val ? val : "");
	return 1;
}
CMDLINE_OPTION(maxcpus, setup_maxcpus, "start at most this many CPUs (boot CPU included; NR_CPUS is 8)");

static int setup_nosmp(const char *val)
{
	max_cpus = 1;
	return 0;
}
CMDLINE_OPTION(nosmp, setup_nosmp, "start only the boot CPU (LAPIC and IOAPIC still used)");

/* For tests of the check-in timeout: this APIC gets INIT but no STARTUP. */
static long fail_apic = -1;

static int setup_smp_fail_apic(const char *val)
{
	if (!val || val[0] < '0' || val[0] > '9' || val[1]) {
		printk(KERN_ERR "smp_fail_apic: '%s' is not an APIC id 0-9\n", val ? val : "");
		return 1;
	}
	fail_apic = val[0] - '0';
	return 0;
}
CMDLINE_OPTION(smp_fail_apic, setup_smp_fail_apic,
	       "(tests) never send the CPU with this APIC id its STARTUP IPIs: it must be reported and left offline");

/* mm_init, before the first MiB is reserved wholesale: a page for the
 * trampoline, which must sit below 1 MiB for the SIPI vector to reach it. */
void smp_reserve_trampoline(void)
{
	trampoline_phys = memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, 1 << 20, "AP trampoline");
}

/* The page table the AP turns paging on with: an address space like any
 * other (pgd_alloc: the kernel half of swapper_pg_dir, shared below the top
 * level) plus the trampoline page mapped at its own physical address,
 * executable and not global, so the instruction after the CR0 write is
 * still there. The AP loads it with a 32-bit mov to CR3, so the top level
 * must lie below 4 GiB: if pgd_alloc's page does not, it moves to ZONE_DMA. */
static int build_trampoline_pgd(void)
{
	pteval_t *pgd = pgd_alloc();
	if (!pgd)
		return -1;
	if ((u64)__pa(pgd) + PAGE_SIZE > 0x100000000ULL) {
		pteval_t *low = (pteval_t *)get_zeroed_page(GFP_DMA);
		if (!low) {
			pgd_free(pgd);
			return -1;
		}
		memcpy(low, pgd, PAGE_SIZE);
		pgd_free(pgd);
		pgd = low;
	}
	trampoline_pgd = pgd;
	return map_pages(trampoline_pgd, trampoline_phys, trampoline_phys, PAGE_SIZE, _PAGE_PRESENT, false);
}

static void prepare_trampoline(void)
{
	size_t len = trampoline_end - trampoline_start;
	u8 *t = __va(trampoline_phys);
	memcpy(t, trampoline_start, len);
	struct trampoline_params *p = (struct trampoline_params *)(t + TR_PARAMS);
	p->gdt_limit = sizeof(p->gdt) - 1;
	p->gdt_base = trampoline_phys + TR_PARAMS + TRP_GDT;
	p->jump32_off = trampoline_phys + (trampoline_pm32 - trampoline_start);
	p->jump32_sel = 0x08;
	p->jump64_off = trampoline_phys + (trampoline_lm64 - trampoline_start);
	p->jump64_sel = 0x18;
	/* The BSP's own control registers: whatever paging mode this build
	 * uses (2-level, PAE, 4-level; NX or not), the AP enters the same. */
	kernel_cr3 = read_cr3();
	p->cr0 = read_cr0();
	p->cr3 = __pa(trampoline_pgd);
	p->cr4 = read_cr4();
	u64 efer = boot_cpu.has_lm || boot_cpu.has_nx ? rdmsr(MSR_EFER) : 0;
	p->efer_set = efer != 0;
	p->efer_lo = (u32)efer;
	p->efer_hi = (u32)(efer >> 32);
	p->entry = (unsigned long)secondary_startup;
}

static const char *const stack_names[NR_CPUS] = {
	"boot stack", "CPU 1 stack", "CPU 2 stack", "CPU 3 stack",
	"CPU 4 stack", "CPU 5 stack", "CPU 6 stack", "CPU 7 stack",
};

/* A stack in the vmalloc area: the page below it is the previous area's
 * guard page (or never mapped), so an overflow faults there. */
static unsigned long alloc_ap_stack(int cpu)
{
	u8 *s = vmalloc(AP_STACK_SIZE);
	if (!s)
		return 0;
	struct pt_walk w;
	pt_walk(swapper_pg_dir, (unsigned long)s - PAGE_SIZE, &w);
	if (w.present)
		pr_warn("smp: the page below CPU %d's stack is mapped: no guard page\n", cpu);
	stack_register(stack_names[cpu], (unsigned long)s, (unsigned long)s + AP_STACK_SIZE,
		       (unsigned long)s - PAGE_SIZE);
	return (unsigned long)s + AP_STACK_SIZE;
}

/* The AP's first C code: on its own stack, still on the trampoline page
 * table, interrupts off. */
__noreturn void smp_ap_start(void)
{
	write_cr3(kernel_cr3);
	int cpu = booting_cpu;
	cpu_tables_load(cpu);
	if (pat_value)
		wrmsr(MSR_IA32_PAT, pat_value);
	lapic_init_this_cpu();
	if (lapic_id() != per_cpu(cpu_info, cpu).apic_id || per_cpu(cpu_info, cpu).state != CPU_BOOTING) {
		/* Late or unexpected: the BSP has given up on this CPU. */
		for (;;) {
			local_irq_disable();
			halt();
		}
	}
	sched_init_ap(ap_idle_task);    /* this boot context is the CPU's idle task */
	lapic_timer_start();
	per_cpu(cpu_info, cpu).state = CPU_ONLINE;
	__atomic_or_fetch(&cpu_online_mask, 1UL << cpu, __ATOMIC_RELEASE);
	smp_ap_idle();
}

/* Intel family 6 and later, AMD family 15 and later (Linux's rule). */
static bool modern_apic_cpu(void)
{
	if (!strcmp(boot_cpu.vendor, "GenuineIntel"))
		return boot_cpu.family >= 6;
	if (!strcmp(boot_cpu.vendor, "AuthenticAMD"))
		return boot_cpu.family >= 15;
	return false;
}

static bool wait_checkin(int cpu, unsigned int ms)
{
	u64 end = rdtsc() + tsc_khz * ms;
	while (rdtsc() < end) {
		if (cpu_online(cpu))
			return true;
		cpu_relax();
	}
	return cpu_online(cpu);
}

static bool boot_ap(int cpu, u32 apic_id)
{
	unsigned long stack = alloc_ap_stack(cpu);
	if (!stack) {
		pr_warn("smp: no memory for CPU %d's stack\n", cpu);
		return false;
	}
	ap_idle_task = sched_prepare_ap(cpu, stack - AP_STACK_SIZE, stack);
	if (!ap_idle_task) {
		pr_warn("smp: no memory for CPU %d's idle task\n", cpu);
		return false;
	}
	struct trampoline_params *p = (struct trampoline_params *)((u8 *)__va(trampoline_phys) + TR_PARAMS);
	p->stack = stack;
	per_cpu(cpu_info, cpu).apic_id = apic_id;
	per_cpu(cpu_info, cpu).stack_top = stack;
	per_cpu(cpu_info, cpu).state = CPU_BOOTING;
	booting_cpu = cpu;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	u64 t0 = rdtsc();
	/* INIT resets the AP into wait-for-SIPI. Then the STARTUP IPI, sent
	 * twice as the MP specification says (an AP already running ignores
	 * the second). The specification's delays (10 ms after INIT, 200 us
	 * between STARTUPs) were for external APICs (82489DX); CPUs with an
	 * integrated APIC need none after INIT and 10 us between STARTUPs,
	 * which is what Linux uses for them (smp_quirk_init_udelay). */
	bool modern = modern_apic_cpu();
	lapic_send_ipi(apic_id, APIC_DM_INIT | APIC_LEVEL_ASSERT | APIC_TRIG_LEVEL);
	if (!modern)
		mdelay(10);
	u32 vector = trampoline_phys >> PAGE_SHIFT;
	for (int i = 0; i < 2 && !cpu_online(cpu) && (long)apic_id != fail_apic; i++) {
		lapic_send_ipi(apic_id, APIC_DM_STARTUP | vector);
		udelay(modern ? 10 : 200);
	}
	if (!wait_checkin(cpu, CHECKIN_TIMEOUT_MS)) {
		/* INIT again: back to wait-for-SIPI, so it cannot wake up late
		 * and run on the next AP's stack. Its logical id goes to the
		 * next CPU (ids stay dense); `cpus` lists it as failed. */
		lapic_send_ipi(apic_id, APIC_DM_INIT | APIC_LEVEL_ASSERT | APIC_TRIG_LEVEL);
		per_cpu(cpu_info, cpu).state = CPU_ABSENT;
		if (nr_cpus_failed < NR_CPUS)
			cpu_failed_apic_ids[nr_cpus_failed++] = apic_id;
		pr_err("smp: CPU %d (APIC id %u) did not check in within %d ms; left offline\n", cpu,
		       apic_id, CHECKIN_TIMEOUT_MS);
		return false;
	}
	u64 us = tsc_to_ns(rdtsc() - t0) / 1000;
	pr_info("smp: CPU %d (APIC id %u) online after %llu us, stack %lx-%lx\n", cpu, apic_id,
		(unsigned long long)us, stack - AP_STACK_SIZE, stack);
	return true;
}

void smp_init(void)
{
	per_cpu(cpu_info, 0).state = CPU_ONLINE;
	if (!apic_enabled) {
		pr_info("smp: 1 CPU (%s)\n", noapic ? "noapic" : "no LAPIC/IOAPIC");
		return;
	}
	per_cpu(cpu_info, 0).apic_id = lapic_id();
	lapic_timer_start();            /* its rate: time_init() measured it */
	time_pit_tick_stop();

	int listed = 0;
	for (int i = 0; i < madt.nr_cpus; i++)
		listed += madt.cpus[i].enabled;
	nr_cpus_possible = listed < max_cpus ? listed : max_cpus;
	if (nr_cpus_possible <= 1) {
		pr_info("smp: 1 CPU (%d listed in the MADT, maxcpus %d)\n", listed, max_cpus);
		return;
	}
	if (!trampoline_phys || trampoline_phys >= (1 << 20)) {
		pr_err("smp: no trampoline page below 1 MiB; running on one CPU\n");
		return;
	}
	if (build_trampoline_pgd()) {
		pr_err("smp: cannot build the trampoline page table; running on one CPU\n");
		return;
	}
	prepare_trampoline();
	pr_info("smp: trampoline at %#llx (SIPI vector %#llx, page table %#llx), starting %u more CPU%s\n",
		(unsigned long long)trampoline_phys, (unsigned long long)(trampoline_phys >> PAGE_SHIFT),
		(unsigned long long)__pa(trampoline_pgd), nr_cpus_possible - 1, nr_cpus_possible == 2 ? "" : "s");

	int next = 1;
	for (int i = 0; i < madt.nr_cpus && next < (int)nr_cpus_possible; i++) {
		if (!madt.cpus[i].enabled || madt.cpus[i].apic_id == per_cpu(cpu_info, 0).apic_id)
			continue;
		if (madt.cpus[i].apic_id > 254) {
			pr_warn("smp: APIC id %u needs x2APIC mode, which Pagoda lacks; CPU left out\n",
				madt.cpus[i].apic_id);
			continue;
		}
		if (boot_ap(next, madt.cpus[i].apic_id))
			next++;
	}
	pr_info("smp: %u CPUs online\n", num_online_cpus());
}
