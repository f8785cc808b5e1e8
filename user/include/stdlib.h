/* Memory, process end and number parsing. malloc is a first-fit free list
 * over brk (user/lib/malloc.c). */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);

/* Run the atexit functions (last registered first), then end the process. */
__attribute__((noreturn)) void exit(int code);
/* End the process at once. */
__attribute__((noreturn)) void _Exit(int code);
__attribute__((noreturn)) void abort(void);
/* At most ATEXIT_MAX (32) functions; -1 when full. */
int atexit(void (*fn)(void));

long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
int atoi(const char *s);

/* The value of the environment variable name (in environ), or NULL. */
char *getenv(const char *name);

#endif
