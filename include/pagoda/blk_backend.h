/*
 * Which back end serves the block service (issue #15, `blk=` on the
 * command line): the kernel's own AHCI driver and block layer (blk=kernel,
 * the default), or a user-space driver (blk=user: the kernel leaves the
 * AHCI controller unbound so a driver process can open it through its
 * device handle). Set once while the command line is parsed; read-only
 * after, from any context.
 */
#ifndef PAGODA_BLK_BACKEND_H
#define PAGODA_BLK_BACKEND_H

#include <pagoda/types.h>

/* True with blk=user. */
bool blk_user(void);
/* "kernel" or "user": what init's environment says (blk=...). */
const char *blk_backend_name(void);

#endif
