/* _AC(0x1000, UL) is 0x1000UL in C and 0x1000 in assembly and linker scripts. */
#ifndef ASM_CONST_H
#define ASM_CONST_H
#ifdef __ASSEMBLER__
#define _AC(x, y) x
#else
#define __AC(x, y) (x##y)
#define _AC(x, y) __AC(x, y)
#endif
#endif
