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

#endif
