/*
 * The layouts of the ACPI firmware tables Pagoda reads, as the ACPI
 * specification defines them (field names as in the spec and in Linux's
 * include/acpi/actbl*.h). Packed: the firmware lays them out byte by byte,
 * often at unaligned addresses. Read them through early_memremap.
 */
#ifndef PAGODA_ACTBL_H
#define PAGODA_ACTBL_H

#include <pagoda/types.h>

/* Root System Description Pointer: found by the boot loader (multiboot2
 * hands over a copy). Revision 0 (ACPI 1.0) ends after rsdt_physical_address:
 * 20 bytes; revision 2 adds the XSDT. */
struct acpi_table_rsdp {
	char signature[8];              /* "RSD PTR " */
	u8 checksum;                    /* of the first 20 bytes */
	char oem_id[6];
	u8 revision;                    /* 0: ACPI 1.0; 2: ACPI 2.0+ */
	u32 rsdt_physical_address;
	u32 length;                     /* revision 2: of the whole RSDP */
	u64 xsdt_physical_address;
	u8 extended_checksum;
	u8 reserved[3];
} __attribute__((packed));
#define ACPI_RSDP_REV0_SIZE 20

/* Every System Description Table starts with this. */
struct acpi_table_header {
	char signature[4];
	u32 length;                     /* of the table, header included */
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char asl_compiler_id[4];
	u32 asl_compiler_revision;
} __attribute__((packed));

/* RSDT and XSDT: the header, then 32-bit (RSDT) or 64-bit (XSDT) physical
 * addresses of the other tables, as many as the length leaves room for. */
struct acpi_table_rsdt {
	struct acpi_table_header header;
	u32 table_offset_entry[];
} __attribute__((packed));

struct acpi_table_xsdt {
	struct acpi_table_header header;
	u64 table_offset_entry[];
} __attribute__((packed));

/* Generic Address Structure: a register in some address space. */
struct acpi_generic_address {
	u8 space_id;
	u8 bit_width;
	u8 bit_offset;
	u8 access_width;
	u64 address;
} __attribute__((packed));

/* Fixed ACPI Description Table ("FACP"), up to the 64-bit DSDT address
 * (ACPI 2.0); later revisions append more. */
struct acpi_table_fadt {
	struct acpi_table_header header;
	u32 facs;
	u32 dsdt;                       /* physical address of the DSDT */
	u8 model;
	u8 preferred_profile;
	u16 sci_interrupt;
	u32 smi_command;
	u8 acpi_enable;
	u8 acpi_disable;
	u8 s4_bios_request;
	u8 pstate_control;
	u32 pm1a_event_block;
	u32 pm1b_event_block;
	u32 pm1a_control_block;         /* I/O port of PM1a_CNT: SLP_TYP, SLP_EN */
	u32 pm1b_control_block;
	u32 pm2_control_block;
	u32 pm_timer_block;
	u32 gpe0_block;
	u32 gpe1_block;
	u8 pm1_event_length;
	u8 pm1_control_length;
	u8 pm2_control_length;
	u8 pm_timer_length;
	u8 gpe0_block_length;
	u8 gpe1_block_length;
	u8 gpe1_base;
	u8 cst_control;
	u16 c2_latency;
	u16 c3_latency;
	u16 flush_size;
	u16 flush_stride;
	u8 duty_offset;
	u8 duty_width;
	u8 day_alarm;
	u8 month_alarm;
	u8 century;
	u16 boot_flags;
	u8 reserved;
	u32 flags;
	struct acpi_generic_address reset_register;
	u8 reset_value;
	u16 arm_boot_flags;
	u8 minor_revision;
	u64 Xfacs;
	u64 Xdsdt;
} __attribute__((packed));

/* Multiple APIC Description Table ("APIC"): the header, then
 * variable-length entries, each starting with struct acpi_subtable_header. */
struct acpi_table_madt {
	struct acpi_table_header header;
	u32 address;                    /* the local APICs' physical address */
	u32 flags;                      /* ACPI_MADT_PCAT_COMPAT: 8259 pair present */
} __attribute__((packed));
#define ACPI_MADT_PCAT_COMPAT 1

struct acpi_subtable_header {
	u8 type;                        /* enum acpi_madt_type */
	u8 length;                      /* of the entry, this header included */
} __attribute__((packed));

enum acpi_madt_type {
	ACPI_MADT_TYPE_LOCAL_APIC = 0,
	ACPI_MADT_TYPE_IO_APIC = 1,
	ACPI_MADT_TYPE_INTERRUPT_OVERRIDE = 2,
	ACPI_MADT_TYPE_NMI_SOURCE = 3,
	ACPI_MADT_TYPE_LOCAL_APIC_NMI = 4,
	ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE = 5,
	ACPI_MADT_TYPE_LOCAL_X2APIC = 9,
};

struct acpi_madt_local_apic {
	struct acpi_subtable_header header;
	u8 processor_id;
	u8 id;                          /* the local APIC id */
	u32 lapic_flags;                /* bit 0: enabled; bit 1: online capable */
} __attribute__((packed));

struct acpi_madt_io_apic {
	struct acpi_subtable_header header;
	u8 id;
	u8 reserved;
	u32 address;
	u32 global_irq_base;            /* the first GSI its pins serve */
} __attribute__((packed));

struct acpi_madt_interrupt_override {
	struct acpi_subtable_header header;
	u8 bus;                         /* 0: ISA */
	u8 source_irq;
	u32 global_irq;
	u16 inti_flags;                 /* polarity (bits 0-1), trigger mode (bits 2-3) */
} __attribute__((packed));

struct acpi_madt_local_apic_override {
	struct acpi_subtable_header header;
	u16 reserved;
	u64 address;
} __attribute__((packed));

struct acpi_madt_local_x2apic {
	struct acpi_subtable_header header;
	u16 reserved;
	u32 local_apic_id;
	u32 lapic_flags;
	u32 uid;
} __attribute__((packed));

/* The offsets the specification gives, checked at build time. */
_Static_assert(__builtin_offsetof(struct acpi_table_rsdp, revision) == 15, "RSDP layout");
_Static_assert(__builtin_offsetof(struct acpi_table_rsdp, rsdt_physical_address) == 16, "RSDP layout");
_Static_assert(__builtin_offsetof(struct acpi_table_rsdp, xsdt_physical_address) == 24, "RSDP layout");
_Static_assert(sizeof(struct acpi_table_rsdp) == 36, "RSDP layout");
_Static_assert(sizeof(struct acpi_table_header) == 36, "SDT header layout");
_Static_assert(__builtin_offsetof(struct acpi_table_fadt, dsdt) == 40, "FADT layout");
_Static_assert(__builtin_offsetof(struct acpi_table_fadt, pm1a_control_block) == 64, "FADT layout");
_Static_assert(__builtin_offsetof(struct acpi_table_fadt, reset_register) == 116, "FADT layout");
_Static_assert(sizeof(struct acpi_table_fadt) == 148, "FADT layout");
_Static_assert(sizeof(struct acpi_table_madt) == 44, "MADT layout");
_Static_assert(sizeof(struct acpi_madt_interrupt_override) == 10, "MADT layout");
_Static_assert(sizeof(struct acpi_madt_local_x2apic) == 16, "MADT layout");

#endif
