/*
 * Time: a tick HZ times a second (jiffies) -- the PIT's IRQ 0 at first,
 * then CPU 0's local APIC timer (kernel/x86/apic.c), or the PIT for good with
 * `noapic`; the TSC, calibrated against the PIT at boot, gives nanoseconds
 * and cycle counts for benchmarks. Under QEMU/TCG all follow the host's
 * clock.
 */
#ifndef PAGODA_TIME_H
#define PAGODA_TIME_H

#include <pagoda/types.h>

#define HZ 100

extern volatile unsigned long jiffies;
extern u64 tsc_khz;             /* TSC ticks per millisecond */
extern u64 boot_tsc;            /* TSC at the kernel's first instruction (boot/) */

void time_init(void);           /* calibrate the TSC, start the tick */
u64 ktime_get_ns(void);         /* nanoseconds since boot, from the TSC */
u64 tsc_to_ns(u64 cycles);
/* Call fn on every tick, in interrupt context (drivers' timeout checks).
 * 0, or -1 when the few hook slots are taken. */
int register_tick_hook(void (*fn)(void));
/* One tick: jiffies++ and the hooks. From the PIT's IRQ 0, or from CPU 0's
 * LAPIC timer once time_pit_tick_stop() handed the tick over (the PIT's
 * next tick then frees IRQ 0: it proves the line's route, without a wait). */
void timer_tick(void);
void time_pit_tick_stop(void);

/*
 * Measure the TSC's rate and (with the LAPIC on) this CPU's LAPIC timer's
 * against PIT channel 2: a 2 ms window, each end bracketed by TSC reads,
 * then longer ones (up to 8 ms) while the brackets say the window is known
 * to worse than 0.1% (a busy host, a stalled port access under TCG). time_init() calibrates with it; tests
 * re-measure. Interrupts off; it stops this CPU's LAPIC timer (restart it
 * with lapic_timer_start()). false if the PIT does not count.
 */
struct time_rates {
	u64 tsc_khz;
	unsigned long lapic_per_tick;   /* LAPIC counts per 1/HZ s; 0 without the LAPIC */
	int windows;                    /* PIT windows it took */
	unsigned int us;                /* their lengths, summed */
	u64 ppm;                        /* the chosen window's uncertainty */
};
bool time_measure_rates(struct time_rates *r);
void udelay(unsigned long us);  /* busy-wait; any context */
void mdelay(unsigned long ms);

#endif
