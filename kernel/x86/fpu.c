/*
 * FPU/SSE state for user tasks. The kernel is compiled without SSE or x87
 * code (-mgeneral-regs-only), so a switch between kernel threads has no FPU
 * state to keep; a user task has (its programs use SSE freely), and the
 * scheduler calls fpu_save/fpu_restore only for tasks flagged PF_USER: the
 * registers a kernel thread runs with are simply the last user task's,
 * untouched. FXSAVE's 512-byte area, 16-byte aligned; XSAVE (AVX state)
 * would need the size CPUID leaf 0xd reports, and is left for when user
 * programs use AVX.
 */
#include <asm/switch_to.h>
#include <asm/entry.h>
#include <asm/processor.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>

struct fpu {
	u8 fxsave[512];
} __aligned(16);

/* FXSAVE layout: the x87 control word at 0, MXCSR at 24. */
#define FX_FCW   0
#define FX_MXCSR 24
#define FCW_DEFAULT   0x037f            /* what fninit sets: every x87 exception masked */
#define MXCSR_DEFAULT 0x1f80            /* every SSE exception masked, round to nearest */

/* On each CPU: SSE allowed (CR4.OSFXSR, and OSXMMEXCPT so an unmasked SIMD
 * exception is #XM, not #UD), the x87 present (CR0.EM clear, MP set),
 * native x87 error reporting (NE), and no lazy switching (TS clear). */
void fpu_init_cpu(void)
{
	unsigned long cr0 = read_cr0();
	cr0 &= ~(X86_CR0_EM | X86_CR0_TS);
	cr0 |= X86_CR0_MP | X86_CR0_NE;
	write_cr0(cr0);
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
}

struct fpu *fpu_alloc(void)
{
	/* kmalloc's 512-byte objects are 512-aligned: FXSAVE's 16 is met. */
	struct fpu *f = kzalloc(sizeof(*f), GFP_KERNEL);
	return f;
}

void fpu_free(struct fpu *fpu)
{
	kfree(fpu);
}

/* The state a new program starts with: fninit's x87, default MXCSR, every
 * register zero, so nothing of the previous program (or process) shows. */
void fpu_init_state(struct fpu *fpu)
{
	memset(fpu, 0, sizeof(*fpu));
	u16 fcw = FCW_DEFAULT;
	u32 mxcsr = MXCSR_DEFAULT;
	memcpy(fpu->fxsave + FX_FCW, &fcw, sizeof(fcw));
	memcpy(fpu->fxsave + FX_MXCSR, &mxcsr, sizeof(mxcsr));
}

void fpu_copy(struct fpu *dst, const struct fpu *src)
{
	memcpy(dst, src, sizeof(*dst));
}

void fpu_save(struct fpu *fpu)
{
#ifdef __x86_64__
	__asm__ __volatile__("fxsaveq %0" : "=m"(*fpu));
#else
	__asm__ __volatile__("fxsave %0" : "=m"(*fpu));
#endif
}

void fpu_restore(const struct fpu *fpu)
{
#ifdef __x86_64__
	__asm__ __volatile__("fxrstorq %0" :: "m"(*fpu));
#else
	__asm__ __volatile__("fxrstor %0" :: "m"(*fpu));
#endif
}
