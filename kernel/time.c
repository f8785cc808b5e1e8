/*
 * The timer tick (PIT channel 0, IRQ 0, until smp_init hands the tick to
 * CPU 0's local APIC timer) and the TSC clock. The TSC and the LAPIC timer
 * are calibrated together against PIT channel 2, which can be gated and
 * polled without interrupts: count how many TSC cycles and LAPIC timer
 * decrements pass while the PIT counts 2 ms. One window for both.
 */
#include <pagoda/time.h>
#include <pagoda/apic.h>
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

static bool lapic_owns_tick;

/*
 * After the handover the PIT is no clock any more, but its first tick still
 * proves that IRQ 0 reaches us through the I/O APIC (the MADT override to
 * GSI 2): that tick frees the line (its count stays in `irqs`). Waiting for
 * it at the handover cost up to 10 ms of every boot.
 */
static irqreturn_t timer_interrupt(unsigned int irq, void *dev)
{
	if (!READ_ONCE(lapic_owns_tick)) {
		timer_tick();
		scheduler_tick();       /* the only tick with noapic */
	} else {
		free_irq(0, NULL);
	}
	return IRQ_HANDLED;
}

/* The boot CPU's LAPIC timer now calls timer_tick(). */
void time_pit_tick_stop(void)
{
	WRITE_ONCE(lapic_owns_tick, true);
}

/*
 * One window of PIT channel 2 (mode 0: its output rises when the count
 * runs out), timed by the TSC and, with the LAPIC on, by the LAPIC timer.
 * Each end is bracketed by two TSC reads: the PIT started somewhere
 * between the two around the write that starts it, and ran out between the
 * last poll that saw it low and the one that saw it high. Under TCG on a
 * busy host one port access can stall for milliseconds (QEMU's lock): the
 * brackets show it, and time_measure_rates() retries such a window.
 */
struct pit_window {
	u64 cycles;             /* TSC cycles over the window (bracket midpoints) */
	u64 slack;              /* the brackets' total width: the uncertainty */
	u32 lapic_counted;      /* LAPIC timer decrements ... */
	u64 lapic_cycles;       /* ... over this many TSC cycles */
	u64 lapic_slack;
};

static bool pit_window(unsigned int us, struct pit_window *w)
{
	u16 count = (u64)PIT_HZ * us / 1000000;

	outb((inb(PORT_B) & ~0x02) | 0x01, PORT_B);   /* gate on, speaker off */
	outb(0xb0, PIT_CMD);                            /* ch2, lo/hi, mode 0 */
	outb(count & 0xff, PIT_CH2);
	if (apic_enabled)
		lapic_timer_count_start();
	u64 s0 = rdtsc();
	outb(count >> 8, PIT_CH2);                      /* the PIT starts counting */
	u64 s1 = rdtsc();
	u32 l0 = apic_enabled ? lapic_timer_count_read() : 0;
	u64 s2 = rdtsc();

	u64 e0 = s2, e1;
	unsigned long spins = 0;
	for (;;) {
		u64 before = rdtsc();
		bool out = inb(PORT_B) & 0x20;
		e1 = rdtsc();
		if (out)
			break;
		e0 = before;
		if (++spins > 100000000UL)
			return false;
	}
	u32 l1 = apic_enabled ? lapic_timer_count_read() : 0;
	u64 e2 = rdtsc();

	w->cycles = (e0 + e1) / 2 - (s0 + s1) / 2;
	w->slack = (s1 - s0) + (e1 - e0);
	w->lapic_counted = l0 - l1;
	w->lapic_cycles = (e1 + e2) / 2 - (s1 + s2) / 2;
	w->lapic_slack = (s2 - s1) + (e2 - e1);
	return true;
}

#define CAL_US          2000    /* +-1 PIT count (0.84 us) is 0.04% of this */
#define CAL_MAX_US      8000
#define CAL_TOTAL_US    16000   /* then the best window so far ... */
#define CAL_FAIR_PPM    5000    /* ... if it is known to 0.5% */
#define CAL_LIMIT_US    200000  /* else more tries, up to this */
#define CAL_SLACK_PPM   1000    /* accept a window known to 0.1% */

