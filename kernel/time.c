/*
 * The timer tick (PIT channel 0, IRQ 0, until smp_init hands the tick to
 * CPU 0's local APIC timer) and the TSC clock. The TSC is
 * calibrated against PIT channel 2, which can be gated and polled without
 * interrupts: count how many TSC cycles pass while the PIT counts 5 ms.
 */
#include <pagoda/time.h>
#include <pagoda/irq.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <asm/io.h>
#include <asm/processor.h>

#define PIT_HZ 1193182
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B  0x61            /* bit 0: channel 2 gate, bit 5: its output */

volatile unsigned long jiffies;
u64 tsc_khz;
u64 boot_tsc;

#define MAX_TICK_HOOKS 4
static void (*tick_hooks[MAX_TICK_HOOKS])(void);

int register_tick_hook(void (*fn)(void))
{
	for (int i = 0; i < MAX_TICK_HOOKS; i++) {
		if (!tick_hooks[i]) {
			tick_hooks[i] = fn;
			return 0;
		}
	}
	return -1;
}

void timer_tick(void)
{
	jiffies++;
	for (int i = 0; i < MAX_TICK_HOOKS; i++)
		if (tick_hooks[i])
			tick_hooks[i]();
}

static irqreturn_t timer_interrupt(unsigned int irq, void *dev)
{
	timer_tick();
	scheduler_tick();               /* the only tick with noapic */
	return IRQ_HANDLED;
}

/* The boot CPU's LAPIC timer now calls timer_tick(): silence the PIT's IRQ 0
 * (it has served to calibrate the LAPIC timer; counts stay in `irqs`). */
void time_pit_tick_stop(void)
{
	free_irq(0, NULL);
}

static u64 calibrate_tsc_khz(void)
{
	const unsigned ms = 5;          /* +-1 PIT count (0.84 us) is 0.02% of this */
	u16 count = PIT_HZ * ms / 1000;

	outb((inb(PORT_B) & ~0x02) | 0x01, PORT_B);   /* gate on, speaker off */
	outb(0xb0, PIT_CMD);                            /* ch2, lo/hi, mode 0 */
	outb(count & 0xff, PIT_CH2);
	outb(count >> 8, PIT_CH2);
	u64 t0 = rdtsc();
	unsigned long spins = 0;
	while (!(inb(PORT_B) & 0x20)) {                 /* output goes high at 0 */
		if (++spins > 100000000UL)
			return 0;
	}
	u64 t1 = rdtsc();
	return (t1 - t0) / ms;
}

void time_init(void)
{
	tsc_khz = calibrate_tsc_khz();
	if (!tsc_khz) {
		pr_warn("time: TSC calibration failed, assuming 1 GHz\n");
		tsc_khz = 1000000;
	}
	u16 div = PIT_HZ / HZ;
	outb(0x34, PIT_CMD);                            /* ch0, lo/hi, rate generator */
	outb(div & 0xff, PIT_CH0);
	outb(div >> 8, PIT_CH0);
	request_irq(0, timer_interrupt, "timer", NULL);
	pr_info("time: TSC %llu.%03llu MHz, tick %d Hz\n", tsc_khz / 1000, tsc_khz % 1000, HZ);
}

u64 tsc_to_ns(u64 cycles)
{
	/* Split to keep cycles * 1e6 from overflowing for long uptimes. */
	return cycles / tsc_khz * 1000000 + cycles % tsc_khz * 1000000 / tsc_khz;
}

u64 ktime_get_ns(void)
{
	return tsc_khz ? tsc_to_ns(rdtsc() - boot_tsc) : 0;
}

void udelay(unsigned long us)
{
	u64 end = rdtsc() + (tsc_khz ? tsc_khz : 1000000) * us / 1000;
	while (rdtsc() < end)
		cpu_relax();
}

void mdelay(unsigned long ms)
{
	while (ms--)
		udelay(1000);
}
