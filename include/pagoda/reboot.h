/*
 * Leaving the machine. Under QEMU the kernel reports its verdict through the
 * isa-debug-exit device (port 0xf4): writing v makes QEMU exit with status
 * (v << 1) | 1, so the test runner sees 33 = pass, 35 = fail, 37 = panic.
 * machine_power_off() is a clean ACPI S5 shutdown: QEMU exits with 0.
 */
#ifndef PAGODA_REBOOT_H
#define PAGODA_REBOOT_H

#include <pagoda/compiler.h>

enum qemu_exit_code {
	QEMU_EXIT_PASS  = 0x10,     /* status 33 */
	QEMU_EXIT_FAIL  = 0x11,     /* status 35 */
	QEMU_EXIT_PANIC = 0x12,     /* status 37 */
};

/* Exit QEMU with code; if there is no isa-debug-exit device, halt forever. */
__noreturn void qemu_exit(enum qemu_exit_code code);
/* ACPI S5 (soft off); falls back to halting with a message. */
__noreturn void machine_power_off(void);
/* Stop this CPU for good with interrupts off. */
__noreturn void machine_halt(void);

#endif
