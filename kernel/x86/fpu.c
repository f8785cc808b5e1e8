/*
 * FPU/SSE state for user tasks. The kernel is compiled without SSE or x87
 * code (-mgeneral-regs-only), so a switch between kernel threads has no FPU
 * state to keep; a user task will (its programs use SSE freely), and the
 * scheduler calls fpu_save/fpu_restore only for tasks flagged PF_USER.
 * FXSAVE's 512-byte area, 16-byte aligned; XSAVE (AVX state) would need the
 * size CPUID leaf 0xd reports, and is left for when user programs use AVX.
 * Before the first user task runs, CR4.OSFXSR must be set (cpu setup).
 */
#include <asm/switch_to.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>

struct fpu {
	u8 fxsave[512];
} __aligned(16);

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
