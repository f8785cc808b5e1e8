/*
 * i386 descriptor tables, one set per CPU: flat code and data segments, a
 * per-CPU data segment for FS (the per-CPU base), the CPU's own TSS and a
 * second TSS for the double-fault task; and one IDT of interrupt gates into
 * trap_stubs shared by all CPUs.
 *
 * i386 has no interrupt stack table. A kernel stack overflow faults on the
 * guard page, the CPU cannot push the page-fault frame on the full stack
 * and raises a double fault, which could not push its frame either. So
 * vector 8 is a *task gate*: the CPU saves the running state into this
 * CPU's TSS and switches to the double-fault task, with its own stack,
 * which reports the overflow from the saved state (x86_64 uses IST1 for
 * the same job, see desc_64.c).
 */
#include <asm/desc.h>
#include <asm/entry.h>
#include <asm/processor.h>
#include <asm/pgtable.h>
#include <asm/switch_to.h>
#include <pagoda/types.h>
#include <pagoda/compiler.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <pagoda/stacks.h>
#include <pagoda/string.h>
#include <pagoda/traps.h>

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

struct tss32 {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3;
	u32 eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap_base;
} __packed;

#define DF_STACK_SIZE 8192

static DEFINE_PER_CPU(u64 [GDT_ENTRIES], gdt) __aligned(16);   /* <asm/desc_32.h> */
static struct idt_gate32 idt[256] __aligned(16);
static DEFINE_PER_CPU(struct tss32, tss) __aligned(16);
static DEFINE_PER_CPU(struct tss32, df_tss) __aligned(16);
static DEFINE_PER_CPU_PAGE_ALIGNED(u8 [DF_STACK_SIZE], df_stack);
static const char *const df_names[NR_CPUS] = {
	"double-fault stack", "CPU 1 double-fault stack", "CPU 2 double-fault stack",
	"CPU 3 double-fault stack", "CPU 4 double-fault stack", "CPU 5 double-fault stack",
	"CPU 6 double-fault stack", "CPU 7 double-fault stack",
};

/* A 32-bit data descriptor with byte granularity: base, limit. */
static u64 data_desc(u32 base, u32 limit)
{
	return (limit & 0xffff) | ((u64)(base & 0xffffff) << 16) | (0x93ULL << 40) |
	       ((u64)((limit >> 16) & 0xf) << 48) | (0x4ULL << 52) | ((u64)(base >> 24) << 56);
}

/* An available 32-bit TSS descriptor (type 9). */
static u64 tss_desc(const struct tss32 *t)
{
	u32 base = (u32)t, limit = sizeof(*t) - 1;
	return (limit & 0xffff) | ((u64)(base & 0xffffff) << 16) | (0x89ULL << 40) |
	       ((u64)((limit >> 16) & 0xf) << 48) | ((u64)(base >> 24) << 56);
}

/* The double-fault task's first instruction (entry_32.S would do, but it
 * needs no frame: the task starts on a fresh stack with nothing to save). */
__asm__(".text\n"
	".globl df_task_entry\n"
	"df_task_entry:\n\t"
	"xorl %ebp, %ebp\n\t"
	"call do_double_fault_task\n"
	"1:\thlt\n\t"
	"jmp 1b\n");
void df_task_entry(void);

/* In the double-fault task: rebuild the interrupted state from this CPU's
 * TSS (where the task switch saved it) and report as x86_64 does. */
__used __noreturn void do_double_fault_task(void)
{
	const struct tss32 *t = this_cpu_ptr(&tss);
	struct pt_regs regs = {
		.di = t->edi, .si = t->esi, .bp = t->ebp, .bx = t->ebx,
		.dx = t->edx, .cx = t->ecx, .ax = t->eax,
		.vector = X86_TRAP_DF, .error_code = 0,
		.ip = t->eip, .cs = t->cs, .flags = t->eflags,
	};
	printk(KERN_EMERG "double fault: running as the double-fault task; the interrupted ESP was %08x\n",
	       t->esp);
	do_double_fault(&regs);
	for (;;)
		halt();
}

