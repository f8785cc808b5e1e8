/*
 * i386 descriptor tables: flat code and data segments and an IDT of
 * interrupt gates into trap_stubs. (No TSS: the kernel never leaves ring 0
 * yet, and a double fault from a stack overflow resets the machine; x86_64
 * handles that case on its own stack, see desc_64.c.)
 */
#include <asm/desc.h>
#include <pagoda/types.h>
#include <pagoda/compiler.h>

struct idt_gate32 {
	u16 offset_low;
	u16 selector;
	u8 zero;
	u8 type_attr;
	u16 offset_high;
} __packed;

struct desc_ptr {
	u16 limit;
	u32 base;
} __packed;

static u64 gdt[3] __aligned(16);
static struct idt_gate32 idt[256] __aligned(16);

void cpu_tables_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00cf9b000000ffffULL;         /* code, accessed */
	gdt[2] = 0x00cf93000000ffffULL;         /* data, accessed */
	struct desc_ptr gp = { sizeof(gdt) - 1, (u32)gdt };
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"ljmp %1, $1f\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		:: "m"(gp), "i"(KERNEL_CS), "i"(KERNEL_DS) : "eax", "memory");

	for (int v = 0; v < 256; v++) {
		u32 h = (u32)trap_stubs + 16 * v;
		idt[v] = (struct idt_gate32){
			.offset_low = h & 0xffff,
			.selector = KERNEL_CS,
			.type_attr = 0x8e,
			.offset_high = h >> 16,
		};
	}
	struct desc_ptr ip = { sizeof(idt) - 1, (u32)idt };
	__asm__ __volatile__("lidt %0" :: "m"(ip));
}
