/*
 * The x86 half of <pagoda/uaccess.h>: opening user memory to the kernel
 * under SMAP, and get_user/put_user.
 */
#ifndef ASM_UACCESS_H
#define ASM_UACCESS_H

#include <pagoda/compiler.h>
#include <pagoda/errno.h>
#include <pagoda/types.h>
#include <asm/processor.h>

/* stac sets EFLAGS.AC: supervisor accesses to user pages are allowed until
 * clac. Only on a CPU with SMAP (elsewhere the instruction is #UD, and the
 * door is always open). The copies keep the window to the copy itself. */
static __always_inline void stac(void)
{
	if (boot_cpu.has_smap)
		asm volatile("stac" ::: "memory", "cc");
}
static __always_inline void clac(void)
{
	if (boot_cpu.has_smap)
		asm volatile("clac" ::: "memory", "cc");
}

/* An integer type as wide as x (unsigned long, or u64 for 8 bytes on i386):
 * get_user reads into it, then converts to the pointee's type. */
#define __uaccess_inttype(x) \
	__typeof__(__builtin_choose_expr(sizeof(x) > sizeof(0UL), 0ULL, 0UL))

/* Both go through the checked copies (kernel/x86/usercopy.c): Linux inlines
 * one mov per size with its own exception entry; one path is enough here. */
#define get_user(x, ptr) ({                                                   \
	const __typeof__(*(ptr)) __user *__gu_ptr = (ptr);                    \
	__uaccess_inttype(*__gu_ptr) __gu_val = 0;                            \
	int __gu_err = 0;                                                     \
	_Static_assert(sizeof(*__gu_ptr) <= sizeof(__gu_val), "get_user: too wide"); \
	if (copy_from_user(&__gu_val, __gu_ptr, sizeof(*__gu_ptr))) {         \
		__gu_val = 0;                                                 \
		__gu_err = -EFAULT;                                           \
	}                                                                     \
	(x) = (__typeof__(*__gu_ptr))__gu_val;                                \
	__gu_err; })

#define put_user(x, ptr) ({                                                   \
	__typeof__(*(ptr)) __pu_val = (x);                                    \
	copy_to_user((ptr), &__pu_val, sizeof(__pu_val)) ? -EFAULT : 0; })

#endif
