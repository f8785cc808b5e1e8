/*
 * The test pattern `dwrite` writes, so a host script can regenerate it
 * (tools/disk_pattern.py). Each sector is 128 little-endian 32-bit words;
 * word i of sector lba is mix(seed ^ lba * 0x9e3779b1 ^ i * 0x85ebca77),
 * where mix(x) is x ^= x >> 15; x *= 0x2c1b3c6d; x ^= x >> 12 (mod 2^32).
 */
#ifndef PAGODA_DISKPATTERN_H
#define PAGODA_DISKPATTERN_H

#include <pagoda/types.h>

static inline u32 disk_pattern_word(u64 lba, unsigned int i, u32 seed)
{
	u32 x = seed ^ (u32)(lba * 0x9e3779b1u) ^ (i * 0x85ebca77u);
	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return x;
}

static inline void disk_pattern_sector(u32 *words, u64 lba, u32 seed)
{
	for (unsigned int i = 0; i < 128; i++)
		words[i] = disk_pattern_word(lba, i, seed);
}

#endif
