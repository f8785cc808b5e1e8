/* ahcid: kmalloc is the user library's malloc (memory without a bus
 * address: the driver never hands it to the HBA unmapped). */
#ifndef AHCID_PAGODA_SLAB_H
#define AHCID_PAGODA_SLAB_H

#include <pagoda/gfp.h>
#include <pagoda/types.h>

void *calloc(size_t n, size_t size);
void free(void *p);

static inline void *kzalloc(size_t size, gfp_t gfp) { (void)gfp; return calloc(1, size); }
static inline void *kcalloc(size_t n, size_t size, gfp_t gfp) { (void)gfp; return calloc(n, size); }
static inline void kfree(const void *p) { free((void *)p); }

#endif
