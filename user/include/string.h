/* Memory and string functions. Most are the kernel's own lib/string.c,
 * compiled into the user library too (one source). */
#ifndef _STRING_H
#define _STRING_H

#include <stddef.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
/* The length of s's first run of bytes not in reject. */
size_t strcspn(const char *s, const char *reject);
char *strcpy(char *dst, const char *src);
char *strcat(char *dst, const char *src);
/* Copy at most size-1 bytes and always terminate; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);
/* A static message for errno value err ("ENOENT"-style names). */
char *strerror(int err);
/* "Segmentation fault", "Killed" ...: how a shell reports a signal's end. */
const char *strsignal(int sig);

#endif
