/*
 * i386 descriptor tables: flat code and data segments, a per-CPU data
 * segment for FS, and an IDT of interrupt gates into trap_stubs. (No TSS: the kernel never leaves ring 0
 * yet, and a double fault from a stack overflow resets the machine; x86_64
 * handles that case on its own stack, see desc_64.c.)
 */
#include <asm/desc.h>
#include <pagoda/types.h>
#include <pagoda/compiler.h>
#include <pagoda/smp.h>

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

static u64 gdt[NR_CPUS][4] __aligned(16);       /* null, code, data, per-CPU data */
static struct idt_gate32 idt[256] __aligned(16);

/* A 32-bit data descriptor with byte granularity: base, limit. */
static u64 data_desc(u32 base, u32 limit)
{
	return (limit & 0xffff) | ((u64)(base & 0xffffff) << 16) | (0x93ULL << 40) |
	       ((u64)((limit >> 16) & 0xf) << 48) | (0x4ULL << 52) | ((u64)(base >> 24) << 56);
}

/* This CPU's GDT, whose slot 3 (PERCPU_SEL) is a small data segment based
 * at the CPU's per-CPU area, loaded into FS; and the shared IDT. */
void cpu_tables_load(int cpu)
{
	u64 *g = gdt[cpu];
	g[0] = 0;
	g[1] = 0x00cf9b000000ffffULL;           /* code, accessed */
	g[2] = 0x00cf93000000ffffULL;           /* data, accessed */
	g[3] = data_desc(0, 0);                 /* set by percpu_set_base */
	struct desc_ptr gp = { sizeof(gdt[0]) - 1, (u32)g };
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"ljmp %1, $1f\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		:: "m"(gp), "i"(KERNEL_CS), "i"(KERNEL_DS) : "eax", "memory");
	struct desc_ptr ip = { sizeof(idt) - 1, (u32)idt };
	__asm__ __volatile__("lidt %0" :: "m"(ip));
	percpu_init_this_cpu(cpu);
}

static int cpu_of(struct percpu_hot *p)
{
	extern struct percpu_hot percpu_hot[NR_CPUS];
	return p - percpu_hot;
}

void percpu_set_base(struct percpu_hot *p)
{
	gdt[cpu_of(p)][3] = data_desc((u32)p, sizeof(*p) - 1);
	__asm__ __volatile__("movl %0, %%fs" :: "r"(PERCPU_SEL) : "memory");
}

void cpu_tables_init(void)
{
	for (int v = 0; v < 256; v++) {
		u32 h = (u32)trap_stubs + 16 * v;
		idt[v] = (struct idt_gate32){
			.offset_low = h & 0xffff,
			.selector = KERNEL_CS,
			.type_attr = 0x8e,
			.offset_high = h >> 16,
		};
	}
	cpu_tables_load(0);
}
