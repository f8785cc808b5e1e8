/* oops_with_frame_pointer (oops_frame.h) for x86_64. */
#include "oops_frame.h"

void oops_with_frame_pointer(unsigned long fp)
{
	/* rbp is not declared clobbered: the fault never comes back here. */
	__asm__ __volatile__("mov %0, %%rbp\n\tmov 0, %0" : "+r"(fp) : : "memory");
	__builtin_unreachable();
}
