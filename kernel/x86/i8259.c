/*
 * The legacy 8259 interrupt controllers (master at 0x20, slave at 0xa0,
 * cascaded on IRQ 2). The BIOS leaves them on vectors 8-15, which collide
 * with CPU exceptions, so they are remapped to 0x20-0x2f. All lines start
 * masked; request_irq() unmasks a line. (The SMP work moves to the APICs.)
 */
#include <pagoda/irq.h>
#include <asm/io.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIC_EOI 0x20

static u16 mask = 0xffff & ~(1 << 2);       /* everything but the cascade */

static void write_mask(void)
{
	outb(mask & 0xff, PIC1_DATA);
	outb(mask >> 8, PIC2_DATA);
}

void i8259_init(void)
{
	outb(0x11, PIC1_CMD);   io_delay();     /* ICW1: init, expect ICW4 */
	outb(0x11, PIC2_CMD);   io_delay();
	outb(IRQ_VECTOR_BASE, PIC1_DATA); io_delay();     /* ICW2: vector base */
	outb(IRQ_VECTOR_BASE + 8, PIC2_DATA); io_delay();
	outb(0x04, PIC1_DATA);  io_delay();     /* ICW3: slave on IRQ 2 */
	outb(0x02, PIC2_DATA);  io_delay();
	outb(0x01, PIC1_DATA);  io_delay();     /* ICW4: 8086 mode */
	outb(0x01, PIC2_DATA);  io_delay();
	write_mask();
}

void i8259_mask(unsigned int irq)
{
	mask |= 1 << irq;
	write_mask();
}

void i8259_unmask(unsigned int irq)
{
	mask &= ~(1 << irq);
	write_mask();
}

void i8259_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC_EOI, PIC2_CMD);
	outb(PIC_EOI, PIC1_CMD);
}

/* IRQ 7 and 15 may fire without a request behind them (the in-service bit
 * is clear): such spurious interrupts get no EOI (IRQ 15's master half does). */
bool i8259_spurious(unsigned int irq)
{
	if (irq != 7 && irq != 15)
		return false;
	u16 cmd = irq == 7 ? PIC1_CMD : PIC2_CMD;
	outb(0x0b, cmd);                        /* read the in-service register */
	if (inb(cmd) & 0x80)
		return false;
	if (irq == 15)
		outb(PIC_EOI, PIC1_CMD);
	return true;
}
