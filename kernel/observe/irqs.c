/*
 * `irqs`: every interrupt line with its route, per-CPU counts and handlers; IPIs and LAPIC timer ticks per CPU.
 */
#include <pagoda/apic.h>
#include <pagoda/irq.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>

static int cmd_irqs(int argc, char **argv)
{
	int cpu;
	printk("IRQ  vector  route                                   ");
	for_each_online_cpu(cpu)
		printk(KERN_CONT "   CPU%d", cpu);
	printk(KERN_CONT "  handlers\n");
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		const char *names[IRQ_MAX_HANDLERS];
		int n = irq_handler_names(irq, names, IRQ_MAX_HANDLERS);
		if (!n && !irq_count(irq))
			continue;
		char route[64];
		irq_describe(irq, route, sizeof(route));
		printk("%3u  %#6x  %-40s", irq, IRQ_VECTOR_BASE + irq, route);
		for_each_online_cpu(cpu)
			printk(KERN_CONT " %7lu", irq_count_cpu(irq, cpu));
		printk(KERN_CONT " ");
		for (int i = 0; i < n; i++)
			printk(KERN_CONT " %s", names[i]);
		printk(KERN_CONT "\n");
	}
	if (apic_enabled) {
		printk("IPI  %#6x  call-function (LAPIC)                   ", CALL_FUNCTION_VECTOR);
		for_each_online_cpu(cpu)
			printk(KERN_CONT " %7lu", per_cpu(cpu_info, cpu).ipis);
		printk(KERN_CONT "\nLOC  %#6x  LAPIC timer                             ", LAPIC_TIMER_VECTOR);
		for_each_online_cpu(cpu)
			printk(KERN_CONT " %7lu", per_cpu(cpu_info, cpu).ticks);
		printk(KERN_CONT "\nERR  %#6x  LAPIC errors: %lu\n", LAPIC_ERROR_VECTOR, lapic_errors());
	}
	return 0;
}
MONITOR_CMD(irqs, cmd_irqs, "", "interrupt lines: routing (IO-APIC pin/MSI/8259), per-CPU counts, handlers");
