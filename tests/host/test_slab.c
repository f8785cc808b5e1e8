/*
 * The slab allocator (mm/slab*.c, unchanged) on the buddy allocator's fake
 * machines, under ASan/UBSan: size classes and ksize, alignment, caches with
 * constructors, the per-CPU stacks, memory returning to the buddy
 * allocator exactly, large kmalloc, krealloc, kmalloc_array overflow,
 * GFP_DMA, and every slab_debug report (panic() longjmps back here).
 */
#include "hosttest.h"
#include "slab_arena.h"
#include "../../lib/random.c"

static struct rnd_state rng_state = { 0x9e3779b97f4a7c15ULL };
static unsigned long rng(void)
{
	return prandom_u32_state(&rng_state);
}

static size_t want_ksize(size_t n)
{
	static const size_t cls[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };
	for (unsigned int i = 0; i < 13; i++)
		if (n <= cls[i])
			return cls[i];
	size_t b = PAGE_SIZE;
	while (b < n)
		b <<= 1;
	return b;
}

static void test_sizes(const struct fake_machine *m, bool debug)
{
	slab_arena_boot(m, debug);
	unsigned long before = slab_settled_free();
	for (size_t n = 1; n <= 20000; n += (n < 600 ? 1 : 97)) {
		unsigned char *p = kmalloc(n, GFP_KERNEL);
		CHECKF(p != NULL, "kmalloc(%zu)", n);
		if (!p)
			continue;
		CHECKF(ksize(p) == want_ksize(n), "ksize(kmalloc(%zu)) = %zu", n, ksize(p));
		size_t k = want_ksize(n);
		size_t align = (k & (k - 1)) ? 8 : (k > PAGE_SIZE ? PAGE_SIZE : k);
		/* Physical alignment: host_ram is page aligned, so __pa shows it. */
		CHECKF((__pa(p) & (align - 1)) == 0, "kmalloc(%zu) at phys %#llx", n, (unsigned long long)__pa(p));
		memset(p, 0xee, ksize(p));
		kfree(p);
	}
	CHECK_EQ(slab_settled_free(), before);
	CHECK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK_EQ(ksize(ZERO_SIZE_PTR), 0);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	CHECK(kmalloc_array(SIZE_MAX / 4, 8, GFP_KERNEL) == NULL);
	CHECK(kcalloc(SIZE_MAX, 2, GFP_KERNEL) == NULL);
	CHECK(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	int w = host_warnings;
	CHECK(kmalloc(16, GFP_HIGHUSER) == NULL);
	CHECK(kmalloc(16, GFP_HIGHUSER) == NULL);
	CHECK(host_warnings <= w + 1);  /* once */
	unsigned char *big = kmalloc(150 * 1000, GFP_KERNEL);
	CHECK(big != NULL);
	CHECK_EQ(ksize(big), 262144);
	CHECK_EQ(before - nr_free_pages(), 64);
	kfree(big);
	CHECK_EQ(slab_settled_free(), before);
}

static int ctor_runs;
static void ctor(void *p)
{
	memset(p, 0x3c, 24);
	ctor_runs++;
}

static void test_caches(void)
{
	slab_arena_boot(&x86_64_like, false);
	unsigned long before = slab_settled_free();
	struct kmem_cache *c = kmem_cache_create("host-ctor", 24, 32, 0, ctor);
	CHECK(c != NULL);
	void *objs[500];
	for (int i = 0; i < 500; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		CHECK(((uintptr_t)objs[i] & 31) == 0);
		CHECK(((unsigned char *)objs[i])[23] == 0x3c);
	}
	CHECK_EQ(ctor_runs, (int)(c->nr_slabs * c->objects));
	int runs = ctor_runs;
	for (int i = 0; i < 500; i++)
		kmem_cache_free(c, objs[i]);
	for (int i = 0; i < 100; i++)
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK_EQ(ctor_runs, runs);      /* reused objects are not reconstructed */
	CHECK_EQ(kmem_cache_destroy(c), -EBUSY);
	CHECK_CONTAINS(host_log, "kmem_cache_destroy host-ctor: 100 objects still allocated");
	for (int i = 0; i < 100; i++)
		kmem_cache_free(c, objs[i]);
	CHECK_EQ(kmem_cache_destroy(c), 0);
	CHECK_EQ(slab_settled_free(), before);
	CHECK(kmem_cache_create("bad", 10, 24, 0, NULL) == NULL);
}

/* Objects allocated as one CPU and freed as another go back to the right
 * slabs; kmem_cache_shrink empties every CPU's stack. */
static void test_cross_cpu_free(void)
{
	slab_arena_boot(&x86_64_like, false);
	host_nr_cpus = 4;
	unsigned long before = slab_settled_free();
	struct kmem_cache *c = kmem_cache_create("host-xcpu", 100, 0, 0, NULL);
	CHECK(c != NULL);
	void *objs[300];
	for (int i = 0; i < 300; i++) {
		host_cpu = i % 2;
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		memset(objs[i], i & 0xff, 100);
	}
	for (int i = 0; i < 300; i++) {
		host_cpu = 2 + i % 2;
		CHECK(((unsigned char *)objs[i])[99] == (i & 0xff));
		kmem_cache_free(c, objs[i]);
	}
	CHECK(per_cpu_ptr(c->cpu_cache, 2)->avail > 0 && per_cpu_ptr(c->cpu_cache, 3)->avail > 0);
	host_cpu = 0;
	kmem_cache_shrink(c);
	for (int cpu = 0; cpu < 4; cpu++)
		CHECK_EQ(per_cpu_ptr(c->cpu_cache, cpu)->avail, 0u);
	CHECK_EQ(c->inuse, 0ul);
	CHECK_EQ(kmem_cache_destroy(c), 0);
	CHECK_EQ(slab_settled_free(), before);
	host_nr_cpus = 1;
}

static void test_dma(void)
{
	slab_arena_boot(&i386_like, false);
	for (int i = 0; i < 200; i++) {
		size_t n = 1 + rng() % 20000;
		void *p = kmalloc(n, GFP_DMA);
		CHECK(p != NULL);
		CHECKF(__pa(p) + ksize(p) <= 16 * MiB, "GFP_DMA kmalloc(%zu) at %#llx", n, (unsigned long long)__pa(p));
		kfree(p);
	}
	/* No slab page is highmem: everything kmalloc returns has an address. */
	for (int i = 0; i < 2000; i++) {
		void *p = kmalloc(4096, GFP_KERNEL);
		CHECK(p && !PageHighMem(virt_to_page(p)));
	}
}

static void test_random(bool debug)
{
	slab_arena_boot(&x86_64_like, debug);
	unsigned long before = slab_settled_free();
	enum { N = 256 };
	static unsigned char *live[N];
	static size_t len[N];
	for (int step = 0; step < 100000; step++) {
		int i = (int)(rng() % N);
		if (live[i]) {
			unsigned char v = (unsigned char)((uintptr_t)live[i] >> 4);
			for (size_t j = 0; j < len[i]; j++)
				if (live[i][j] != v) {
					CHECKF(0, "object %p byte %zu changed", live[i], j);
					break;
				}
			if (rng() & 1) {
				kfree(live[i]);
				live[i] = NULL;
				continue;
			}
			size_t n = 1 + rng() % 10000;
			unsigned char *q = krealloc(live[i], n, GFP_KERNEL);
			CHECK(q != NULL);
			size_t keep = len[i] < n ? len[i] : n;
			for (size_t j = 0; j < keep; j++)
				if (q[j] != v) {
					CHECKF(0, "krealloc lost byte %zu", j);
					break;
				}
			live[i] = q;
			len[i] = n;
		} else {
			len[i] = 1 + rng() % (rng() & 1 ? 300 : 20000);
			live[i] = kmalloc(len[i], GFP_KERNEL);
			CHECK(live[i] != NULL);
		}
		memset(live[i], (unsigned char)((uintptr_t)live[i] >> 4), len[i]);
	}
	for (int i = 0; i < N; i++) {
		kfree(live[i]);
		live[i] = NULL;
	}
	CHECK_EQ(slab_settled_free(), before);
	CHECK_EQ(buddy_check(), 0);
}

/* Each misuse panics with its report; the machine is rebuilt after. */
static void test_debug_reports(void)
{
	unsigned char *volatile p;

	slab_arena_boot(&x86_64_like, true);
	host_log_clear();
	p = kmalloc(64, GFP_KERNEL);
	p[64] = 0;
	CHECK(EXPECT_PANIC(kfree(p), "BUG kmalloc-64: Redzone overwritten"));
	CHECK_CONTAINS(host_log, "First bad byte at offset 64 (in the red zone");
	CHECK_CONTAINS(host_log, "expected 0xcc, found 0x00");
	CHECK_CONTAINS(host_log, "Last allocated by");
	CHECK_CONTAINS(host_log, "Last freed by: never");

	slab_arena_boot(&x86_64_like, true);
	host_log_clear();
	p = kzalloc(100, GFP_KERNEL);
	CHECK(p[99] == 0 && p[100] == SLUB_RED_ACTIVE && p[127] == SLUB_RED_ACTIVE);
	p[120] = 0;
	CHECK(EXPECT_PANIC(kfree(p), "BUG kmalloc-128: Redzone overwritten"));
	CHECK_CONTAINS(host_log, "First bad byte at offset 120 (past the 100 bytes requested");

	slab_arena_boot(&x86_64_like, true);
	host_log_clear();
	p = kmalloc(100, GFP_KERNEL);
	kfree(p);
	CHECK(EXPECT_PANIC(kfree(p), "BUG kmalloc-128: double free"));

	slab_arena_boot(&x86_64_like, true);
	host_log_clear();
	p = kmalloc(32, GFP_KERNEL);
	kfree(p);
	p[31] = 0x6b;           /* the end marker, 0xa5, is checked too */
	CHECK(EXPECT_PANIC(kmalloc(32, GFP_KERNEL), "BUG kmalloc-32: Poison overwritten (use after free)"));
	CHECK_CONTAINS(host_log, "First bad byte at offset 31 (in the object");
	CHECK_CONTAINS(host_log, "expected 0xa5, found 0x6b");

	slab_arena_boot(&x86_64_like, true);
	host_log_clear();
	p = kmalloc(64, GFP_KERNEL);
	CHECK(EXPECT_PANIC(kfree(p + 16), "BUG: kfree of invalid pointer"));
	CHECK_CONTAINS(host_log, "is 16 bytes into object");

	slab_arena_boot(&x86_64_like, false);
	host_log_clear();
	static unsigned char not_heap[64];
	CHECK(EXPECT_PANIC(kfree(not_heap), "BUG: kfree of invalid pointer"));
	CHECK_CONTAINS(host_log, "not a direct-map address");
	unsigned long page = __get_free_page(GFP_KERNEL);
	CHECK(EXPECT_PANIC(kfree((void *)page), "BUG: kfree of invalid pointer"));
	CHECK_CONTAINS(host_log, "its page was not allocated by kmalloc");
	p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	CHECK(EXPECT_PANIC(kfree(p + PAGE_SIZE), "BUG: kfree of invalid pointer"));
	kfree(p);
	CHECK(EXPECT_PANIC(kfree(p), "BUG: kfree of invalid pointer"));
	CHECK_CONTAINS(host_log, "its page is free");

	slab_arena_boot(&x86_64_like, true);
	host_log_clear();
	struct kmem_cache *volatile c = kmem_cache_create("host-leak", 40, 0, 0, NULL);
	kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(EXPECT_PANIC(kmem_cache_destroy(c), "kmem_cache_destroy host-leak: 1 objects still allocated"));
	CHECK_CONTAINS(host_log, "kmem_cache_destroy host-leak: object");

	/* A debug cache on a non-debug boot, by its flags alone. */
	slab_arena_boot(&x86_64_like, false);
	c = kmem_cache_create("host-rz", 40, 0, SLAB_RED_ZONE, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	p[40] = 1;
	CHECK(EXPECT_PANIC(kmem_cache_free(c, p), "BUG host-rz: Redzone overwritten"));
}

int main(void)
{
	test_sizes(&x86_64_like, false);
	test_sizes(&x86_64_like, true);
	test_sizes(&i386_like, false);
	test_caches();
	test_cross_cpu_free();
	test_dma();
	test_random(false);
	test_random(true);
	test_debug_reports();
	fake_machine_teardown();
	return ht_finish();
}
