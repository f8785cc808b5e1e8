/*
 * The user copies (<pagoda/uaccess.h>). Each is a string instruction
 * (rep movs / rep stosb) with an exception-table entry: the CPU keeps the
 * count still to do in rcx/ecx when it faults, so the fixup resumes after
 * the instruction and that count is the result. A fault on
 * a user page inside a VMA is served first (mm/fault.c), and the
 * instruction restarts where it stopped: a copy can fault in pages on
 * demand, break copy-on-write, or grow the stack.
 */
#include <pagoda/uaccess.h>
#include <asm/layout.h>
#include <pagoda/string.h>
#include <pagoda/sched.h>
#include <asm/extable.h>

/* Words first (rep movsq/movsl: under TCG each iteration costs the same
 * whatever its width), then the odd bytes. If a word faults, the rest is
 * retried byte by byte, which stops exactly at the first bad byte: the
 * count returned is exact, not rounded to a word. */
static unsigned long raw_copy(void *to, const void *from, unsigned long n)
{
	unsigned long left = n / sizeof(long);

	stac();
	asm volatile("1: rep movs%z[left]\n"
		     "   mov %[bytes], %[left]\n"
		     "2: rep movsb\n"
		     "3:\n"
		     " .pushsection .text.fixup, \"ax\"\n"
		     "4: lea (%[bytes], %[left], %c[word]), %[left]\n"
		     "   jmp 2b\n"
		     " .popsection\n"
		     _ASM_EXTABLE(1b, 4b)
		     _ASM_EXTABLE(2b, 3b)
		     : "+D"(to), "+S"(from), [left] "+c"(left)
		     : [bytes] "r"(n % sizeof(long)), [word] "i"(sizeof(long))
		     : "memory");
	clac();
	return left;
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	might_sleep();
	if (!access_ok(to, n))
		return n;
	void *p = (void *)to;
	stac();
	asm volatile("1: rep stosb\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : "+c"(n), "+D"(p)
		     : "a"(0)
		     : "memory");
	clac();
	return n;
}

bool access_ok(const void __user *addr, unsigned long size)
{
	/* LAB(7) BEGIN: the whole range below TASK_SIZE, without wrapping around */
	unsigned long a = (unsigned long)addr;
	return size <= TASK_SIZE && a <= TASK_SIZE - size;
	/* LAB(7) STUB
	(void)addr;
	(void)size;
	return true;
	*/
	/* LAB(7) END */
}

/* LAB(7) BEGIN: check a user range with access_ok, copy it, zero what a fault left uncopied; strings page by page */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = n;

	might_sleep();
	if (access_ok(from, n))
		left = raw_copy(to, (const void *)from, n);
	if (left)
		memset((char *)to + (n - left), 0, left);
	return left;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	might_sleep();
	if (!access_ok(to, n))
		return n;
	return raw_copy((void *)to, from, n);
}

/* Copy at most n bytes of a string, never across a page boundary in one
 * piece: a fault then means the string really runs into a hole, not that
 * a bigger read merely overshot its NUL. Returns the bytes copied before
 * the NUL (NUL copied too) or n if none came; -EFAULT. */
static long copy_string(char *dst, const char __user *src, long n)
{
	long done = 0;

	if (n <= 0)
		return 0;
	while (done < n) {
		unsigned long addr = (unsigned long)src + done;
		long chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (chunk > n - done)
			chunk = n - done;
		if (!access_ok((const void __user *)addr, chunk) ||
		    raw_copy(dst + done, (const void *)addr, chunk))
			return -EFAULT;
		long len = strnlen(dst + done, chunk);
		if (len < chunk)
			return done + len;
		done += chunk;
	}
	return n;
}
/* LAB(7) STUB
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	might_sleep();
	return raw_copy(to, (const void *)from, n);
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	might_sleep();
	return raw_copy((void *)to, from, n);
}

static long copy_string(char *dst, const char __user *src, long n)
{
	for (long i = 0; i < n; i++) {
		if (raw_copy(dst + i, (const void *)(src + i), 1))
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	return n < 0 ? 0 : n;
}
*/
/* LAB(7) END */

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	might_sleep();
	return copy_string(dst, src, count);
}

long strnlen_user(const char __user *s, long n)
{
	char buf[64];
	long total = 0;

	might_sleep();
	/* Through a small buffer, one page-bounded piece at a time. */
	while (total <= n) {
		long want = n + 1 - total;
		if (want > (long)sizeof(buf))
			want = sizeof(buf);
		long got = copy_string(buf, s + total, want);
		if (got < 0)
			return 0;
		if (got < want)
			return total + got + 1;
		total += want;
	}
	return n + 1;
}
