/* Human names for the PCI classes a student meets under QEMU. */
#include <pagoda/pci.h>

const char *pci_class_name(u8 class, u8 subclass, u8 prog_if)
{
	static const struct {
		u8 class, subclass;
		int prog_if;                    /* -1: any */
		const char *name;
	} names[] = {
		{ 0x01, 0x01, -1, "IDE controller" },
		{ 0x01, 0x06, 0x01, "SATA controller (AHCI)" },
		{ 0x01, 0x06, -1, "SATA controller" },
		{ 0x01, 0x08, 0x02, "NVMe controller" },
		{ 0x01, 0x00, -1, "SCSI controller" },
		{ 0x02, 0x00, -1, "Ethernet controller" },
		{ 0x03, 0x00, -1, "VGA controller" },
		{ 0x06, 0x00, -1, "Host bridge" },
		{ 0x06, 0x01, -1, "ISA bridge" },
		{ 0x06, 0x04, -1, "PCI bridge" },
		{ 0x06, 0x80, -1, "Bridge" },
		{ 0x0c, 0x03, -1, "USB controller" },
		{ 0x0c, 0x05, -1, "SMBus controller" },
		{ 0x00, 0xff, -1, "Unclassified device" },
		{ 0x00, 0x00, -1, "Unclassified device" },
	};
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].class == class && names[i].subclass == subclass &&
		    (names[i].prog_if < 0 || names[i].prog_if == prog_if))
			return names[i].name;
	return class == 0xff ? "Unassigned class" : "Other device";
}
