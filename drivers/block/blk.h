/*
 * Block-layer internals shared by the files of drivers/block/ (not for
 * drivers: they see <pagoda/blkdev.h> and <pagoda/bio.h>).
 */
#ifndef DRIVERS_BLOCK_BLK_H
#define DRIVERS_BLOCK_BLK_H

#include <pagoda/blkdev.h>

/* Hand a checked bio to the driver, split to the disk's limits (blk_core.c). */
void blk_dispatch(struct bio *bio);
/* Offer a checked bio to the running task's plug; false if none holds it
 * (blk_merge.c). */
bool blk_plug_add(struct bio *bio);

#endif
