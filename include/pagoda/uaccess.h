/*
 * The only door from the kernel to user memory. A system call never
 * dereferences a user pointer itself: it copies through these, which check
 * the range with access_ok (below TASK_SIZE, no wrap) and run the access
 * with an exception-table entry, so a pointer that is unmapped, read-only
 * for a write, or straddles into a hole gives -EFAULT (or a short count)
 * instead of an oops. A fault inside a VMA is first served as a normal
 * page fault (demand paging, copy-on-write, stack growth), so a copy may
 * sleep. With SMAP the CPU itself refuses any other kernel access to user
 * pages: the copies open the door with stac and close it with clac.
 *
 * Calling context: process context, the user address space of `current`
 * loaded, no spinlock held (a copy may fault and sleep).
 */
#ifndef PAGODA_UACCESS_H
#define PAGODA_UACCESS_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>

/* True if [addr, addr + size) lies in user space (no wrap around). It does
 * not say the memory is mapped: the copy finds that out. A function, not
 * an inline: lab 7's handout stubs it in one .c file rather than in a
 * header two dozen files include. */
bool access_ok(const void __user *addr, unsigned long size);

/* Copy n bytes; return the number NOT copied (0 on success), as Linux does.
 * On a partial failure the bytes before the fault have been copied;
 * copy_from_user zeroes the rest of the kernel buffer. */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
/* Zero n user bytes; return the number NOT zeroed. */
unsigned long clear_user(void __user *to, unsigned long n);
/* Copy a NUL-terminated string of at most count bytes, NUL included:
 * the length without the NUL; count if no NUL came within count bytes
 * (the caller reports -ENAMETOOLONG or -E2BIG); -EFAULT. */
long strncpy_from_user(char *dst, const char __user *src, long count);
/* The length of a user string with its NUL, at most n (n + 1: too long);
 * 0 on a fault. */
long strnlen_user(const char __user *s, long n);

/* get_user(x, ptr) / put_user(x, ptr): one value of ptr's type (1, 2, 4 or
 * 8 bytes; 8 on i386 too): 0 or -EFAULT (x becomes 0 on a fault). */
#include <asm/uaccess.h>

#endif
