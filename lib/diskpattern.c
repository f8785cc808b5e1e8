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

void disk_pattern_fill(void *buf, u64 lba, unsigned long count, u32 seed)
{
	for (unsigned long s = 0; s < count; s++)
		disk_pattern_sector((u32 *)buf + s * 128, lba + s, seed);
}

unsigned long disk_pattern_mismatches(const void *buf, u64 lba, unsigned long count, u32 seed)
{
	const u32 *w = buf;
	unsigned long bad = 0;
	for (unsigned long s = 0; s < count; s++)
		for (unsigned int i = 0; i < 128; i++)
			if (w[s * 128 + i] != disk_pattern_word(lba + s, i, seed)) {
				bad++;
				break;
			}
	return bad;
}
