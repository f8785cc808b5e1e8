/*
 * Slab debugging on the running kernel. The ordinary cases check the
 * states an object goes through (poison, red zone, owner) with slab_debug
 * on, and that correct use never trips a check. The expected-panic cases
 * each make one mistake and must stop with its report; each is booted
 * alone with slab_debug (tests/manifest.d/slab.ini).
 */
#include <pagoda/ktest.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include "../../mm/slab.h"

/* Keep the compiler from reasoning about the misuse below. */
static void *volatile sink;
static void *launder(void *p)
{
	sink = p;
	return sink;
}

static int need_debug(struct ktest *t)
{
	if (!slab_debug)
		ktest_skip(t, "needs the slab_debug boot option");
	return slab_debug;
}

static void object_states(struct ktest *t)
{
	if (!need_debug(t))
		return;
	struct kmem_cache *s = &kmalloc_caches[KMALLOC_NORMAL][3];     /* kmalloc-64 */
	u8 *p = kmalloc(64, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_PTR_EQ(t, virt_to_page(p)->slab_cache, s);
	/* Allocated: the red zone says active, the owner is this function. */
	KTEST_EXPECT_EQ(t, p[64], SLUB_RED_ACTIVE);
	struct slab_track *tr = (struct slab_track *)(p + s->track);
	KTEST_EXPECT_EQ(t, tr[0].addr >= (unsigned long)object_states, true);
	KTEST_EXPECT_LT(t, tr[0].addr, (unsigned long)object_states + 4096);
	kfree(p);
	/* Free: poisoned through the last byte, red zone inactive. */
	int bad = 0;
	for (int i = 0; i < 63; i++)
		bad += p[i] != POISON_FREE;
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, p[63], POISON_END);
	KTEST_EXPECT_EQ(t, p[64], SLUB_RED_INACTIVE);
	KTEST_EXPECT_NE(t, tr[1].seq, 0);
	KTEST_EXPECT_GT(t, tr[1].seq, tr[0].seq);
	/* Stride covers object, red zones, free pointer and both owners. */
	KTEST_EXPECT_GE(t, s->size, 64 + 2 * SLAB_RZ + sizeof(void *) + 2 * sizeof(struct slab_track));
	KTEST_EXPECT_EQ(t, s->size % 64, 0);      /* natural alignment kept */
}

/* kmalloc(100) comes from kmalloc-128: bytes 100..127 are red zone until
 * someone asks ksize, which promises all 128. */
static void kmalloc_slack(struct ktest *t)
{
	if (!need_debug(t))
		return;
	u8 *p = kzalloc(100, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	int bad = 0;
	for (int i = 0; i < 100; i++)
		bad += p[i] != 0;
	for (int i = 100; i < 128; i++)
		bad += p[i] != SLUB_RED_ACTIVE;
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, ksize(p), 128);
	memset(p, 1, 128);      /* allowed now */
	u8 *q = krealloc(p, 40, GFP_KERNEL);    /* in place: 40..127 red zone again */
	KTEST_EXPECT_PTR_EQ(t, q, p);
	KTEST_EXPECT_EQ(t, q[39], 1);
	KTEST_EXPECT_EQ(t, q[40], SLUB_RED_ACTIVE);
	kfree(q);
}

static void clean_use_never_reports(struct ktest *t)
{
	if (!need_debug(t))
		return;
	/* Write every byte we own, in every class; free in another order. */
	static u8 *objs[13 * 8];
	int n = 0;
	for (unsigned int c = 0; c < NR_KMALLOC_SIZES; c++)
		for (int k = 0; k < 8; k++) {
			size_t size = kmalloc_caches[0][c].object_size - (size_t)k;
			objs[n] = kmalloc(size, GFP_KERNEL);
			KTEST_ASSERT_NOT_NULL(t, objs[n]);
			memset(objs[n], 0, ksize(objs[n]));
			n++;
		}
	for (int i = 0; i < n; i += 2)
		kfree(objs[i]);
	for (int i = 1; i < n; i += 2)
		kfree(objs[i]);
	KTEST_EXPECT_EQ(t, n, 13 * 8);
}

/* ---- expected panics (slab_debug) ------------------------------------------ */

static void double_kfree(struct ktest *t)
{
	void *p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	kfree(launder(p));
	sink = NULL;            /* no tail call: keep this frame in the report */
}

static void redzone_overwrite(struct ktest *t)
{
	u8 *p = kmalloc(64, GFP_KERNEL);
	u8 *q = launder(p);
	q[64] = 0x00;           /* one byte past the end */
	kfree(p);
	sink = NULL;
}

static void use_after_free(struct ktest *t)
{
	u8 *p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	u8 *q = launder(p);
	q[10] = 0x42;           /* through a stale pointer */
	sink = kmalloc(64, GFP_KERNEL);  /* the same object again: poison checked */
	sink = NULL;
}

static void kmalloc_slack_overwrite(struct ktest *t)
{
	u8 *p = kmalloc(100, GFP_KERNEL);
	u8 *q = launder(p);
	q[100] = 0x00;          /* inside kmalloc-128, past the 100 asked for */
	kfree(p);
	sink = NULL;
}

static void kfree_middle_of_object(struct ktest *t)
{
	u8 *p = kmalloc(64, GFP_KERNEL);
	kfree(launder(p + 8));
	sink = NULL;
}

static void kfree_never_allocated(struct ktest *t)
{
	/* A page straight from the buddy allocator: kmalloc never saw it. */
	unsigned long page = __get_free_page(GFP_KERNEL);
	kfree(launder((void *)page));
	sink = NULL;
}

static void destroy_live(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("test-leaky", 40, 0, 0, NULL);
	sink = kmem_cache_alloc(c, GFP_KERNEL);
	sink = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_destroy(c);
	sink = NULL;
}

static void kmalloc_zero_touch(struct ktest *t)
{
	u8 *p = kmalloc(0, GFP_KERNEL);
	*(volatile u8 *)launder(p) = 1;
}

static struct ktest_case slab_debug_cases[] = {
	KTEST_CASE(object_states),
	KTEST_CASE(kmalloc_slack),
	KTEST_CASE(clean_use_never_reports),
	KTEST_PANIC_CASE(double_kfree, "BUG kmalloc-64: double free"),
	KTEST_PANIC_CASE(redzone_overwrite, "BUG kmalloc-64: Redzone overwritten"),
	KTEST_PANIC_CASE(use_after_free, "BUG kmalloc-64: Poison overwritten (use after free)"),
	KTEST_PANIC_CASE(kmalloc_slack_overwrite, "BUG kmalloc-128: Redzone overwritten"),
	KTEST_PANIC_CASE(kfree_middle_of_object, "BUG: kfree of invalid pointer"),
	KTEST_PANIC_CASE(kfree_never_allocated, "BUG: kfree of invalid pointer"),
	KTEST_PANIC_CASE(destroy_live, "kmem_cache_destroy test-leaky: 2 objects still allocated"),
	KTEST_PANIC_CASE(kmalloc_zero_touch, "BUG: kernel NULL pointer dereference"),
	{}
};
KTEST_SUITE(slab_debug, slab_debug_cases);
