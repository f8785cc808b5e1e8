/*
 * malloc: a first-fit free list over brk, simple enough to read in one
 * sitting. Every block has a header with its size (header included, a
 * multiple of 16, so payloads are 16-byte aligned as the ABI wants). Free
 * blocks are kept in address order and merged with their neighbours, so
 * the heap does not crumble into slivers. The heap only grows. A large
 * block (MMAP_MIN and up) gets pages of its own from mmap instead, so
 * freeing it gives them back at once; bit 0 of its size says so.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#define ALIGN 16
#define GROW_MIN (64 * 1024)    /* ask brk for at least this much at a time */
#define MMAP_MIN (128 * 1024)   /* from this size on, a block is its own mapping */
#define MMAPPED 1               /* in size: the block came from mmap */
#define PAGE 4096

struct block {
	size_t size;            /* bytes, this header included */
	struct block *next;     /* free list only */
};

#define HDR ((sizeof(struct block) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

static struct block *free_list;

static void insert_free(struct block *b)
{
	struct block **pp = &free_list;
	while (*pp && *pp < b)
		pp = &(*pp)->next;
	b->next = *pp;
	*pp = b;
	if (b->next && (char *)b + b->size == (char *)b->next) {       /* merge with the next */
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (pp != &free_list) {                                         /* and with the previous */
		struct block *prev = (struct block *)((char *)pp - offsetof(struct block, next));
		if ((char *)prev + prev->size == (char *)b) {
			prev->size += b->size;
			prev->next = b->next;
		}
	}
}

static int grow(size_t need)
{
	size_t n = need < GROW_MIN ? GROW_MIN : need;
	char *p = sbrk(0);
	/* Keep blocks aligned even if the first brk is not. */
	size_t pad = (ALIGN - (uintptr_t)p % ALIGN) % ALIGN;
	if (sbrk((long)(n + pad)) == (void *)-1)
		return -1;
	struct block *b = (struct block *)(p + pad);
	b->size = n;
	insert_free(b);
	return 0;
}

void *malloc(size_t size)
{
	if (size > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	size_t need = (size + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need >= MMAP_MIN) {
		size_t len = (need + PAGE - 1) & ~(size_t)(PAGE - 1);
		struct block *b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (b == MAP_FAILED)
			return NULL;
		b->size = len | MMAPPED;
		return (char *)b + HDR;
	}
	for (;;) {
		for (struct block **pp = &free_list; *pp; pp = &(*pp)->next) {
			struct block *b = *pp;
			if (b->size < need)
				continue;
			if (b->size - need >= HDR + ALIGN) {    /* split: the tail stays free */
				struct block *rest = (struct block *)((char *)b + need);
				rest->size = b->size - need;
				rest->next = b->next;
				b->size = need;
				*pp = rest;
			} else {
				*pp = b->next;
			}
			return (char *)b + HDR;
		}
		if (grow(need))
			return NULL;
	}
}

void free(void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)((char *)p - HDR);
	if (b->size & MMAPPED)
		munmap(b, b->size & ~(size_t)MMAPPED);
	else
		insert_free(b);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);         /* even fresh pages: a reused block is not */
	return p;
}

void *realloc(void *p, size_t size)
{
	if (!p)
		return malloc(size);
	size_t have = (((struct block *)((char *)p - HDR))->size & ~(size_t)MMAPPED) - HDR;
	if (size <= have)
		return p;
	void *q = malloc(size);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}
