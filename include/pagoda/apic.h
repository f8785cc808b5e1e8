/*
 * The APICs. Each CPU has a local APIC (LAPIC: its timer, its end-of-
 * interrupt register, and the mailbox for inter-processor interrupts); the
 * I/O APIC takes device interrupt lines ("GSIs") and sends each as a message
 * with a vector to a chosen LAPIC. The ACPI MADT tells where they are
 * (kernel/x86/acpi_madt.c). Boots with `noapic`, or without a MADT, keep the
 * legacy 8259 and one CPU.
 */
#ifndef PAGODA_APIC_H
#define PAGODA_APIC_H

#include <pagoda/types.h>
#include <pagoda/smp.h>

/* -- the MADT, as parsed ------------------------------------------------ */
#define MADT_MAX_CPUS 32
#define MADT_MAX_OVERRIDES 16

struct madt_cpu { u32 apic_id; bool enabled; };
struct madt_override {
	u8 bus, source_irq;             /* bus 0 = ISA */
	u32 gsi;
	u16 flags;                      /* MPS INTI flags: bits 0-1 polarity, 2-3 trigger */
};
struct madt_info {
	bool found;
	phys_addr_t lapic_addr;         /* after the 64-bit override, if any */
	bool lapic_addr_overridden;
	bool pcat_compat;               /* an 8259 pair is present */
	int nr_cpus;
	struct madt_cpu cpus[MADT_MAX_CPUS];
	bool has_ioapic;
	u8 ioapic_id;
	phys_addr_t ioapic_addr;
	u32 ioapic_gsi_base;
	int nr_ioapics;                 /* only the first is used */
	int nr_overrides;
	struct madt_override overrides[MADT_MAX_OVERRIDES];
	int nr_lapic_nmi;
};
extern struct madt_info madt;
/* Read the MADT ("APIC") through acpi_find_table. Boot CPU, once. */
void acpi_madt_init(void);

/* -- local APIC (kernel/x86/apic.c) ------------------------------------------- */
#define LAPIC_TIMER_VECTOR   0xef
#define CALL_FUNCTION_VECTOR 0xf1
#define RESCHEDULE_VECTOR    0xf2       /* a task was woken for this CPU */
#define LAPIC_ERROR_VECTOR   0xfe
#define SPURIOUS_VECTOR      0xff

extern bool apic_enabled;       /* LAPIC + IOAPIC in use (false: 8259, one CPU) */
extern bool noapic;             /* command line */
extern unsigned long lapic_timer_per_tick;      /* LAPIC counts per 1/HZ s (divide 16) */

void lapic_init_this_cpu(void);         /* enable, spurious/error vectors, LINTs; every CPU */
u32 lapic_id(void);                     /* the running CPU's APIC id */
void lapic_eoi(void);
/* Interrupts off (time_measure_rates): start this CPU's timer counting
 * down from 0xffffffff, read it, stop it. lapic_timer_start() restarts the
 * tick. */
void lapic_timer_count_start(void);
u32 lapic_timer_count_read(void);
void lapic_timer_count_stop(void);
void lapic_timer_start(void);           /* periodic HZ on this CPU */
/* Send an IPI. icr_lo: vector | delivery mode bits; dest: an APIC id. */
#define APIC_DM_FIXED  0x000
#define APIC_DM_NMI    0x400
#define APIC_DM_INIT   0x500
#define APIC_DM_STARTUP 0x600
#define APIC_LEVEL_ASSERT 0x4000
#define APIC_TRIG_LEVEL   0x8000
int lapic_send_ipi(u32 dest_apic_id, u32 icr_lo);       /* 0, or -1 if the ICR stayed busy */
void lapic_error_interrupt(void);
unsigned long lapic_errors(void);
void lapic_timer_interrupt(void);

/* -- I/O APIC (kernel/x86/io_apic.c) ------------------------------------------- */
/* Route the IOAPIC and mask the 8259s; after acpi_madt_init and lapic init. */
void io_apic_init(void);
/* The GSI and its INTI flags for an ISA IRQ, after the MADT overrides. */
u32 isa_irq_to_gsi(unsigned int irq, u16 *flags);
void io_apic_mask(unsigned int irq);
void io_apic_unmask(unsigned int irq);
/* Set the trigger of a pin an irq uses: level (PCI) or edge (ISA default). */
void io_apic_set_level(unsigned int irq, bool level, bool active_low);
/* For `irqs`: describe the route of irq into buf. */
void io_apic_describe(unsigned int irq, char *buf, size_t size);
unsigned int io_apic_pins(void);
/* The pin irq is routed to, with its redirection entry as the chip holds
 * it; -1 if irq has no pin. */
int io_apic_get_route(unsigned int irq, u32 *lo, u32 *hi);

#endif
