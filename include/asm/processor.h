/* Control registers, MSRs, CPUID, TSC and interrupt-flag helpers (both builds). */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <pagoda/types.h>

#define X86_CR0_MP  (1UL << 1)
#define X86_CR0_EM  (1UL << 2)
#define X86_CR0_TS  (1UL << 3)
#define X86_CR0_NE  (1UL << 5)
#define X86_CR0_WP  (1UL << 16)
#define X86_CR0_AM  (1UL << 18)
#define X86_CR0_PG  (1UL << 31)
#define X86_CR4_PSE (1UL << 4)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_PGE (1UL << 7)
#define X86_CR4_OSFXSR (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)
#define X86_CR4_SMEP (1UL << 20)
#define X86_CR4_SMAP (1UL << 21)
#define X86_EFLAGS_FIXED (1UL << 1)     /* always reads as 1 */
#define X86_EFLAGS_TF (1UL << 8)
#define X86_EFLAGS_IF (1UL << 9)
#define X86_EFLAGS_DF (1UL << 10)
#define X86_EFLAGS_IOPL (3UL << 12)
#define X86_EFLAGS_NT (1UL << 14)
#define X86_EFLAGS_RF (1UL << 16)
#define X86_EFLAGS_VM (1UL << 17)
#define X86_EFLAGS_AC (1UL << 18)   /* with SMAP: kernel access to user pages allowed (stac) */

#define MSR_EFER 0xc0000080
#define MSR_IA32_PAT 0x277
#define MSR_IA32_APICBASE 0x1b
#define EFER_NXE (1UL << 11)

#define DEFINE_CR(n) \
	static inline unsigned long read_cr##n(void) { unsigned long v; __asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
	static inline void write_cr##n(unsigned long v) { __asm__ __volatile__("mov %0, %%cr" #n :: "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void cpuid_count(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}
static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d) { cpuid_count(leaf, 0, a, b, c, d); }

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}
static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void cpu_relax(void) { __asm__ __volatile__("pause" ::: "memory"); }
static inline void halt(void) { __asm__ __volatile__("hlt" ::: "memory"); }
static inline void local_irq_disable(void) { __asm__ __volatile__("cli" ::: "memory"); }
static inline void local_irq_enable(void) { __asm__ __volatile__("sti" ::: "memory"); }
/* Enable interrupts and halt in one step, so a wakeup cannot slip in between. */
static inline void safe_halt(void) { __asm__ __volatile__("sti; hlt" ::: "memory"); }

static inline unsigned long native_save_fl(void)
{
	unsigned long f;
	__asm__ __volatile__("pushf; pop %0" : "=rm"(f) :: "memory");
	return f;
}
static inline unsigned long local_irq_save(void)
{
	unsigned long f = native_save_fl();
	local_irq_disable();
	return f;
}
static inline void local_irq_restore(unsigned long f)
{
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}
static inline bool irqs_disabled(void) { return !(native_save_fl() & X86_EFLAGS_IF); }

static inline void wbinvd(void) { __asm__ __volatile__("wbinvd" ::: "memory"); }
static inline void invlpg(unsigned long va) { __asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory"); }

static inline unsigned long current_frame_pointer(void)
{
	return (unsigned long)__builtin_frame_address(0);
}

/* CPU features the kernel cares about, filled by cpu_detect() (kernel/x86/cpu.c). */
struct cpuinfo_x86 {
	char vendor[13];
	char model_name[49];
	u32 family, model, stepping;
	u32 max_leaf, max_ext_leaf;
	bool has_pse, has_pae, has_pge, has_apic, has_tsc, has_nx, has_lm;
	bool has_pdpe1gb, has_smep, has_smap, has_pat, has_invariant_tsc;
	u32 phys_bits, virt_bits;
};
extern struct cpuinfo_x86 boot_cpu;
void cpu_detect(void);

#endif
