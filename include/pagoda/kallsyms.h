/*
 * The kernel's own symbol table, embedded at build time (scripts/kallsyms.py
 * generates it from a first link; see the Makefile). Used by backtraces, the
 * page-fault report and %pS.
 */
#ifndef PAGODA_KALLSYMS_H
#define PAGODA_KALLSYMS_H

#include <pagoda/types.h>

/* Find the function containing addr. Returns its name and sets *offset and
 * *size, or returns NULL when addr is not inside any kernel function. */
const char *kallsyms_lookup(unsigned long addr, unsigned long *offset, unsigned long *size);
/* Address of a function by name, or 0. */
unsigned long kallsyms_lookup_name(const char *name);
/* "name+0xoff/0xsize" or the bare hex address. */
int sprint_symbol(char *buf, size_t size, unsigned long addr);
unsigned long kallsyms_count(void);

#endif
