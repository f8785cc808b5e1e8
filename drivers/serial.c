/*
 * COM1, a 16550 UART at port 0x3f8: the console. Output is polled so that
 * printk works everywhere, even in a fault handler with interrupts off.
 * Input arrives by interrupt (IRQ 4) into a ring that the monitor drains,
 * or, while the monitor is not reading a line, user programs through
 * debug_read (kernel/console_input.c).
 */
#include <pagoda/serial.h>
#include <pagoda/irq.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/spinlock.h>
#include <pagoda/wait.h>
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

/*
 * Input: IRQ 4 moves bytes from the UART's FIFO to rx_ring; the monitor
 * takes them from there. Nothing is dropped: when the ring is full the
 * bytes stay in the UART (QEMU then stops sending, as a terminal would on
 * hardware flow control) and the consumer moves them once it has made room.
 */
#define RX_RING 256
static char rx_ring[RX_RING];
static unsigned int rx_head, rx_tail;  /* head: next byte in, tail: next byte out */
static bool rx_stalled;                 /* the ring filled up: bytes wait in the UART */
static bool rx_read_since_irq;          /* bytes were read from the UART since an interrupt found none */
static bool input_by_irq;
static int rx_claims;                   /* the monitor reads a line: user readers wait */
static DEFINE_SPINLOCK(rx_lock);
DECLARE_WAIT_QUEUE_HEAD(serial_rx_wait);        /* readers sleeping for input */

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

/* Move bytes from the UART to the ring while both have some; rx_lock held.
 * Returns the number moved. */
static unsigned int rx_drain(void)
{
	unsigned int n = 0;
	while (inb(COM1 + UART_LSR) & LSR_DR) {
		unsigned int next = (rx_head + 1) % RX_RING;
		if (next == rx_tail) {
			rx_stalled = true;      /* leave it in the UART */
			break;
		}
		rx_ring[rx_head] = inb(COM1 + UART_RBR);
		rx_head = next;
		n++;
	}
	if (n)
		rx_read_since_irq = true;
	return n;
}

/*
 * The line is edge-triggered: a byte that arrives while the handler drains
 * raises it again, and the handler takes that byte in the same loop, so the
 * interrupt it latched finds the UART empty. Such an interrupt is still
 * ours: an empty UART is claimed once after any bytes were read (here or
 * by the consumer), and only an interrupt that repeats with nothing read
 * in between counts as unhandled.
 */
static irqreturn_t serial_irq(unsigned int irq, void *dev)
{
	unsigned long flags;
	spin_lock_irqsave(&rx_lock, flags);
	unsigned int n = rx_drain();
	bool ours = n || rx_stalled || rx_read_since_irq;
	if (!n)
		rx_read_since_irq = false;      /* the allowance is used up */
	spin_unlock_irqrestore(&rx_lock, flags);
	if (n)
		wake_up(&serial_rx_wait);
	return ours ? IRQ_HANDLED : IRQ_NONE;
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

/* One byte from the ring, or -1; rx_lock held. */
static int rx_take(void)
{
	if (!input_by_irq)
		rx_drain();
	if (rx_tail == rx_head)
		return -1;
	int c = (unsigned char)rx_ring[rx_tail];
	rx_tail = (rx_tail + 1) % RX_RING;
	/* The bytes left in the UART raise no new interrupt (its line is
	 * still up): move them now that there is room. */
	if (rx_stalled) {
		rx_stalled = false;
		rx_drain();
	}
	return c;
}

int serial_trygetc(void)
{
	unsigned long flags;
	spin_lock_irqsave(&rx_lock, flags);
	int c = rx_take();
	spin_unlock_irqrestore(&rx_lock, flags);
	return c;
}

void serial_input_claim(void)
{
	unsigned long flags;
	spin_lock_irqsave(&rx_lock, flags);
	rx_claims++;
	spin_unlock_irqrestore(&rx_lock, flags);
}

void serial_input_release(void)
{
	unsigned long flags;
	spin_lock_irqsave(&rx_lock, flags);
	rx_claims--;
	spin_unlock_irqrestore(&rx_lock, flags);
	wake_up_all(&serial_rx_wait);   /* user readers may take the input again */
}

/* The claim is tested under the same lock that takes the bytes: once the
 * monitor has claimed the input, no user reader takes one more byte. */
size_t serial_read_unclaimed(char *buf, size_t n)
{
	unsigned long flags;
	size_t got = 0;
	spin_lock_irqsave(&rx_lock, flags);
	while (!rx_claims && got < n) {
		int c = rx_take();
		if (c < 0)
			break;
		buf[got++] = (char)c;
	}
	spin_unlock_irqrestore(&rx_lock, flags);
	return got;
}

bool serial_input_by_irq(void)
{
	return input_by_irq;
}

int serial_getc(void)
{
	for (;;) {
		int c = serial_trygetc();
		if (c >= 0)
			return c;
		/* A task sleeps until the UART's interrupt fills the ring (bytes
		 * left in the UART imply a full ring, so "ring not empty" is
		 * the whole condition); the CPU runs other tasks meanwhile. */
		if (input_by_irq && sched_running && !in_atomic() && !(current->flags & PF_IDLE)) {
			wait_event(serial_rx_wait, READ_ONCE(rx_tail) != READ_ONCE(rx_head));
			continue;
		}
		/* Else halt until the next interrupt (the UART's, or the tick). */
		local_irq_disable();
		if (READ_ONCE(rx_tail) == READ_ONCE(rx_head))
			safe_halt();
		else
			local_irq_enable();
	}
}
