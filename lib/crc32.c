/*
 * CRC-32 as zlib and Ethernet compute it (reflected polynomial 0xedb88320,
 * initial value and final xor 0xffffffff), so a host script can check what
 * the kernel read: python3 -c 'import zlib; print(hex(zlib.crc32(data)))'.
 * Pass the previous result as crc to continue over more data (0 to start).
 * Pure code: the host tests compile it.
 */
#include <pagoda/crc32.h>

static u32 table[256];

static void make_table(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

u32 crc32(u32 crc, const void *data, size_t len)
{
	const u8 *p = data;
	if (!table[1])
		make_table();
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
