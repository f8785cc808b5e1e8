/*
 * The local APIC, in xAPIC mode: a page of 32-bit registers at a physical
 * address the MADT gives (0xfee00000 on PCs), mapped uncached (PCD|PWT, as
 * ioremap would) into a fixmap slot: a mapping made once at boot and never
 * undone, so it is not an area in the vmalloc region.
 * Every CPU sees its own LAPIC at that same address. Here: enabling it,
 * end-of-interrupt, the error and spurious vectors, the per-CPU timer and
 * sending inter-processor interrupts through the ICR.
 */
#include <pagoda/apic.h>
#include <pagoda/cmdline.h>
#include <asm/fixmap.h>
#include <pagoda/irq.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/time.h>
#include <asm/processor.h>

#define LAPIC_ID      0x020
#define LAPIC_VER     0x030
#define LAPIC_TPR     0x080
#define LAPIC_EOI     0x0b0
#define LAPIC_SVR     0x0f0
#define LAPIC_ESR     0x280
#define LAPIC_ICR_LO  0x300
#define LAPIC_ICR_HI  0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3e0

#define LVT_MASKED    (1u << 16)
#define LVT_PERIODIC  (1u << 17)
#define ICR_BUSY      (1u << 12)
#define SVR_ENABLE    (1u << 8)
#define APICBASE_ENABLE (1u << 11)

bool apic_enabled;
bool noapic;
unsigned long lapic_timer_per_tick;
static volatile u32 *lapic;
static unsigned long nr_errors;

CMDLINE_FLAG(noapic, noapic, "use the legacy 8259 PIC and one CPU (no LAPIC/IOAPIC, no SMP)");

static inline u32 lapic_read(u32 reg) { return lapic[reg / 4]; }
static inline void lapic_write(u32 reg, u32 v) { lapic[reg / 4] = v; }

u32 lapic_id(void)
{
	return lapic ? lapic_read(LAPIC_ID) >> 24 : 0;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_init_this_cpu(void)
{
	if (!lapic) {
		set_fixmap(FIX_APIC_BASE, madt.lapic_addr, PAGE_KERNEL_IO);
		lapic = (volatile u32 *)(fix_to_virt(FIX_APIC_BASE) + (unsigned long)(madt.lapic_addr & ~PAGE_MASK));
	}
	/* The MSR's global enable, then the software enable in the SVR with
	 * the spurious vector: an interrupt withdrawn while the CPU acks it
	 * arrives there and needs no EOI. */
	wrmsr(MSR_IA32_APICBASE, rdmsr(MSR_IA32_APICBASE) | APICBASE_ENABLE);
	lapic_write(LAPIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	lapic_write(LAPIC_TPR, 0);
	/* LINT0 carries the 8259 in virtual-wire mode: off, the IOAPIC does
	 * that job now. LINT1 is wired to NMI on the boot CPU. */
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, smp_processor_id() == 0 ? APIC_DM_NMI : LVT_MASKED);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_ERROR_VECTOR);
	lapic_write(LAPIC_ESR, 0);              /* the ESR is written before each read */
	lapic_write(LAPIC_ESR, 0);
	lapic_eoi();                            /* nothing stale in service */
}

void lapic_error_interrupt(void)
{
	lapic_write(LAPIC_ESR, 0);
	u32 esr = lapic_read(LAPIC_ESR);
	nr_errors++;
	lapic_eoi();
	if (nr_errors < 10)
		printk(KERN_WARNING "apic: CPU %d LAPIC error, ESR %#x\n", smp_processor_id(), esr);
}

unsigned long lapic_errors(void)
{
	return nr_errors;
}

int lapic_send_ipi(u32 dest, u32 icr_lo)
{
	unsigned long flags = local_irq_save();
	/* ICR_HI then ICR_LO (the write to LO sends), interrupts off so that a
	 * handler sending its own IPI cannot slip between the two writes. */
	lapic_write(LAPIC_ICR_HI, dest << 24);
	lapic_write(LAPIC_ICR_LO, icr_lo);
	int ret = 0;
	for (unsigned long spins = 0; lapic_read(LAPIC_ICR_LO) & ICR_BUSY; spins++) {
		if (spins > 1000000) {
			ret = -1;
			break;
		}
		cpu_relax();
	}
	local_irq_restore(flags);
	return ret;
}

/*
 * The LAPIC timer's rate (the bus clock, divided by 16 here) is unknown:
 * time_init() lets it count down during the PIT window that calibrates the
 * TSC and reads it at both ends (lapic_timer_count_read). Reads are polled,
 * so no interrupt latency enters the figure (one-PIT-tick windows were off
 * by up to 18% under TCG).
 */
void lapic_timer_count_start(void)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3);              /* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
}

u32 lapic_timer_count_read(void)
{
	return lapic_read(LAPIC_TIMER_CUR);
}

void lapic_timer_count_stop(void)
{
	lapic_write(LAPIC_TIMER_INIT, 0);
}

void lapic_timer_start(void)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, lapic_timer_per_tick ? lapic_timer_per_tick : 100000);
}

void lapic_timer_interrupt(void)
{
	int cpu = smp_processor_id();
	per_cpu(cpu_info, cpu).ticks++;
	lapic_eoi();
	/* One clock for the machine: only CPU 0 advances jiffies. */
	if (cpu == 0)
		timer_tick();
	scheduler_tick();
}
