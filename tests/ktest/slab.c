/*
 * Slab caches on the running kernel: create and destroy, alignment,
 * constructors run once per object (not per allocation), the per-CPU stack
 * refilling and flushing in batches, slab pages pointing back at their
 * cache, empty slabs going back to the buddy allocator, and destroy
 * refusing a cache with live objects. Also run with slab_debug.
 */
#include <pagoda/errno.h>
#include <pagoda/ktest.h>
#include "ktest_pages.h"
#include <pagoda/random.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include "../../mm/slab.h"

static void create_alloc_destroy(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("test-100", 100, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_EXPECT_STREQ(t, kmem_cache_name(c), "test-100");
	KTEST_EXPECT_EQ(t, kmem_cache_size(c), 100);
	enum { N = 300 };
	static u8 *objs[N];
	for (int i = 0; i < N; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, objs[i]);
		KTEST_EXPECT_EQ(t, (unsigned long)objs[i] & 7, 0);
		memset(objs[i], i, 100);
		struct page *page = virt_to_page(objs[i]);
		KTEST_EXPECT_TRUE(t, PageSlab(page));
		KTEST_EXPECT_PTR_EQ(t, page->slab_cache, c);
		KTEST_EXPECT_EQ(t, ksize(objs[i]), 100);
	}
	int bad = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < 100; j++)
			bad += objs[i][j] != (u8)i;
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, c->inuse - cache_cpu_objects(c), N);
	for (int i = 0; i < N; i++)
		kmem_cache_free(c, objs[i]);
	KTEST_EXPECT_EQ(t, c->inuse - cache_cpu_objects(c), 0);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

static void alignment(struct ktest *t)
{
	struct kmem_cache *a = kmem_cache_create("test-align256", 40, 256, 0, NULL);
	struct kmem_cache *h = kmem_cache_create("test-hwcache", 24, 0, SLAB_HWCACHE_ALIGN, NULL);
	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_NOT_NULL(t, h);
	static void *pa[40], *ph[40];
	for (int i = 0; i < 40; i++) {
		pa[i] = kmem_cache_alloc(a, GFP_KERNEL);
		ph[i] = kmem_cache_alloc(h, GFP_KERNEL);
		KTEST_EXPECT_EQ(t, (unsigned long)pa[i] & 255, 0);
		KTEST_EXPECT_EQ(t, (unsigned long)ph[i] & 63, 0);
	}
	for (int i = 0; i < 40; i++) {
		kmem_cache_free(a, pa[i]);
		kmem_cache_free(h, ph[i]);
	}
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(a), 0);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(h), 0);
	KTEST_EXPECT_NULL(t, kmem_cache_create("test-bad-align", 64, 48, 0, NULL));
	KTEST_EXPECT_NULL(t, kmem_cache_create("test-zero", 0, 0, 0, NULL));
	KTEST_EXPECT_NULL(t, kmem_cache_create("test-huge", 1 << 20, 0, 0, NULL));
}

static int ctor_calls;
struct ctor_obj {
	u32 magic;
	u32 uses;
	u8 payload[56];
};
static void ctor_fn(void *p)
{
	struct ctor_obj *o = p;
	o->magic = 0xc0ffee;
	o->uses = 0;
	ctor_calls++;
}

static void constructor_once_per_object(struct ktest *t)
{
	ctor_calls = 0;
	struct kmem_cache *c = kmem_cache_create("test-ctor", sizeof(struct ctor_obj), 0, 0, ctor_fn);
	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_EXPECT_EQ(t, ctor_calls, 0);  /* no slab yet */
	struct ctor_obj *o = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, o);
	KTEST_EXPECT_EQ(t, o->magic, 0xc0ffee);
	/* The whole first slab was constructed at once. */
	KTEST_EXPECT_EQ(t, ctor_calls, (int)c->objects);
	o->uses++;
	kmem_cache_free(c, o);
	struct ctor_obj *o2 = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_EXPECT_PTR_EQ(t, o2, o);
	/* Not constructed again: the state the user left is still there. */
	KTEST_EXPECT_EQ(t, o2->magic, 0xc0ffee);
	KTEST_EXPECT_EQ(t, o2->uses, 1);
	KTEST_EXPECT_EQ(t, ctor_calls, (int)c->objects);
	kmem_cache_free(c, o2);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

