/*
 * Where each memory zone ends on this architecture (see <pagoda/mmzone.h>).
 * The zones are the same four on both builds; an arch leaves the ones it
 * does not have empty.
 */
#ifndef ASM_MMZONE_H
#define ASM_MMZONE_H

#include <asm/page.h>

/* ISA DMA reaches only the first 16 MiB: the same on both builds. */
#define MAX_DMA_PFN   PFN_DOWN(16ULL << 20)

#ifdef __x86_64__
#include <asm/mmzone_64.h>
#else
#include <asm/mmzone_32.h>
#endif

#endif
