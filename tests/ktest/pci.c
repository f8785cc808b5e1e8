/*
 * PCI enumeration checked against what QEMU is known to provide. The
 * manifest (tests/manifest.d/pci.ini) attaches the devices: an AHCI
 * controller (built into q35, -device ahci on pc), a virtio-rng with a
 * 64-bit BAR, and on pc a PCI-to-PCI bridge with a device behind it.
 */
#include <pagoda/ktest.h>
#include <pagoda/pci.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

static void host_bridge_first(struct ktest *t)
{
	struct pci_dev *d = pci_get_device_at(0);
	KTEST_ASSERT_NOT_NULL(t, d);
	KTEST_EXPECT_EQ(t, d->bus, 0);
	KTEST_EXPECT_EQ(t, d->dev, 0);
	KTEST_EXPECT_EQ(t, d->class, 0x06);
	KTEST_EXPECT_EQ(t, d->subclass, 0x00);
	KTEST_EXPECT_EQ(t, d->vendor, 0x8086);
}

static void ahci_found_and_sized(struct ktest *t)
{
	struct pci_dev *d = pci_find_class(0x01, 0x06, 0x01, NULL);
	KTEST_ASSERT_NOT_NULL(t, d);
	KTEST_EXPECT_EQ(t, d->vendor, 0x8086);
	KTEST_EXPECT_EQ(t, d->device, 0x2922);          /* ICH9 AHCI */
	KTEST_EXPECT_FALSE(t, d->bar[5].io);
	KTEST_EXPECT_EQ(t, d->bar[5].size, 0x1000);     /* ABAR: 4 KiB of registers */
	KTEST_EXPECT_NE(t, d->bar[5].base, 0);
	KTEST_EXPECT_EQ(t, d->bar[5].base & 0xfff, 0);
	KTEST_EXPECT_NE(t, pci_find_capability(d, PCI_CAP_ID_MSI), 0);
	KTEST_EXPECT_NE(t, pci_find_capability(d, PCI_CAP_ID_SATA), 0);
	KTEST_EXPECT_EQ(t, pci_find_capability(d, 0x7f), 0);
	KTEST_EXPECT_PTR_EQ(t, pci_find_device(0x8086, 0x2922, NULL), d);
	KTEST_EXPECT_NULL(t, pci_find_class(0x01, 0x06, 0x01, d));        /* only one */
}

static void bar64_sized(struct ktest *t)
{
	struct pci_dev *d = pci_find_device(0x1af4, 0x1005, NULL);
	if (!d) {
		ktest_skip(t, "no virtio-rng-pci attached");
		return;
	}
	KTEST_EXPECT_TRUE(t, d->bar[4].is64);
	KTEST_EXPECT_TRUE(t, d->bar[4].prefetch);
	KTEST_EXPECT_EQ(t, d->bar[4].size, 0x4000);
	KTEST_EXPECT_EQ(t, d->bar[5].size, 0);          /* the upper half of BAR4 */
	KTEST_EXPECT_TRUE(t, d->bar[0].io);
	KTEST_EXPECT_NE(t, pci_find_capability(d, PCI_CAP_ID_MSIX), 0);
}

static void bridge_traversal(struct ktest *t)
{
	struct pci_dev *bridge = pci_find_class(0x06, 0x04, -1, NULL);
	if (!bridge) {
		ktest_skip(t, "no PCI-to-PCI bridge attached");
		return;
	}
	u8 secondary = pci_read_config8(bridge, PCI_SECONDARY_BUS);
	KTEST_ASSERT_NE(t, secondary, 0);
	bool found = false;
	for (int i = 0; i < pci_device_count(); i++)
		found |= pci_get_device_at(i)->bus == secondary;
	KTEST_EXPECT_TRUE(t, found);
}

static void config_space_read_write(struct ktest *t)
{
	struct pci_dev *d = pci_find_class(0x01, 0x06, 0x01, NULL);
	KTEST_ASSERT_NOT_NULL(t, d);
	u8 saved = pci_read_config8(d, PCI_INTERRUPT_LINE);
	u16 word = pci_read_config16(d, PCI_INTERRUPT_LINE);
	pci_write_config16(d, PCI_INTERRUPT_LINE, (word & 0xff00) | 0x5a);
	KTEST_EXPECT_EQ(t, pci_read_config8(d, PCI_INTERRUPT_LINE), 0x5a);
	KTEST_EXPECT_EQ(t, pci_read_config8(d, PCI_INTERRUPT_PIN), word >> 8);
	pci_write_config16(d, PCI_INTERRUPT_LINE, (word & 0xff00) | saved);
	KTEST_EXPECT_EQ(t, pci_read_config8(d, PCI_INTERRUPT_LINE), saved);
}

static void enable_and_master(struct ktest *t)
{
	struct pci_dev *d = pci_find_class(0x01, 0x06, 0x01, NULL);
	KTEST_ASSERT_NOT_NULL(t, d);
	pci_enable_device(d);
	pci_set_master(d);
	u16 cmd = pci_read_config16(d, PCI_COMMAND);
	KTEST_EXPECT_TRUE(t, cmd & PCI_COMMAND_MEMORY);
	KTEST_EXPECT_TRUE(t, cmd & PCI_COMMAND_MASTER);
}

