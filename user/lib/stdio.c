/*
 * printf and friends: format into a buffer with vsnprintf (the kernel's
 * lib/vsprintf.c) and write() it. Output longer than the buffer is formatted
 * twice into the heap rather than cut.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

int vdprintf(int fd, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	char *buf = small;
	if (n >= (int)sizeof(small)) {
		buf = malloc(n + 1);
		if (!buf) {
			va_end(ap2);
			return -1;
		}
		vsnprintf(buf, n + 1, fmt, ap2);
	}
	va_end(ap2);
	ssize_t w = write(fd, buf, n);
	if (buf != small)
		free(buf);
	return w < 0 ? -1 : n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vdprintf(STDOUT_FILENO, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s) < 0 ? EOF : 0;
}

int putchar(int c)
{
	char ch = (char)c;
	return write(STDOUT_FILENO, &ch, 1) == 1 ? (unsigned char)c : EOF;
}
