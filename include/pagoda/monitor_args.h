/*
 * One way to read a monitor argument, the same in every command:
 *
 *   addresses   virtual or physical: always hex, with or without 0x, as the
 *               kernel prints them (`kfree ffff888001234560`, `pt c0100000`)
 *   pages       any physical address inside the page, or pfn:N with N hex
 *               (`page 3000000` = `page pfn:3000`); pfns print as "pfn 0x..."
 *   numbers     counts, LBAs, seeds: decimal unless written 0x...
 *   sizes       numbers with an optional K, M or G suffix (`vmalloc 16K`)
 *
 * Each reader returns 0 with *out set, or -EINVAL after printing
 * "<command>: <what> '<text>': <what was wrong>"; the command then returns
 * MON_USAGE. Call them only from a monitor command.
 */
#ifndef PAGODA_MONITOR_ARGS_H
#define PAGODA_MONITOR_ARGS_H

#include <pagoda/types.h>

/* A virtual address (hex). */
int mon_arg_addr(const char *what, const char *s, unsigned long *out);
/* A physical address (hex), below 2^52. */
int mon_arg_phys(const char *what, const char *s, phys_addr_t *out);
/* A page: a physical address in it (hex) or pfn:N (hex). The pfn may be
 * beyond RAM: the command checks pfn_valid() and says so. */
int mon_arg_pfn(const char *what, const char *s, unsigned long *pfn);
/* A number from min to max: decimal, or hex with 0x. */
int mon_arg_num(const char *what, const char *s, unsigned long long min, unsigned long long max,
		unsigned long long *out);
/* A size from min to max bytes: a number with an optional K/M/G suffix. */
int mon_arg_size(const char *what, const char *s, unsigned long long min, unsigned long long max,
		 unsigned long long *out);

#endif
