/* The firmware memory map (the E820 map), as the boot log and the `mem`
 * command show it; and bootinfo, which holds it. */
#include <pagoda/bootinfo.h>
#include <pagoda/printk.h>

struct bootinfo bootinfo;

void e820_print_table(void)
{
	for (int i = 0; i < bootinfo.nr_mem; i++) {
		const struct e820_entry *m = &bootinfo.mem[i];
		printk("mem: [0x%016llx-0x%016llx] %-9s (%llu KiB)\n", (unsigned long long)m->start,
		       (unsigned long long)m->end - 1, e820_type_name(m->type),
		       (unsigned long long)((m->end - m->start) >> 10));
	}
	u64 usable = e820_total(&bootinfo, E820_TYPE_RAM);
	u64 reserved = e820_total(&bootinfo, E820_TYPE_RESERVED) + e820_total(&bootinfo, E820_TYPE_ACPI) +
		       e820_total(&bootinfo, E820_TYPE_NVS) + e820_total(&bootinfo, E820_TYPE_UNUSABLE);
	u64 top = 0;
	for (int i = 0; i < bootinfo.nr_mem; i++)
		if (bootinfo.mem[i].type == E820_TYPE_RAM && bootinfo.mem[i].end > top)
			top = bootinfo.mem[i].end;
	printk("mem: %llu MiB usable (%llu KiB) in %d regions, %llu KiB reserved, highest usable address %#llx\n",
	       (unsigned long long)(usable >> 20), (unsigned long long)(usable >> 10), bootinfo.nr_mem,
	       (unsigned long long)(reserved >> 10), (unsigned long long)top);
}
