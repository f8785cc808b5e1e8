/* The server world's own shared bits (main.c, sys.c). */
#ifndef AHCID_SERVER_H
#define AHCID_SERVER_H

#include <stddef.h>

extern int ahcid_dev;                   /* the AHCI function's device handle */

#endif