/*
 * The brackets' width is a few port and LAPIC accesses, a fixed time (1.5
 * us on a quiet TCG host, 3-5 us on a busy one) whatever the window's
 * length: a window that missed the mark is followed by one long enough to
 * make it (at most 8 ms), not by more of the same. Repeating 2 ms windows
 * took all 8 tries, 16 ms of every boot, on the busy CI machine; 16 ms
 * stays the most it may take (unless no window came within 0.5%: below),
 * and a stall still gets up to 8 short tries.
 */
static unsigned int next_window_us(unsigned int us, const struct pit_window *w)
{
	u64 need = (u64)us * (w->slack + w->lapic_slack) * 1000000 / (w->cycles ? w->cycles : 1);
	need = need * 5 / (4 * CAL_SLACK_PPM);          /* a quarter to spare */
	/* Past 8 ms the brackets were not wide but stalled (the vCPU thread
	 * descheduled inside one): a longer window would not help, another
	 * try would, so the next one is short again. */
	if (need > CAL_MAX_US)
		return CAL_US;
	return need < us ? us : (unsigned int)need;
}

bool time_measure_rates(struct time_rates *r)
{
	struct pit_window best = { 0 }, w;
	unsigned int us = CAL_US, best_us = CAL_US;
	r->windows = 0;
	r->us = 0;
	/* A short first window, not used: under TCG, the first run of this
	 * code is translated, which widens its brackets. */
	if (!pit_window(100, &w))
		return false;
	for (;;) {
		r->windows++;
		r->us += us;
		if (!pit_window(us, &w))
			return false;
		/* Compare uncertainties in ppm: the windows differ in length. */
		if (!best.cycles || (w.slack + w.lapic_slack) * best.cycles < (best.slack + best.lapic_slack) * w.cycles) {
			best = w;
			best_us = us;
		}
		if ((w.slack + w.lapic_slack) * 1000000 <= w.cycles * CAL_SLACK_PPM)
			break;
		us = next_window_us(us, &w);
		/* Past 16 ms, a window known to 0.5% will do. On a host so busy
		 * that every window stalled (8 test QEMUs on 2 CPUs: the best of
		 * 8 was 66% off), keep trying: a clock that far off would make
		 * every timeout and rate wrong. */
		unsigned int limit = (best.slack + best.lapic_slack) * 1000000 <= best.cycles * CAL_FAIR_PPM ?
			CAL_TOTAL_US : CAL_LIMIT_US;
		if (r->us + CAL_US > limit)
			break;
		if (us > limit - r->us)
			us = limit - r->us;
	}
	if (apic_enabled)
		lapic_timer_count_stop();
	r->tsc_khz = best.cycles * 1000 / best_us;
	r->lapic_per_tick = apic_enabled && best.lapic_cycles ?
		(unsigned long)((u64)best.lapic_counted * (r->tsc_khz * 1000 / HZ) / best.lapic_cycles) : 0;
	r->ppm = (best.slack + best.lapic_slack) * 1000000 / (best.cycles ? best.cycles : 1);
	return r->tsc_khz != 0;
}

/* The TSC's rate in kHz (0: the PIT does not count); with the LAPIC on,
 * also the LAPIC timer's. */
static u64 calibrate(void)
{
	struct time_rates r;
	if (!time_measure_rates(&r))
		return 0;
	pr_info("time: calibrated in %d PIT window%s, %u us in all, uncertainty %llu ppm\n", r.windows,
		r.windows == 1 ? "" : "s", r.us, r.ppm);
	if (apic_enabled) {
		lapic_timer_per_tick = r.lapic_per_tick;
		pr_info("apic: LAPIC timer %lu.%03lu MHz (bus clock / 16), %lu counts per tick, calibrated in the PIT window\n",
			lapic_timer_per_tick * HZ / 1000000, lapic_timer_per_tick * HZ / 1000 % 1000,
			lapic_timer_per_tick);
	}
	return r.tsc_khz;
}

void time_init(void)
{
	tsc_khz = calibrate();
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
