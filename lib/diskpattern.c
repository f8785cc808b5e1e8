/* The disk test pattern (<pagoda/diskpattern.h>): kernel and user builds. */
#include <pagoda/diskpattern.h>

u32 disk_pattern_word(u64 lba, unsigned int i, u32 seed)
{
	u32 x = seed ^ (u32)(lba * 0x9e3779b1u) ^ (i * 0x85ebca77u);
	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return x;
}

void disk_pattern_sector(u32 *words, u64 lba, u32 seed)
{
	for (unsigned int i = 0; i < 128; i++)
		words[i] = disk_pattern_word(lba, i, seed);
}
