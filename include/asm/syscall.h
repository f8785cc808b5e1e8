/*
 * The system-call registers of a trapped user context (the convention of
 * <uapi/pagoda/unistd.h>): where the number, the six arguments and the
 * result live in struct pt_regs, in this build's layout.
 */
#ifndef ASM_SYSCALL_H
#define ASM_SYSCALL_H
#ifdef __x86_64__
#include <asm/syscall_64.h>
#else
#include <asm/syscall_32.h>
#endif
#endif
