/*
 * Fuzz target: random kmalloc / kfree / krealloc / kmem_cache_alloc /
 * shrink sequences against the slab allocator (mm/slab*.c unchanged) over
 * the buddy allocator on a small fake machine. The first byte picks
 * slab_debug on or off; then (op, arg) byte pairs. Every live object is
 * filled with its own byte and checked before it is freed or resized (so
 * two objects sharing memory are caught); ksize covers the request; at the
 * end, everything freed and the caches shrunk, the free page count must be
 * exactly what it was after boot and the buddy allocator consistent.
 */
#include <stdint.h>
#include "slab_arena.h"

/* 24.5 MiB with holes: DMA < 8 MiB, DMA32 < 16 MiB, NORMAL above. */
static const struct fake_range fuzz_map[] = {
	{ 0, 0x9f000, 1 },
	{ 0x9f000, 0x100000, 0 },
	{ 0x100000, 9 * MiB + 0x3000, 1 },
	{ 9 * MiB + 0x3000, 9 * MiB + 0x9000, 0 },
	{ 9 * MiB + 0x9000, 20 * MiB, 1 },
	{ 20 * MiB, 21 * MiB, 0 },
	{ 21 * MiB, 24 * MiB + 0x80000, 1 },
};
static const struct fake_machine fuzz_machine = {
	"fuzz-slab", fuzz_map, 7,
	{ PFN_MiB(8), PFN_MiB(16), ~0UL, ~0UL }, ZONE_DMA32, 1 * MiB, 1 * MiB + 0x20000,
};

#define SLOTS 64
static struct {
	unsigned char *p;
	size_t len;
	unsigned char fill;
	bool cache;             /* from fuzz_cache, not kmalloc */
} slot[SLOTS];
static struct kmem_cache *fuzz_cache;
static unsigned char next_fill;

static void check_slot(int i)
{
	for (size_t j = 0; j < slot[i].len; j++)
		FUZZ_ASSERT(slot[i].p[j] == slot[i].fill);
}

static void fill_slot(int i, unsigned char *p, size_t len, bool cache)
{
	slot[i].p = p;
	slot[i].len = len;
	slot[i].cache = cache;
	slot[i].fill = ++next_fill;
	memset(p, slot[i].fill, len);
}

static void free_slot(int i)
{
	if (!slot[i].p)
		return;
	check_slot(i);
	if (slot[i].cache)
		kmem_cache_free(fuzz_cache, slot[i].p);
	else
		kfree(slot[i].p);
	slot[i].p = NULL;
}

/* Sizes: mostly small, sometimes up to 8 KiB, now and then large. */
static size_t size_of(unsigned char op, unsigned char arg)
{
	switch (op >> 6) {
	case 0: return 1 + (arg % 200);
	case 1: return 1 + ((size_t)((op >> 3) & 7) << 8 | arg) % 2048;
	case 2: return 1 + ((size_t)((op >> 3) & 7) << 8 | arg) * 4;
	default: return 8193 + ((size_t)((op >> 3) & 7) << 8 | arg) * 97;
	}
}

static void check_new(void *p, size_t len, gfp_t gfp)
{
	FUZZ_ASSERT(p != NULL && !ZERO_OR_NULL_PTR(p));
	FUZZ_ASSERT(ksize(p) >= len);
	FUZZ_ASSERT(((uintptr_t)__pa(p) & 7) == 0);
	if (gfp & __GFP_DMA)
		FUZZ_ASSERT(__pa(p) + ksize(p) <= 8 * MiB);
	if (gfp & __GFP_ZERO)
		for (size_t j = 0; j < len; j++)
			FUZZ_ASSERT(((unsigned char *)p)[j] == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	slab_arena_boot(&fuzz_machine, data[0] & 1);
	unsigned long boot_free = slab_settled_free();
	fuzz_cache = kmem_cache_create("fuzz", 40 + (data[0] >> 1) % 300, 0, 0, NULL);
	FUZZ_ASSERT(fuzz_cache);
	memset(slot, 0, sizeof(slot));

	for (size_t k = 1; k + 1 < size; k += 2) {
		unsigned char op = data[k], arg = data[k + 1];
		int i = arg % SLOTS;
		size_t len = size_of(op, arg);
		gfp_t gfp = GFP_KERNEL;
		switch (op & 7) {
		case 0:
		case 1:
			free_slot(i);
			if (op & 1)
				gfp |= __GFP_ZERO;
			if ((op & 0x38) == 0x38)
				gfp |= __GFP_DMA;
			void *p = kmalloc(len, gfp | __GFP_NOWARN);
			if (!p)
				break;          /* a small machine can run out */
			check_new(p, len, gfp);
			fill_slot(i, p, len, false);
			break;
		case 2:
			free_slot(i);
			break;
		case 3:
			if (!slot[i].p || slot[i].cache)
				break;
			check_slot(i);
			unsigned char *q = krealloc(slot[i].p, len, GFP_KERNEL | __GFP_NOWARN);
			if (!q) {
				check_slot(i);  /* untouched on failure */
				break;
			}
			FUZZ_ASSERT(ksize(q) >= len);
			for (size_t j = 0; j < (len < slot[i].len ? len : slot[i].len); j++)
				FUZZ_ASSERT(q[j] == slot[i].fill);
			fill_slot(i, q, len, false);
			break;
		case 4:
			free_slot(i);
			p = kmem_cache_alloc(fuzz_cache, GFP_KERNEL);
			FUZZ_ASSERT(p);
			FUZZ_ASSERT(virt_to_page(p)->slab_cache == fuzz_cache);
			fill_slot(i, p, kmem_cache_size(fuzz_cache), true);
			break;
		case 5:
			kmem_cache_shrink_all();
			break;
		case 6:
			free_slot(i);
			p = kcalloc(1 + arg % 16, len % 512 + 1, GFP_KERNEL);
			FUZZ_ASSERT(p);
			check_new(p, (1 + arg % 16) * (len % 512 + 1), __GFP_ZERO);
			fill_slot(i, p, (1 + arg % 16) * (len % 512 + 1), false);
			break;
		case 7:
			FUZZ_ASSERT(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
			FUZZ_ASSERT(kmalloc_array(SIZE_MAX / (arg | 2) + 1, arg | 2, GFP_KERNEL) == NULL);
			FUZZ_ASSERT(kmalloc(len, GFP_HIGHUSER) == NULL);
			break;
		}
	}
	for (int i = 0; i < SLOTS; i++)
		free_slot(i);
	FUZZ_ASSERT(kmem_cache_destroy(fuzz_cache) == 0);
	FUZZ_ASSERT(slab_settled_free() == boot_free);
	FUZZ_ASSERT(buddy_check() == 0);
	return 0;
}
