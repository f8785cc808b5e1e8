/*
 * The test pattern `dwrite` and `blk write` write, so a host script can
 * regenerate it (tools/disk_pattern.py). Each sector is 128 little-endian
 * 32-bit words; word i of sector lba is
 * mix(seed ^ lba * 0x9e3779b1 ^ i * 0x85ebca77), where mix(x) is
 * x ^= x >> 15; x *= 0x2c1b3c6d; x ^= x >> 12 (mod 2^32).
 * Pure code in lib/diskpattern.c: the user library builds it too.
 */
#ifndef PAGODA_DISKPATTERN_H
#define PAGODA_DISKPATTERN_H

#include <pagoda/types.h>

u32 disk_pattern_word(u64 lba, unsigned int i, u32 seed);
/* The 128 words of sector lba. */
void disk_pattern_sector(u32 *words, u64 lba, u32 seed);
/* count sectors of it from lba into buf (count * 512 bytes). */
void disk_pattern_fill(void *buf, u64 lba, unsigned long count, u32 seed);
/* How many of the count sectors in buf differ from it (from lba). */
unsigned long disk_pattern_mismatches(const void *buf, u64 lba, unsigned long count, u32 seed);

#endif
