/* panic() and WARN: the last words of the kernel, and the loud complaints. */
#include <pagoda/panic.h>
#include <pagoda/reboot.h>
#include <pagoda/ktest.h>
#include <pagoda/sprintf.h>
#include <pagoda/traps.h>
#include <pagoda/smp.h>
#include <asm/processor.h>

int panic_in_progress;
static int panic_cpu = -1;

static __noreturn void vpanic_at(unsigned long fp, unsigned long pc, const char *fmt, va_list ap)
{
	local_irq_disable();
	int me = smp_processor_id(), old = -1;
	if (!__atomic_compare_exchange_n(&panic_cpu, &old, me, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
	    old != me) {
		/* Another CPU is already reporting: stay out of its way. */
		for (;;)
			halt();
	}
	if (panic_in_progress++) {
		/* A fault while reporting: do not loop, just leave. */
		printk(KERN_EMERG "Kernel panic while panicking; giving up\n");
		qemu_exit(QEMU_EXIT_PANIC);
	}
	/* The other CPUs stop first, so the report is not interleaved. */
	smp_send_stop();
	char msg[256];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	if (nr_cpus_possible > 1)
		printk(KERN_EMERG "CPU: %d (the others were stopped by NMI)\n", me);
	show_backtrace(fp, pc);
	ktest_note_panic();
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", msg);
	qemu_exit(QEMU_EXIT_PANIC);
}

void panic_at(unsigned long fp, unsigned long pc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vpanic_at(fp, pc, fmt, ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vpanic_at(current_frame_pointer(), 0, fmt, ap);
}

void warn_slowpath(const char *file, int line, const char *cond)
{
	printk(KERN_WARNING "WARNING: %s at %s:%d\n", cond, file, line);
	show_backtrace(current_frame_pointer(), 0);
}
