/* i386: the per-CPU offset is the base of FS, a per-CPU data segment (GDT slot 3). */
#ifndef ASM_PERCPU_32_H
#define ASM_PERCPU_32_H

#define PERCPU_SEL 0x18
#define __percpu_seg __seg_fs

#endif
