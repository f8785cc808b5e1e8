/* Leaving the machine: isa-debug-exit for test verdicts, ACPI S5 for `exit`. */
#include <pagoda/reboot.h>
#include <pagoda/acpi.h>
#include <pagoda/printk.h>
#include <pagoda/time.h>
#include <asm/io.h>
#include <asm/processor.h>

#define ISA_DEBUG_EXIT_PORT 0xf4
#define ACPI_SLP_EN (1 << 13)

void machine_halt(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

void qemu_exit(enum qemu_exit_code code)
{
	outb(code, ISA_DEBUG_EXIT_PORT);
	/* Still here: QEMU has no isa-debug-exit device (or this is not QEMU). */
	printk(KERN_EMERG "qemu_exit: no isa-debug-exit device at port %#x; halting\n", ISA_DEBUG_EXIT_PORT);
	machine_halt();
}

void machine_power_off(void)
{
	if (acpi.found && acpi.pm1a_cnt) {
		outw((u16)((acpi.slp_typ_s5 << 10) | ACPI_SLP_EN), (u16)acpi.pm1a_cnt);
		mdelay(100);          /* the machine should be gone by now */
	}
	printk(KERN_EMERG "power off failed (no ACPI); halting\n");
	machine_halt();
}
