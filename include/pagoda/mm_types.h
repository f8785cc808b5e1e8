/*
 * struct page: one per physical page frame, from pfn 0 to max_pfn, holes
 * included (a hole's page is simply PG_reserved forever). It is kept small
 * because there are many: 32 bytes on x86_64 (0.8% of RAM), 20 on i386.
 */
#ifndef PAGODA_MM_TYPES_H
#define PAGODA_MM_TYPES_H

#include <pagoda/list.h>
#include <pagoda/types.h>

struct page {
	/* PG_* bits below; the zone number lives in the top bits. */
	unsigned long flags;
	union {
		/* Free (buddy or per-CPU list) or owned by a subsystem that
		 * keeps pages on a list. */
		struct list_head lru;
		/* Slab page: its cache, and the first free object. */
		struct {
			void *slab_cache;
			void *freelist;
		};
		/* PG_user page (anonymous user memory, mm/memory.c): how many
		 * page-table entries map it, over every address space. fork
		 * shares a page (2), a copy-on-write fault or an unmap drops one
		 * mapping, and the last one frees the page. Atomic: the mappers
		 * are different mms under different locks. Reuses the list's
		 * room, so struct page keeps its size. */
		int _mapcount;
	};
	/* PG_buddy: the order of the free block this page heads. Allocated
	 * block head: the order it was allocated with (checked by free). */
	unsigned int private;
	/* References: 1 from alloc_pages, 0 while free. */
	int _refcount;
};

#endif
