/* IRQ lines and their handlers (irq.h). The controller is the 8259 pair. */
#include <pagoda/irq.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <asm/processor.h>
#include <pagoda/monitor.h>

#define MAX_ACTIONS 4           /* handlers sharing one line */

struct irq_action {
	irq_handler_t handler;
	const char *name;
	void *dev;
};

static struct irq_action actions[NR_IRQS][MAX_ACTIONS];
static unsigned long counts[NR_IRQS];

int request_irq(unsigned int irq, irq_handler_t handler, const char *name, void *dev)
{
	if (irq >= NR_IRQS || !handler)
		return -EINVAL;
	unsigned long flags = local_irq_save();
	int ret = -ENOMEM;
	for (int i = 0; i < MAX_ACTIONS; i++) {
		if (!actions[irq][i].handler) {
			actions[irq][i] = (struct irq_action){ handler, name, dev };
			i8259_unmask(irq);
			ret = 0;
			break;
		}
	}
	local_irq_restore(flags);
	return ret;
}

void free_irq(unsigned int irq, void *dev)
{
	if (irq >= NR_IRQS)
		return;
	unsigned long flags = local_irq_save();
	bool any = false;
	for (int i = 0; i < MAX_ACTIONS; i++) {
		if (actions[irq][i].handler && actions[irq][i].dev == dev)
			actions[irq][i].handler = NULL;
		any |= actions[irq][i].handler != NULL;
	}
	if (!any)
		i8259_mask(irq);
	local_irq_restore(flags);
}

unsigned long irq_count(unsigned int irq)
{
	return irq < NR_IRQS ? counts[irq] : 0;
}

void do_irq(unsigned int irq, struct pt_regs *regs)
{
	if (i8259_spurious(irq))
		return;
	counts[irq]++;
	bool handled = false;
	for (int i = 0; i < MAX_ACTIONS; i++)
		if (actions[irq][i].handler)
			handled |= actions[irq][i].handler(irq, actions[irq][i].dev) == IRQ_HANDLED;
	i8259_eoi(irq);
	if (!handled && counts[irq] < 10)
		printk(KERN_WARNING "irq %u: nobody handled it\n", irq);
}

void irq_init(void)
{
	i8259_init();
}

static int cmd_irqs(int argc, char **argv)
{
	printk("IRQ  vector  count       handlers\n");
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		bool any = false;
		for (int i = 0; i < MAX_ACTIONS; i++)
			any |= actions[irq][i].handler != NULL;
		if (!any && !counts[irq])
			continue;
		printk("%3u  %#6x  %-10lu ", irq, IRQ_VECTOR_BASE + irq, counts[irq]);
		for (int i = 0; i < MAX_ACTIONS; i++)
			if (actions[irq][i].handler)
				printk(KERN_CONT " %s", actions[irq][i].name);
		printk(KERN_CONT "\n");
	}
	return 0;
}
MONITOR_CMD(irqs, cmd_irqs, "", "interrupt lines: counts and handlers");
