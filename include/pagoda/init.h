/*
 * The boot path's calls into mm and the block drivers: start_kernel
 * (kernel/main.c) makes each once, in this order, and nothing else may.
 * They are not part of the subsystems' APIs, which is why they live here
 * and not in <pagoda/mm.h>, <pagoda/slab.h> ...
 */
#ifndef PAGODA_INIT_H
#define PAGODA_INIT_H

/* memblock from the boot memory map, mem_map, zones, the buddy allocator;
 * after paging_init. */
void mm_init(void);
/* Preallocate the vmalloc region's top-level page-table entries and switch
 * page tables to the buddy allocator; after mm_init. */
void vmalloc_init(void);
/* Set up the kmalloc caches; after mm_init. */
void kmem_cache_init(void);
/* The RAM disk ram0 (drivers/block/ramdisk.c); size from ramdisk=. */
void ramdisk_init(void);
/* Find AHCI controllers on PCI and register their disks as sda, sdb ...;
 * after pci_init. */
void ahci_init(void);

#endif
