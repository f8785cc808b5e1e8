/* The arch half of the proc ktests (proc_frames_{32,64}.c): frames that
 * the system-call exit must return by iret, built by hand. */
#ifndef KTEST_PROC_FRAMES_H
#define KTEST_PROC_FRAMES_H

#include <pagoda/ktest.h>

/* Checks syscall_return_by_sysret on good and bad frames; false if the
 * build has no sysret (i386: the case skips). */
bool proc_check_sysret_frames(struct ktest *t);

#endif
