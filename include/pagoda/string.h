/* The string and memory functions the kernel has (no libc). lib/string.c. */
#ifndef PAGODA_STRING_H
#define PAGODA_STRING_H

#include <pagoda/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
/* Copy at most size-1 bytes and always terminate; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);
/* Shell-style match of '*' and '?' (the ktest= selector and monitor use it). */
bool glob_match(const char *pattern, const char *str);
/* Parse an unsigned number in base 10, or 16 with a 0x prefix; suffix K/M/G allowed
 * when allow_suffix. Returns 0 or -EINVAL (empty, junk, overflow). */
int parse_ulong(const char *s, unsigned long long *out, bool allow_suffix);
/* Split line in place at spaces and tabs into at most max words, each
 * terminated (the monitor, the shell). Returns the number of words; words
 * past max are dropped. */
int split_words(char *line, char **argv, int max);

#endif
