/*
 * Device handles from the kernel side (kernel/ipc/device*.c): which BARs a
 * user-space driver may map (device_bar_refusal: never RAM, never I/O
 * ports, never a page shared with other registers) and the ownership
 * record that keeps a kernel driver's device out of user hands. The
 * system calls themselves are tested from user space (usertests' udev
 * suite, tests/manifest.d/devices.ini). Booted on q35 (its AHCI controller).
 */
#include <pagoda/bootinfo.h>
#include <pagoda/errno.h>
#include <pagoda/ktest.h>
#include <pagoda/pci.h>
#include "../../kernel/ipc/device_internal.h"

/* A bar at [base, base + size) of memory. */
static struct pci_bar mem_bar(u64 base, u64 size)
{
	return (struct pci_bar){ .base = base, .size = size };
}

static void bar_refusal(struct ktest *t)
{
	const struct e820_entry *ram = NULL;
	for (int i = 0; i < bootinfo.nr_mem && !ram; i++)
		if (bootinfo.mem[i].type == E820_TYPE_RAM && bootinfo.mem[i].start >= 0x100000)
			ram = &bootinfo.mem[i];
	KTEST_ASSERT_NOT_NULL(t, ram);

	struct pci_bar b = mem_bar(ram->start, 0x1000);
	KTEST_EXPECT_NOT_NULL(t, device_bar_refusal(&b));       /* RAM itself */
	b = mem_bar(ram->end - 0x1000, 0x2000);
	KTEST_EXPECT_NOT_NULL(t, device_bar_refusal(&b));       /* straddling RAM's end */
	b = mem_bar(0, 0);
	KTEST_EXPECT_NOT_NULL(t, device_bar_refusal(&b));       /* absent */
	b = (struct pci_bar){ .base = 0xc000, .size = 0x40, .io = true };
	KTEST_EXPECT_NOT_NULL(t, device_bar_refusal(&b));       /* I/O ports */
	b = mem_bar(0xfebf0800, 0x800);
	KTEST_EXPECT_NOT_NULL(t, device_bar_refusal(&b));       /* not page-aligned */

	struct pci_dev *ahci = pci_find_class(0x01, 0x06, 0x01, NULL);
	KTEST_ASSERT_NOT_NULL(t, ahci);
	KTEST_EXPECT_NULL(t, device_bar_refusal(&ahci->bar[5]));        /* ABAR: registers */
	KTEST_EXPECT_NOT_NULL(t, device_bar_refusal(&ahci->bar[4]));    /* the legacy I/O BAR */
}

/* The kernel's AHCI driver claimed its controller at probe: nobody else
 * may, until it is given back. */
static void kernel_driver_owns(struct ktest *t)
{
	struct pci_dev *ahci = pci_find_class(0x01, 0x06, 0x01, NULL);
	KTEST_ASSERT_NOT_NULL(t, ahci);
	KTEST_EXPECT_EQ(t, ahci->owner, PCI_OWNER_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, ahci->driver);
	KTEST_EXPECT_STREQ(t, ahci->driver, "ahci");
	KTEST_EXPECT_EQ(t, pci_claim(ahci, PCI_OWNER_HANDLE, NULL), -EBUSY);
	KTEST_EXPECT_EQ(t, device_open((unsigned int)ahci->bus << 8 | (unsigned int)ahci->dev << 3 | ahci->fn), -EBUSY);
	KTEST_EXPECT_EQ(t, device_open(0xffff), -ENODEV);
}

static struct ktest_case device_cases[] = {
	KTEST_CASE(bar_refusal),
	KTEST_CASE(kernel_driver_owns),
	{}
};
KTEST_SUITE(device, device_cases);
