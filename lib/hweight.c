/* Population count by adding bit fields in parallel: pairs, nibbles, bytes,
 * then one multiply sums the bytes into the top one. */
#include <pagoda/bitops.h>

unsigned int hweight32(u32 w)
{
	w = w - ((w >> 1) & 0x55555555);
	w = (w & 0x33333333) + ((w >> 2) & 0x33333333);
	w = (w + (w >> 4)) & 0x0f0f0f0f;
	return (w * 0x01010101) >> 24;
}

unsigned int hweight64(u64 w)
{
	return hweight32((u32)w) + hweight32((u32)(w >> 32));
}
