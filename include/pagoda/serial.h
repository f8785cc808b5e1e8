/* The COM1 console (drivers/serial.c): polled output, interrupt-driven input. */
#ifndef PAGODA_SERIAL_H
#define PAGODA_SERIAL_H

#include <pagoda/types.h>

void serial_init(void);          /* early: output only, polled */
void serial_enable_input(void);  /* after irq_init: IRQ 4 fills the input ring */
void serial_write(const char *s, size_t n);
void serial_putc(char c);
/* Next input byte; sleeps until one arrives (on a wait queue once the
 * scheduler runs; before, in hlt). Process context only. */
int serial_getc(void);
/* Next input byte or -1 if none is waiting. Any context. */
int serial_trygetc(void);

/*
 * Sharing the input between the monitor and user programs (debug_read):
 * while the monitor reads a line it claims the input, and user readers
 * take nothing until it releases it. Claims nest; any context but an
 * interrupt handler.
 */
void serial_input_claim(void);
void serial_input_release(void);
/* Up to n bytes that are waiting, without sleeping: 0 if none, or if the
 * monitor holds the input. Any context. */
size_t serial_read_unclaimed(char *buf, size_t n);
/* False when IRQ 4 could not be had and input is polled: a reader must
 * poll too (nothing wakes serial_rx_wait). */
bool serial_input_by_irq(void);
/* Woken when bytes arrive and when the monitor releases the input. */
struct wait_queue_head;
extern struct wait_queue_head serial_rx_wait;

#endif
