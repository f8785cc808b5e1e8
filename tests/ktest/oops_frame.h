/* oops.c's arch helper (oops_frame_{32,64}.c). */
#ifndef KTEST_OOPS_FRAME_H
#define KTEST_OOPS_FRAME_H

/* Load fp into the frame-pointer register, then read address 0: the oops
 * report's backtrace starts its walk at fp. Never returns. */
void __attribute__((noreturn)) oops_with_frame_pointer(unsigned long fp);

#endif
