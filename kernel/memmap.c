/* The firmware memory map, as the boot log and the `mem` command show it. */
#include <pagoda/bootinfo.h>
#include <pagoda/printk.h>

struct bootinfo bootinfo;

void memmap_print(void)
{
	for (int i = 0; i < bootinfo.nr_mem; i++) {
		const struct memmap_entry *m = &bootinfo.mem[i];
		printk("mem: [0x%016llx-0x%016llx] %-9s (%llu KiB)\n", (unsigned long long)m->start,
		       (unsigned long long)m->end - 1, memmap_type_name(m->type),
		       (unsigned long long)((m->end - m->start) >> 10));
	}
	u64 usable = memmap_total(&bootinfo, MEM_USABLE);
	u64 reserved = memmap_total(&bootinfo, MEM_RESERVED) + memmap_total(&bootinfo, MEM_ACPI_RECLAIM) +
		       memmap_total(&bootinfo, MEM_ACPI_NVS) + memmap_total(&bootinfo, MEM_BAD);
	u64 top = 0;
	for (int i = 0; i < bootinfo.nr_mem; i++)
		if (bootinfo.mem[i].type == MEM_USABLE && bootinfo.mem[i].end > top)
			top = bootinfo.mem[i].end;
	printk("mem: %llu MiB usable (%llu KiB) in %d regions, %llu KiB reserved, highest usable address %#llx\n",
	       (unsigned long long)(usable >> 20), (unsigned long long)(usable >> 10), bootinfo.nr_mem,
	       (unsigned long long)(reserved >> 10), (unsigned long long)top);
}
