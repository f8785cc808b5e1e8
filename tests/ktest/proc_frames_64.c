/* x86_64: which system-call frames may go back by sysret. */
#include <asm/desc.h>
#include <asm/entry.h>
#include <asm/layout.h>
#include <asm/processor.h>
#include "proc_frames.h"

bool proc_check_sysret_frames(struct ktest *t)
{
	const struct pt_regs good = {
		.ip = 0x401000, .cx = 0x401000, .flags = 0x202, .r11 = 0x202,
		.cs = USER_CS, .ss = USER_DS, .sp = 0x7ffffffde000,
	};
	struct pt_regs r = good;
	KTEST_EXPECT_TRUE(t, syscall_return_by_sysret(&r));
	r.ip = r.cx = 0x0000800000000000UL;     /* non-canonical: sysret would #GP in ring 0 */
	KTEST_EXPECT_FALSE(t, syscall_return_by_sysret(&r));
	r.ip = r.cx = 0xffff800000001000UL;     /* canonical, the kernel half */
	KTEST_EXPECT_FALSE(t, syscall_return_by_sysret(&r));
	r.ip = r.cx = TASK_SIZE;                /* the first address after user space */
	KTEST_EXPECT_FALSE(t, syscall_return_by_sysret(&r));
	r.ip = r.cx = TASK_SIZE - 2;            /* the last bytes of user space */
	KTEST_EXPECT_TRUE(t, syscall_return_by_sysret(&r));
	r = good;
	r.cx = 0x401002;                        /* exec or a debugger changed ip */
	KTEST_EXPECT_FALSE(t, syscall_return_by_sysret(&r));
	r = good;
	r.r11 = 0x302;                          /* r11 no longer the flags */
	KTEST_EXPECT_FALSE(t, syscall_return_by_sysret(&r));
	r = good;
	r.flags = r.r11 = 0x302;                /* TF: single-step after sysret */
	KTEST_EXPECT_FALSE(t, syscall_return_by_sysret(&r));
	r = good;
	r.cs = KERNEL_CS;
	KTEST_EXPECT_FALSE(t, syscall_return_by_sysret(&r));
	return true;
}