/* This CPU's GDT, whose slot 3 (PERCPU_SEL) is a flat data segment based
 * at the CPU's per-CPU offset, loaded into FS; its TSS (loaded into TR) and
 * double-fault TSS; and the shared IDT. */
void cpu_tables_load(int cpu)
{
	u64 *g = per_cpu(gdt, cpu);
	struct tss32 *t = per_cpu_ptr(&tss, cpu);
	u8 *dfs = per_cpu(df_stack, cpu);
	g[0] = 0;
	g[1] = 0x00cf9b000000ffffULL;           /* code, accessed */
	g[2] = 0x00cf93000000ffffULL;           /* data, accessed */
	g[3] = data_desc(0, 0);                 /* set by percpu_set_base */
	memset(t, 0, sizeof(*t));
	t->iomap_base = sizeof(struct tss32);           /* no I/O bitmap */
	struct tss32 *d = per_cpu_ptr(&df_tss, cpu);
	memset(d, 0, sizeof(*d));
	d->eip = (u32)df_task_entry;
	d->esp = (u32)dfs + DF_STACK_SIZE;
	d->cr3 = __pa(swapper_pg_dir);          /* the kernel's tables, once paging_init built them */
	d->eflags = 0x2;                        /* interrupts off */
	d->cs = KERNEL_CS;
	d->ds = d->es = d->ss = d->gs = KERNEL_DS;
	d->fs = PERCPU_SEL;                     /* smp_processor_id() works there */
	d->iomap_base = sizeof(struct tss32);
	g[4] = tss_desc(t);
	g[5] = tss_desc(d);
	g[6] = 0x00cffb000000ffffULL;           /* user code, DPL 3 */
	g[7] = 0x00cff3000000ffffULL;           /* user data, DPL 3 */
	stack_register(df_names[cpu], (unsigned long)dfs, (unsigned long)dfs + DF_STACK_SIZE, 0);

	struct desc_ptr gp = { sizeof(gdt) - 1, (u32)g };
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"ljmp %1, $1f\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"movl %%eax, %%gs\n\t"
		"ltr %w3\n\t"
		:: "m"(gp), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SEL) : "eax", "memory");
	struct desc_ptr ip = { sizeof(idt) - 1, (u32)idt };
	__asm__ __volatile__("lidt %0" :: "m"(ip));
	percpu_init_this_cpu(cpu);
	syscall_init();                         /* user mode's doors on this CPU */
	fpu_init_cpu();
}

/* The stack the CPU switches to on an interrupt from ring 3: the running
 * task's (the scheduler calls this at every switch). */
void load_sp0(unsigned long sp0)
{
	struct tss32 *t = this_cpu_ptr(&tss);
	t->esp0 = sp0;
	t->ss0 = KERNEL_DS;
}

/* FS: a flat 4 GiB data segment whose base is the CPU's offset, so that
 * %fs:&var is its copy of var (the address wraps around 4 GiB, as Linux
 * i386's per-CPU segment does). Written into the loaded GDT, then FS is
 * reloaded so the CPU takes the new base. */
void percpu_set_base(int cpu)
{
	per_cpu(gdt, cpu)[3] = data_desc(per_cpu_offset(cpu), 0xfffff) | (1ULL << 55);   /* G: 4 KiB units */
	__asm__ __volatile__("movl %0, %%fs" :: "r"(PERCPU_SEL) : "memory");
}

void cpu_tables_init(void)
{
	for (int v = 0; v < 256; v++) {
		u32 h = (u32)trap_stubs + 16 * v;
		idt[v] = (struct idt_gate32){
			.offset_low = h & 0xffff,
			.selector = KERNEL_CS,
			/* interrupt gates; DPL 3 only for the system call and
			 * int3, so any other `int $n` from user mode is a #GP */
			.type_attr = v == SYSCALL_VECTOR || v == X86_TRAP_BP ? 0xee : 0x8e,
			.offset_high = h >> 16,
		};
	}
	/* Vector 8: a task gate (type 5) to the double-fault TSS. */
	idt[8] = (struct idt_gate32){ .selector = DF_TSS_SEL, .type_attr = 0x85 };
	cpu_tables_load(0);
}