static void per_cpu_batches(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("test-pcpu", 64, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	struct array_cache *ac = this_cpu_ptr(c->cpu_cache);
	KTEST_EXPECT_EQ(t, ac->avail, 0);
	void *p = kmem_cache_alloc(c, GFP_KERNEL);
	/* One refill brought a batch: one handed out, the rest on the stack. */
	KTEST_EXPECT_EQ(t, ac->avail, ac->batch - 1);
	KTEST_EXPECT_EQ(t, c->inuse, ac->batch);
	KTEST_EXPECT_EQ(t, c->nr_slabs, 1);
	kmem_cache_free(c, p);
	KTEST_EXPECT_EQ(t, ac->avail, ac->batch);
	/* Fill the stack past its limit: a batch goes back to the slab. */
	void *objs[64];
	for (int i = 0; i < 64; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	for (int i = 0; i < 64; i++)
		kmem_cache_free(c, objs[i]);
	KTEST_EXPECT_LE(t, ac->avail, ac->limit);
	KTEST_EXPECT_EQ(t, c->inuse, ac->avail);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

static void shrink_gives_pages_back(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("test-512", 512, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	drain_all_pages();
	unsigned long before = nr_free_pages();
	enum { N = 400 };
	static void *objs[N];
	for (int i = 0; i < N; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	unsigned long pages = c->nr_slabs << c->order;
	KTEST_EXPECT_GE(t, pages * PAGE_SIZE, N * 512UL);
	drain_local_pages();
	KTEST_EXPECT_EQ(t, before - nr_free_pages(), pages);
	for (int i = 0; i < N; i++)
		kmem_cache_free(c, objs[i]);
	/* Beyond the reserve, empty slabs already went back. */
	struct array_cache *ac = this_cpu_ptr(c->cpu_cache);
	KTEST_EXPECT_LE(t, c->nr_slabs, SLAB_EMPTY_RESERVE + (ac->limit + c->objects - 1) / c->objects + 1);
	kmem_cache_shrink(c);
	KTEST_EXPECT_EQ(t, c->nr_slabs, 0);
	drain_local_pages();
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

static void destroy_refuses_live_objects(struct ktest *t)
{
	if (slab_debug) {
		ktest_skip(t, "slab_debug makes this a panic (slab_debug.destroy_live)");
		return;
	}
	struct kmem_cache *c = kmem_cache_create("test-leak", 48, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	void *a = kmem_cache_alloc(c, GFP_KERNEL), *b = kmem_cache_alloc(c, GFP_KERNEL);
	void *d = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, b);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), -EBUSY);
	/* Still usable after the refusal. */
	KTEST_EXPECT_EQ(t, c->inuse, 2);
	kmem_cache_free(c, a);
	kmem_cache_free(c, d);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
}

static struct rnd_state slab_rng_state = { 0x2545f491 };
static unsigned long slab_rng(void)
{
	return prandom_u32_state(&slab_rng_state);
}

/* Random alloc/free across caches and sizes; every live object keeps a
 * pattern derived from its address, checked before it is freed. */
static void random_stress(struct ktest *t)
{
	enum { N = 512 };
	static u8 *live[N];
	static size_t len[N];
	unsigned long before = ktest_settled_free_pages();
	struct kmem_cache *c = kmem_cache_create("test-stress", 72, 0, 0, NULL);
	KTEST_ASSERT_NOT_NULL(t, c);
	int bad = 0;
	for (int step = 0; step < 20000; step++) {
		unsigned long i = slab_rng() % N;
		if (live[i]) {
			u8 want = (u8)((unsigned long)live[i] >> 3);
			for (size_t j = 0; j < len[i]; j++)
				bad += live[i][j] != want;
			if (len[i] == 72 && !(i & 1))
				kmem_cache_free(c, live[i]);
			else
				kfree(live[i]);
			live[i] = NULL;
			continue;
		}
		len[i] = (i & 1) ? 1 + slab_rng() % 3000 : 72;
		if (!(i & 1))
			live[i] = kmem_cache_alloc(c, GFP_KERNEL);
		else
			live[i] = kmalloc(len[i], GFP_KERNEL);
		if (!live[i]) {
			bad++;
			continue;
		}
		memset(live[i], (u8)((unsigned long)live[i] >> 3), len[i]);
	}
	for (int i = 0; i < N; i++) {
		if (!live[i])
			continue;
		if (!(i & 1))
			kmem_cache_free(c, live[i]);
		else
			kfree(live[i]);
		live[i] = NULL;
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(c), 0);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
}

static void kmalloc_caches_listed(struct ktest *t)
{
	int n = 0;
	struct kmem_cache *s;
	list_for_each_entry(s, &slab_caches, list)
		n += s->is_static;
	KTEST_EXPECT_EQ(t, n, 2 * NR_KMALLOC_SIZES);
	KTEST_EXPECT_EQ(t, kmem_cache_destroy(&kmalloc_caches[0][3]), -EINVAL);
	KTEST_EXPECT_STREQ(t, kmalloc_caches[0][3].name, "kmalloc-64");
	/* Debug flags follow the boot option. */
	KTEST_EXPECT_EQ(t, !!(kmalloc_caches[0][3].flags & SLAB_RED_ZONE), slab_debug);
}

static struct ktest_case slab_cases[] = {
	KTEST_CASE(create_alloc_destroy),
	KTEST_CASE(alignment),
	KTEST_CASE(constructor_once_per_object),
	KTEST_CASE(per_cpu_batches),
	KTEST_CASE(shrink_gives_pages_back),
	KTEST_CASE(destroy_refuses_live_objects),
	KTEST_CASE(random_stress),
	KTEST_CASE(kmalloc_caches_listed),
	{}
};
KTEST_SUITE(slab, slab_cases);
