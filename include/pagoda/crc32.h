/* CRC-32 (zlib's): lib/crc32.c. */
#ifndef PAGODA_CRC32_H
#define PAGODA_CRC32_H

#include <pagoda/types.h>

/* crc32(0, buf, n) equals Python's zlib.crc32(buf); chain calls for more data. */
u32 crc32(u32 crc, const void *data, size_t len);

#endif
