/*
 * Copying a page either of which may be highmem (copy-on-write of a user
 * page on i386): both through kmap_local slots, for a moment, LIFO.
 */
#include <pagoda/highmem.h>
#include <pagoda/mm.h>
#include <pagoda/string.h>

void copy_highpage(struct page *to, struct page *from)
{
	void *src = kmap_local_page(from);
	void *dst = kmap_local_page(to);
	memcpy(dst, src, PAGE_SIZE);
	kunmap_local(dst);
	kunmap_local(src);
}
