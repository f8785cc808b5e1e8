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
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <asm/fixmap.h>

struct madt_info madt;

enum {
	MADT_LAPIC = 0, MADT_IOAPIC = 1, MADT_ISO = 2, MADT_NMI_SRC = 3,
	MADT_LAPIC_NMI = 4, MADT_LAPIC_ADDR = 5, MADT_X2APIC = 9,
};

#define MADT_HEADER 44          /* the SDT header (36) + LAPIC address + flags */

static u32 get32(const u8 *p) { u32 v; memcpy(&v, p, 4); return v; }
static u16 get16(const u8 *p) { u16 v; memcpy(&v, p, 2); return v; }

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

static void parse_entry(const u8 *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		add_cpu(e[3], get32(e + 4));
		break;
	case MADT_X2APIC:
		add_cpu(get32(e + 4), get32(e + 8));
		break;
	case MADT_IOAPIC:
		if (madt.nr_ioapics++ == 0) {
			madt.has_ioapic = true;
			madt.ioapic_id = e[2];
			madt.ioapic_addr = get32(e + 4);
			madt.ioapic_gsi_base = get32(e + 8);
		} else {
			pr_warn("madt: I/O APIC %u at %#x ignored (only the first is used)\n", e[2], get32(e + 4));
		}
		break;
	case MADT_ISO:
		if (madt.nr_overrides < MADT_MAX_OVERRIDES)
			madt.overrides[madt.nr_overrides++] = (struct madt_override){
				.bus = e[2], .source_irq = e[3], .gsi = get32(e + 4), .flags = get16(e + 8) };
		break;
	case MADT_LAPIC_NMI:
		madt.nr_lapic_nmi++;
		break;
	case MADT_LAPIC_ADDR: {
		u64 a;
		memcpy(&a, e + 4, 8);
		madt.lapic_addr = a;
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
	const u8 *h = early_memremap(pa, 8);
	u32 len = h ? get32(h + 4) : 0;
	if (h)
		early_memunmap(h);
	if (len < MADT_HEADER || len > 16 * 4096) {
		pr_warn("madt: MADT at %#llx has a bad length %u; ignoring it\n", (unsigned long long)pa, len);
		return;
	}
	const u8 *t = early_memremap(pa, len);
	if (!t)
		return;
	u8 sum = 0;
	for (u32 i = 0; i < len; i++)
		sum += t[i];
	if (sum)
		pr_warn("madt: checksum is wrong; reading it anyway\n");
	madt.lapic_addr = get32(t + 36);
	madt.pcat_compat = get32(t + 40) & 1;
	for (u32 off = MADT_HEADER; off + 2 <= len;) {
		u8 elen = t[off + 1];
		if (elen < 2 || off + elen > len) {
			pr_warn("madt: entry at offset %u has a bad length %u; stopping\n", off, elen);
			break;
		}
		parse_entry(t + off);
		off += elen;
	}
	early_memunmap(t);
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
