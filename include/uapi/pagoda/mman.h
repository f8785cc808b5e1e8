/* mmap/mprotect flags (Linux's x86 values). Anonymous private memory only for now. */
#ifndef _UAPI_PAGODA_MMAN_H
#define _UAPI_PAGODA_MMAN_H

#define PROT_NONE       0x0
#define PROT_READ       0x1
#define PROT_WRITE      0x2
#define PROT_EXEC       0x4

#define MAP_SHARED      0x01    /* reserved: memory objects (issue #15) share pages instead */
#define MAP_PRIVATE     0x02
#define MAP_FIXED       0x10    /* exactly at addr, replacing what is there */
#define MAP_ANONYMOUS   0x20    /* zero-filled, no file (the only kind yet) */
#define MAP_GROWSDOWN   0x0100  /* a stack: a fault just below it extends it */

#define MAP_FAILED      ((void *)-1)

#endif
