/* x86_64: the per-CPU offset lives in GS (MSR_GS_BASE). */
#ifndef ASM_PERCPU_64_H
#define ASM_PERCPU_64_H

#define MSR_GS_BASE 0xc0000101
#define __percpu_seg __seg_gs

#endif
