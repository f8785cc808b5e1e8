/* `lspci`: every PCI function with its IDs, class, BARs, IRQ and capabilities. */
#include <pagoda/pci.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>

static void print_caps(const struct pci_dev *d)
{
	static const struct { u8 id; const char *name; } caps[] = {
		{ PCI_CAP_ID_PM, "PM" }, { PCI_CAP_ID_MSI, "MSI" }, { PCI_CAP_ID_PCIE, "PCIe" },
		{ PCI_CAP_ID_MSIX, "MSI-X" }, { PCI_CAP_ID_SATA, "SATA" },
	};
	bool any = false;
	for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		u8 pos = pci_find_capability(d, caps[i].id);
		if (pos) {
			printk(KERN_CONT "%s%s@%#x", any ? " " : "        capabilities: ", caps[i].name, pos);
			any = true;
		}
	}
	if (any)
		printk(KERN_CONT "\n");
}

static int cmd_lspci(int argc, char **argv)
{
	for (int i = 0; i < pci_device_count(); i++) {
		const struct pci_dev *d = pci_get_device_at(i);
		printk("%02x:%02x.%x %04x:%04x class %02x:%02x:%02x %s", d->bus, d->dev, d->fn,
		       d->vendor, d->device, d->class, d->subclass, d->prog_if,
		       pci_class_name(d->class, d->subclass, d->prog_if));
		if (d->irq_pin)
			printk(KERN_CONT ", IRQ %u (pin %c)", d->irq_line, 'A' + d->irq_pin - 1);
		printk(KERN_CONT "\n");
		for (int b = 0; b < 6; b++) {
			const struct pci_bar *bar = &d->bar[b];
			if (!bar->size)
				continue;
			printk("        BAR%d %s %#llx size %#llx%s%s\n", b, bar->io ? "io " : "mem",
			       (unsigned long long)bar->base, (unsigned long long)bar->size,
			       bar->is64 ? " 64-bit" : "", bar->prefetch ? " prefetchable" : "");
		}
		print_caps(d);
	}
	char how[96];
	printk("%d PCI functions; configuration space through %s\n", pci_device_count(),
	       pci_config_mechanism(how, sizeof(how)));
	return 0;
}
MONITOR_CMD(lspci, cmd_lspci, "", "PCI functions: bus:dev.fn, vendor:device, class, BARs, IRQ, capabilities");
