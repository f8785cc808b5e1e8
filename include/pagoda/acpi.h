/* Just enough ACPI to power off: find the FADT and the S5 sleep type. */
#ifndef PAGODA_ACPI_H
#define PAGODA_ACPI_H

#include <pagoda/types.h>

struct acpi_info {
	bool found;                     /* FADT located */
	u32 pm1a_cnt;                   /* PM1a control port */
	u16 slp_typ_s5;                 /* SLP_TYPa value for S5 */
	bool s5_from_dsdt;              /* false: QEMU's default (0) assumed */
	char oem_id[7];
	int revision;
};
extern struct acpi_info acpi;

/* Walk RSDP -> RSDT/XSDT -> FADT -> DSDT through early_memremap. */
void acpi_init(void);
/* Find a table by signature; returns its physical address or 0. */
phys_addr_t acpi_find_table(const char sig[4]);

#endif
