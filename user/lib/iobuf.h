/* The large-I/O buffer (iobuf.c). */
#ifndef USER_LIB_IOBUF_H
#define USER_LIB_IOBUF_H

#define IOBUF_SIZE (128 * 1024)

/* The buffer's address and its memory object (*mo), made on first use
 * and again in a forked child; NULL with errno if it cannot be made. */
void *iobuf_get(int *mo);

#endif
