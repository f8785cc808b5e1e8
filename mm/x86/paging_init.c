/*
 * paging_init: replace the boot page tables with the kernel's own,
 * swapper_pg_dir. It holds
 *   - the direct map: every usable RAM range at PAGE_OFFSET + phys
 *     (all RAM on x86_64, lowmem below 896 MiB on i386), NX, with the
 *     largest pages that fit each aligned stretch;
 *   - the kernel image with W^X: text read+execute, rodata read-only,
 *     data and bss read-write, and the boot stack's guard page unmapped;
 *   - the fixmap's page table.
 * Nothing maps virtual address 0 any more, so a NULL dereference faults.
 * It also programs the PAT and turns on SMEP and SMAP where the CPU has
 * them: the kernel may then neither execute nor touch user pages (there are
 * none yet, so nothing legitimate trips them).
 */
#include <asm/pgtable.h>
#include <asm/fixmap.h>
#include <pagoda/highmem.h>
#include <pagoda/bootinfo.h>
#include <pagoda/printk.h>
#include <pagoda/panic.h>
#include <pagoda/sections.h>
#include <pagoda/stacks.h>
#include "../internal.h"

pteval_t swapper_pg_dir[PTRS_PER_TABLE] __attribute__((aligned(PAGE_SIZE), section(".bss..page_aligned")));

static u64 direct_mapped_bytes;

static void map_or_die(unsigned long va, phys_addr_t pa, u64 size, pteval_t prot, bool large, const char *what)
{
	int err = map_pages(swapper_pg_dir, va, pa, size, prot, large);
	if (err)
		panic("paging_init: cannot map %s %llx-%llx (error %d)", what,
		      (unsigned long long)pa, (unsigned long long)(pa + size), err);
}

/* Map RAM [start, end) into the direct map, leaving out the kernel image
 * when the image itself lives inside the direct map (i386). */
static void map_direct_range(phys_addr_t start, phys_addr_t end)
{
	phys_addr_t kstart = __pa(_text) & PAGE_MASK, kend = PAGE_ALIGN(__pa(_end));

	start = PAGE_ALIGN(start);
	end = PAGE_ALIGN_DOWN(end);
	if (end > direct_map_limit())
		end = direct_map_limit();
	if (start >= end)
		return;
	if (KERNEL_VIRT_BASE == PAGE_OFFSET && start < kend && end > kstart) {
		map_direct_range(start, kstart);
		map_direct_range(kend, end);
		return;
	}
	map_or_die((unsigned long)__va(start), start, end - start, PAGE_KERNEL, true, "RAM");
	direct_mapped_bytes += end - start;
}

/* Map [start, end) of the kernel image at its link address with prot. */
void map_kernel_range(const void *start, const void *end, pteval_t prot)
{
	unsigned long s = (unsigned long)start & PAGE_MASK;
	unsigned long e = PAGE_ALIGN((unsigned long)end);
	if (e > s)
		map_or_die(s, __pa(s), e - s, prot, false, "kernel image");
}

/* SMEP: a supervisor instruction fetch from a user page faults (no jumping
 * to code an attacker placed in user memory). SMAP: a supervisor data access
 * to a user page faults unless EFLAGS.AC is set (stac/clac around the few
 * places meant to touch user memory). */
static void cpu_protection_init(void)
{
	unsigned long cr4 = read_cr4();
	if (boot_cpu.has_smep)
		cr4 |= X86_CR4_SMEP;
	if (boot_cpu.has_smap)
		cr4 |= X86_CR4_SMAP;
	write_cr4(cr4);
	pr_info("paging: W^X on the kernel image, SMEP %s, SMAP %s\n",
		boot_cpu.has_smep ? "on" : "unavailable", boot_cpu.has_smap ? "on" : "unavailable");
}

void paging_init(void)
{
	if (boot_cpu.has_pge)
		write_cr4(read_cr4() | X86_CR4_PGE);
	if (!boot_cpu.has_nx)
		__supported_pte_mask &= ~(pteval_t)_PAGE_NX;
	arch_paging_setup();

	for (int i = 0; i < bootinfo.nr_mem; i++)
		if (bootinfo.mem[i].type == E820_TYPE_RAM)
			map_direct_range(bootinfo.mem[i].start, bootinfo.mem[i].end);

	map_kernel_range(_text, _srodata, PAGE_KERNEL_RX);
	map_kernel_range(_srodata, _sdata, PAGE_KERNEL_RO);
	map_kernel_range(_sdata, boot_stack_guard, PAGE_KERNEL);
	/* boot_stack_guard..boot_stack stays unmapped: the guard page. */
	map_kernel_range(boot_stack, _end, PAGE_KERNEL);
	fixmap_init();
	kmap_init();                   /* the pkmap page table (i386) */

	write_cr3(__pa(swapper_pg_dir));
	pat_init();
	cpu_protection_init();
	pr_info("paging: swapper_pg_dir at %p, direct map %llu MiB at %p, %u page-table pages\n",
		swapper_pg_dir, (unsigned long long)(direct_mapped_bytes >> 20), (void *)PAGE_OFFSET,
		pgtable_pages_used());
	arch_paging_report();
}
