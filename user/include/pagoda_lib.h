/*
 * The kernel's pure lib/ functions that the user library exports beyond the
 * C standard (one source for both: lib/parse.c, lib/errname.c, lib/crc32.c,
 * lib/diskpattern.c).
 */
#ifndef _PAGODA_LIB_H
#define _PAGODA_LIB_H

#include <stdbool.h>
#include <stddef.h>

/* Shell-style match of '*' and '?' (the kernel's ktest= selector). */
bool glob_match(const char *pattern, const char *str);
/* Split line in place at spaces and tabs into at most max words (the rest
 * dropped); returns how many. */
int split_words(char *line, char **argv, int max);
/* "ENOENT" for ENOENT or -ENOENT; "E?" if unknown. */
const char *errname(int err);
/* CRC-32 as zlib computes it: crc32(0, data, len), chained by passing the last result. */
unsigned int crc32(unsigned int crc, const void *data, size_t len);
/* The CRC of POSIX cksum (user/lib/posix_crc.c): crc = 0, then
 * posix_crc_update over the bytes, then posix_crc_final with their count. */
unsigned int posix_crc_update(unsigned int crc, const void *data, size_t len);
unsigned int posix_crc_final(unsigned int crc, unsigned long long length);
/* The disk test pattern of the monitor's `dwrite` (tools/disk_pattern.py):
 * word i of sector lba, and a whole sector's 128 words. */
unsigned int disk_pattern_word(unsigned long long lba, unsigned int i, unsigned int seed);
void disk_pattern_sector(unsigned int *words, unsigned long long lba, unsigned int seed);
/* count sectors of it from lba into buf; how many of buf's differ. */
void disk_pattern_fill(void *buf, unsigned long long lba, unsigned long count, unsigned int seed);
unsigned long disk_pattern_mismatches(const void *buf, unsigned long long lba, unsigned long count,
				      unsigned int seed);

#endif
