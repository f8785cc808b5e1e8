/*
 * COM1, a 16550 UART at port 0x3f8: the console. Output is polled so that
 * printk works everywhere, even in a fault handler with interrupts off.
 * Input arrives by interrupt (IRQ 4) into a ring that the monitor drains.
 */
#include <pagoda/serial.h>
#include <pagoda/irq.h>
#include <pagoda/printk.h>
#include <asm/io.h>
#include <asm/processor.h>

#define COM1 0x3f8
#define UART_RBR 0      /* receive buffer (read) */
#define UART_THR 0      /* transmit holding (write) */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR   0x01   /* data ready */
#define LSR_THRE 0x20   /* transmit holding register empty */

#define RX_RING 256
static volatile char rx_ring[RX_RING];
static volatile unsigned rx_head, rx_tail;   /* head: producer (IRQ), tail: consumer */
static bool input_by_irq;

void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		cpu_relax();
	outb(c, COM1 + UART_THR);
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

void serial_init(void)
{
	outb(0x00, COM1 + UART_IER);
	outb(0x80, COM1 + UART_LCR);        /* DLAB: the next two set the divisor */
	outb(0x01, COM1 + 0);               /* 115200 baud */
	outb(0x00, COM1 + 1);
	outb(0x03, COM1 + UART_LCR);        /* 8N1 */
	outb(0xc7, COM1 + UART_FCR);        /* FIFOs on, cleared, 14-byte trigger */
	outb(0x0b, COM1 + UART_MCR);        /* DTR, RTS, OUT2 (routes the IRQ) */
	console_register(serial_write);
}

static void rx_drain(void)
{
	while (inb(COM1 + UART_LSR) & LSR_DR) {
		char c = inb(COM1 + UART_RBR);
		unsigned next = (rx_head + 1) % RX_RING;
		if (next != rx_tail) {          /* full: drop, as a real UART overruns */
			rx_ring[rx_head] = c;
			rx_head = next;
		}
	}
}

static irqreturn_t serial_irq(unsigned int irq, void *dev)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DR))
		return IRQ_NONE;
	rx_drain();
	return IRQ_HANDLED;
}

void serial_enable_input(void)
{
	if (request_irq(4, serial_irq, "serial", NULL) == 0) {
		input_by_irq = true;
		outb(0x01, COM1 + UART_IER);    /* interrupt on received data */
	} else {
		pr_warn("serial: no IRQ 4, polling for input\n");
	}
}

int serial_trygetc(void)
{
	if (!input_by_irq)
		rx_drain();
	unsigned long flags = local_irq_save();
	int c = -1;
	if (rx_tail != rx_head) {
		c = (unsigned char)rx_ring[rx_tail];
		rx_tail = (rx_tail + 1) % RX_RING;
	}
	local_irq_restore(flags);
	return c;
}

int serial_getc(void)
{
	for (;;) {
		int c = serial_trygetc();
		if (c >= 0)
			return c;
		/* Sleep until the next interrupt (the UART's, or the timer tick). */
		local_irq_disable();
		if (rx_tail == rx_head)
			safe_halt();
		else
			local_irq_enable();
	}
}