static void lspci_lists_devices(struct ktest *t)
{
	static char out[4096];
	console_capture_start(out, sizeof(out));
	int ret = monitor_exec("lspci");
	console_capture_stop();
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "8086:2922 class 01:06:01 SATA controller (AHCI)"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "BAR5 mem"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "PCI functions"));
}

/*
 * Both mechanisms, one config space. Where ECAM covers a device's bus, the
 * first 256 bytes read through it must equal what mechanism #1 reads, for
 * every function found. On pc there is no MCFG: the accessors are
 * mechanism #1 and ECAM reads all ones.
 */
static void ecam_matches_mechanism1(struct ktest *t)
{
	char how[96];
	pci_config_mechanism(how, sizeof(how));
	int compared = 0;
	for (int i = 0; i < pci_device_count(); i++) {
		const struct pci_dev *d = pci_get_device_at(i);
		if (!pci_ecam_covers(d->bus)) {
			KTEST_EXPECT_EQ(t, pci_ecam_read32(d->bus, d->dev, d->fn, 0), 0xffffffff);
			continue;
		}
		for (u16 off = 0; off < PCI_CFG_SPACE_SIZE; off += 4) {
			u32 a = pci_conf1_read32(d->bus, d->dev, d->fn, (u8)off);
			u32 b = pci_ecam_read32(d->bus, d->dev, d->fn, off);
			if (a != b) {
				ktest_fail_msg(t, __FILE__, __LINE__, "%02x:%02x.%x offset %#x: mechanism #1 %#x, ECAM %#x",
					       d->bus, d->dev, d->fn, off, a, b);
				return;
			}
			compared++;
		}
		/* The accessors drivers use agree too. */
		KTEST_EXPECT_EQ(t, pci_read_config32(d, PCI_VENDOR_ID), pci_conf1_read32(d->bus, d->dev, d->fn, 0));
	}
	if (strstr(how, "ECAM at"))
		KTEST_EXPECT_EQ(t, compared, pci_device_count() * 64);
	else
		KTEST_EXPECT_EQ(t, compared, 0);
}

/*
 * Extended config space (offset 0x100 and up) exists only on PCIe
 * functions and only through ECAM. q35's pcie-root-port (the manifest adds
 * one) keeps its AER extended capability at 0x100: header ID 0x0001. A
 * conventional PCI function (the ICH9 AHCI) reads all ones there.
 */
static void extended_config_space(struct ktest *t)
{
	struct pci_dev *port = NULL;
	for (struct pci_dev *d = pci_find_class(0x06, 0x04, -1, NULL); d; d = pci_find_class(0x06, 0x04, -1, d))
		if (pci_find_capability(d, PCI_CAP_ID_PCIE))
			port = d;
	if (!port || !pci_ecam_covers(port->bus)) {
		ktest_skip(t, "no PCIe root port reachable through ECAM (q35 with -device pcie-root-port)");
		return;
	}
	u32 hdr = pci_read_config_ext32(port, 0x100);
	KTEST_EXPECT_EQ(t, hdr & 0xffff, 0x0001);               /* PCI_EXT_CAP_ID_ERR (AER) */
	KTEST_EXPECT_EQ(t, hdr, pci_ecam_read32(port->bus, port->dev, port->fn, 0x100));
	/* Walk the extended capability list: every header names a capability
	 * and points forward (or ends), within 4 KiB. */
	int caps = 0;
	for (u16 pos = 0x100; pos && caps < 64; caps++) {
		u32 h = pci_read_config_ext32(port, pos);
		KTEST_EXPECT_NE(t, h & 0xffff, 0);
		KTEST_EXPECT_NE(t, h, 0xffffffff);
		u16 nxt = (h >> 20) & 0xffc;
		KTEST_EXPECT_TRUE(t, nxt == 0 || nxt > pos);
		pos = nxt > pos ? nxt : 0;
	}
	KTEST_EXPECT_GE(t, caps, 1);
	KTEST_EXPECT_LT(t, caps, 64);
	struct pci_dev *ahci = pci_find_class(0x01, 0x06, 0x01, NULL);
	if (ahci && !pci_find_capability(ahci, PCI_CAP_ID_PCIE))
		KTEST_EXPECT_EQ(t, pci_read_config_ext32(ahci, 0x100), 0xffffffff);
}

static void lspci_names_mechanism(struct ktest *t)
{
	static char out[4096];
	char how[96];
	console_capture_start(out, sizeof(out));
	monitor_exec("lspci");
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, pci_config_mechanism(how, sizeof(how))));
}

static struct ktest_case pci_cases[] = {
	KTEST_CASE(host_bridge_first),
	KTEST_CASE(ahci_found_and_sized),
	KTEST_CASE(bar64_sized),
	KTEST_CASE(bridge_traversal),
	KTEST_CASE(config_space_read_write),
	KTEST_CASE(enable_and_master),
	KTEST_CASE(lspci_lists_devices),
	KTEST_CASE(ecam_matches_mechanism1),
	KTEST_CASE(extended_config_space),
	KTEST_CASE(lspci_names_mechanism),
	{}
};
KTEST_SUITE(pci, pci_cases);
