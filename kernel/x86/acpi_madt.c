/*
 * The ACPI MADT ("APIC" table): which local APICs exist (one per CPU, with
 * an enabled flag), where the I/O APIC is and which GSIs it serves, and
 * the interrupt source overrides that say where an ISA IRQ really arrives
 * (QEMU: the PIT's IRQ 0 comes in on GSI 2) and with which polarity and
 * trigger. The table is a header followed by variable-length entries, each
 * starting with a type byte and a length byte.
 */
#include <pagoda/apic.h>
#include <pagoda/acpi.h>
#include <pagoda/actbl.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <asm/fixmap.h>

struct madt_info madt;

static void add_cpu(u32 apic_id, u32 flags)
{
	/* Bit 0: enabled; bit 1 (ACPI 6.3): may be enabled later. A disabled,
	 * not online-capable entry is a placeholder and is left out. */
	if (!(flags & 3))
		return;
	if (madt.nr_cpus >= MADT_MAX_CPUS) {
		pr_warn("madt: more than %d CPUs; ignoring APIC id %u\n", MADT_MAX_CPUS, apic_id);
		return;
	}
	madt.cpus[madt.nr_cpus++] = (struct madt_cpu){ apic_id, flags & 1 };
}

static void parse_entry(const struct acpi_subtable_header *e)
{
	switch (e->type) {
	case ACPI_MADT_TYPE_LOCAL_APIC: {
		const struct acpi_madt_local_apic *p = (const void *)e;
		add_cpu(p->id, p->lapic_flags);
		break;
	}
	case ACPI_MADT_TYPE_LOCAL_X2APIC: {
		const struct acpi_madt_local_x2apic *p = (const void *)e;
		add_cpu(p->local_apic_id, p->lapic_flags);
		break;
	}
	case ACPI_MADT_TYPE_IO_APIC: {
		const struct acpi_madt_io_apic *p = (const void *)e;
		if (madt.nr_ioapics++ == 0) {
			madt.has_ioapic = true;
			madt.ioapic_id = p->id;
			madt.ioapic_addr = p->address;
			madt.ioapic_gsi_base = p->global_irq_base;
		} else {
			pr_warn("madt: I/O APIC %u at %#x ignored (only the first is used)\n", p->id, p->address);
		}
		break;
	}
	case ACPI_MADT_TYPE_INTERRUPT_OVERRIDE: {
		const struct acpi_madt_interrupt_override *p = (const void *)e;
		if (madt.nr_overrides < MADT_MAX_OVERRIDES)
			madt.overrides[madt.nr_overrides++] = (struct madt_override){
				.bus = p->bus, .source_irq = p->source_irq, .gsi = p->global_irq,
				.flags = p->inti_flags };
		break;
	}
	case ACPI_MADT_TYPE_LOCAL_APIC_NMI:
		madt.nr_lapic_nmi++;
		break;
	case ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE: {
		const struct acpi_madt_local_apic_override *p = (const void *)e;
		madt.lapic_addr = p->address;
		madt.lapic_addr_overridden = true;
		break;
	}
	default:
		break;
	}
}

static const char *polarity(u16 f)
{
	static const char *const p[4] = { "conforming", "high", "reserved", "low" };
	return p[f & 3];
}

static const char *trigger(u16 f)
{
	static const char *const t[4] = { "conforming", "edge", "reserved", "level" };
	return t[(f >> 2) & 3];
}

void acpi_madt_init(void)
{
	phys_addr_t pa = acpi_find_table("APIC");
	if (!pa) {
		pr_info("madt: no MADT: one CPU, legacy 8259 interrupts\n");
		return;
	}
	const struct acpi_table_header *h = early_memremap(pa, sizeof(*h));
	u32 len = h ? h->length : 0;
	if (h)
		early_memunmap(h);
	if (len < sizeof(struct acpi_table_madt) || len > EARLY_MEMREMAP_MAX) {
		pr_warn("madt: MADT at %#llx has a bad length %u; ignoring it\n", (unsigned long long)pa, len);
		return;
	}
	const struct acpi_table_madt *m = early_memremap(pa, len);
	if (!m)
		return;
	const u8 *t = (const u8 *)m;
	u8 sum = 0;
	for (u32 i = 0; i < len; i++)
		sum += t[i];
	if (sum)
		pr_warn("madt: checksum is wrong; reading it anyway\n");
	madt.lapic_addr = m->address;
	madt.pcat_compat = m->flags & ACPI_MADT_PCAT_COMPAT;
	for (u32 off = sizeof(*m); off + sizeof(struct acpi_subtable_header) <= len;) {
		const struct acpi_subtable_header *e = (const void *)(t + off);
		u8 elen = e->length;
		if (elen < 2 || off + elen > len) {
			pr_warn("madt: entry at offset %u has a bad length %u; stopping\n", off, elen);
			break;
		}
		parse_entry(e);
		off += elen;
	}
	early_memunmap(m);
	madt.found = true;

	pr_info("madt: LAPIC at %#llx%s, %d CPU%s, %s\n", (unsigned long long)madt.lapic_addr,
		madt.lapic_addr_overridden ? " (64-bit override)" : "", madt.nr_cpus,
		madt.nr_cpus == 1 ? "" : "s", madt.pcat_compat ? "8259 present" : "no 8259");
	for (int i = 0; i < madt.nr_cpus; i++)
		pr_info("madt:   CPU APIC id %u%s\n", madt.cpus[i].apic_id,
			madt.cpus[i].enabled ? "" : " (disabled, online-capable)");
	if (madt.has_ioapic)
		pr_info("madt: I/O APIC id %u at %#llx, GSI base %u\n", madt.ioapic_id,
			(unsigned long long)madt.ioapic_addr, madt.ioapic_gsi_base);
	for (int i = 0; i < madt.nr_overrides; i++) {
		const struct madt_override *o = &madt.overrides[i];
		pr_info("madt:   override: bus %u IRQ %u -> GSI %u, polarity %s, trigger %s\n",
			o->bus, o->source_irq, o->gsi, polarity(o->flags), trigger(o->flags));
	}
}
