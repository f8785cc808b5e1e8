/* The server world's own shared bits (main.c, sys.c). */
#ifndef AHCID_SERVER_H
#define AHCID_SERVER_H

#include <stddef.h>

extern int ahcid_dev;                   /* the AHCI function's device handle */
void *ahcid_memobj_map(int mo, size_t len, int prot);
long ahcid_memobj_size(int mo);

#endif
