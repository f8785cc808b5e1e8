/*
 * The CRC of POSIX cksum (and GNU coreutils' `cksum FILE`): CRC-32 with
 * the polynomial 0x04C11DB7 taken most significant bit first (not the
 * reflected zlib CRC of lib/crc32.c), the file's length appended in as
 * few bytes as it needs, least significant first, and the result
 * inverted. Pure: tests/host/test_ufd.c checks it against the host's cksum.
 */
#include <stddef.h>
/* Declared in <pagoda_lib.h>; nothing else included, so the host test compiles it as it is. */

static unsigned int table[256];

static void build_table(void)
{
	for (unsigned int i = 0; i < 256; i++) {
		unsigned int c = i << 24;
		for (int k = 0; k < 8; k++)
			c = c & 0x80000000U ? (c << 1) ^ 0x04c11db7U : c << 1;
		table[i] = c;
	}
}

unsigned int posix_crc_update(unsigned int crc, const void *data, size_t len)
{
	const unsigned char *p = data;
	if (!table[1])
		build_table();
	while (len--)
		crc = (crc << 8) ^ table[(crc >> 24) ^ *p++];
	return crc;
}

unsigned int posix_crc_final(unsigned int crc, unsigned long long length)
{
	for (; length; length >>= 8) {
		unsigned char b = (unsigned char)length;
		crc = posix_crc_update(crc, &b, 1);
	}
	return ~crc;
}
