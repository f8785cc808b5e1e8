/*
 * x86_64 descriptor tables. Segmentation is mostly off in long mode, but the
 * GDT still holds the code/data selectors and the TSS, whose interrupt stack
 * table (IST) gives the double-fault handler a fresh stack: a kernel stack
 * overflow faults on the guard page, the CPU cannot push the page-fault frame
 * on the full stack, and escalates to #DF, which can then still report it.
 */
#include <asm/desc.h>
#include <asm/entry.h>
#include <pagoda/types.h>
#include <pagoda/compiler.h>
#include <pagoda/stacks.h>
#include <pagoda/string.h>
#include <pagoda/smp.h>
#include <asm/processor.h>
#include <asm/switch_to.h>
#include <pagoda/traps.h>

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

struct idt_gate64 {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __packed;

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

#define DF_STACK_SIZE 8192
static DEFINE_PER_CPU_PAGE_ALIGNED(u8 [DF_STACK_SIZE], df_stack);
static DEFINE_PER_CPU(struct tss64, tss) __aligned(16);
static DEFINE_PER_CPU(u64 [GDT_ENTRIES], gdt) __aligned(16);   /* <asm/desc_64.h> */
/* The running task's stack top, for the syscall entry (entry_64.S), which
 * has no other way to find it: the TSS's rsp0 is only used by the CPU. */
DEFINE_PER_CPU(unsigned long, cpu_sp0);
static struct idt_gate64 idt[256] __aligned(16);
static const char *const df_names[NR_CPUS] = {
	"double-fault stack", "CPU 1 double-fault stack", "CPU 2 double-fault stack",
	"CPU 3 double-fault stack", "CPU 4 double-fault stack", "CPU 5 double-fault stack",
	"CPU 6 double-fault stack", "CPU 7 double-fault stack",
};

/* This CPU's GDT with its own TSS (whose IST1 is its own double-fault
 * stack), the shared IDT, and GS based at its per-CPU offset. */
void cpu_tables_load(int cpu)
{
	u64 *g = per_cpu(gdt, cpu);
	struct tss64 *t = per_cpu_ptr(&tss, cpu);
	u8 *dfs = per_cpu(df_stack, cpu);
	g[0] = 0;
	g[1] = 0x00af9b000000ffffULL;           /* 64-bit code, accessed */
	g[2] = 0x00cf93000000ffffULL;           /* data, accessed */
	u64 base = (u64)t, limit = sizeof(*t) - 1;
	g[3] = 0x00cff3000000ffffULL;           /* user data, DPL 3 */
	g[4] = 0x00affb000000ffffULL;           /* user 64-bit code, DPL 3 */
	g[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
	       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	g[6] = base >> 32;

	memset(t, 0, sizeof(*t));
	t->ist[0] = (u64)dfs + DF_STACK_SIZE;                   /* IST1: double fault */
	t->iomap_base = sizeof(*t);                             /* no I/O bitmap */
	stack_register(df_names[cpu], (unsigned long)dfs, (unsigned long)dfs + DF_STACK_SIZE, 0);

	struct desc_ptr gp = { sizeof(gdt) - 1, (u64)g };
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"ltr %w3\n\t"
		:: "m"(gp), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SEL) : "rax", "memory");

	struct desc_ptr ip = { sizeof(idt) - 1, (u64)idt };
	__asm__ __volatile__("lidt %0" :: "m"(ip));
	percpu_init_this_cpu(cpu);
	syscall_init();                         /* user mode's doors on this CPU */
	fpu_init_cpu();
}

/* The stack the CPU switches to on an interrupt from ring 3: the running
 * task's (the scheduler calls this at every switch). */
void load_sp0(unsigned long sp0)
{
	this_cpu_ptr(&tss)->rsp[0] = sp0;
	this_cpu_write(cpu_sp0, sp0);
}

/* The GS base is the CPU's offset itself: %gs:&var is its copy of var. */
void percpu_set_base(int cpu)
{
	wrmsr(MSR_GS_BASE, per_cpu_offset(cpu));
}

void cpu_tables_init(void)
{
	for (int v = 0; v < 256; v++) {
		u64 h = (u64)trap_stubs + 16 * v;
		idt[v] = (struct idt_gate64){
			.offset_low = h & 0xffff,
			.selector = KERNEL_CS,
			.ist = v == 8 ? 1 : 0,
			/* present, interrupt gate; DPL 3 for int3 only, so
			 * `int $n` from user mode is a #GP otherwise. */
			.type_attr = v == X86_TRAP_BP ? 0xee : 0x8e,
			.offset_mid = (h >> 16) & 0xffff,
			.offset_high = h >> 32,
		};
	}
	cpu_tables_load(0);
}
