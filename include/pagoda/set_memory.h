/*
 * Changing the permissions of kernel mappings that already exist, like
 * Linux's set_memory_ro/rw: for vmalloc-area pages (4 KiB PTEs). The new
 * permission holds on every CPU when the call returns: weakening a
 * mapping is a TLB shootdown (mm/tlb.c), since another CPU's TLB may still
 * hold the writable entry. May wait for other CPUs: process context, no
 * spinlock held.
 */
#ifndef PAGODA_SET_MEMORY_H
#define PAGODA_SET_MEMORY_H

/* 0, or -EINVAL (with a message) if [addr, addr + numpages pages) is not
 * page-aligned, not in the vmalloc area, or has a page not mapped. */
int set_memory_ro(unsigned long addr, int numpages);
int set_memory_rw(unsigned long addr, int numpages);

#endif
