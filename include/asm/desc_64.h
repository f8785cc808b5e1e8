/* x86_64 GDT layout. syscall loads CS = STAR[47:32] and SS = that + 8;
 * sysret loads SS = STAR[63:48] + 8 and CS = STAR[63:48] + 16, so the user
 * data descriptor must sit just below the user code descriptor:
 *   0x00 null, 0x08 kernel code, 0x10 kernel data, 0x18 user data,
 *   0x20 user code (64-bit), 0x28 TSS (two slots). */
#ifndef ASM_DESC_64_H
#define ASM_DESC_64_H

#define USER_DS   (0x18 | 3)
#define USER_CS   (0x20 | 3)
#define TSS_SEL   0x28
#define GDT_ENTRIES 7

#endif
