/* i386 returns from every system call by iret: nothing to check. */
#include <asm/entry.h>
#include "proc_frames.h"

bool proc_check_sysret_frames(struct ktest *t)
{
	const struct pt_regs r = { .ip = 0x8048000 };
	KTEST_EXPECT_FALSE(t, syscall_return_by_sysret(&r));
	return false;
}
