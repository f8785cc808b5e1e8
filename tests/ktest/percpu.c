/*
 * Per-CPU data (<pagoda/percpu.h>): every CPU has its own copy, started
 * from the template, aligned as declared, and this_cpu_ptr() on a CPU names
 * the same copy as per_cpu_ptr(.., that cpu) from anywhere. Run with 1, 2
 * and 4 CPUs (tests/manifest.d/percpu.ini); docs/smp.md.
 */
#include <pagoda/ktest.h>
#include <pagoda/percpu.h>
#include <pagoda/smp.h>

static DEFINE_PER_CPU(int, pcpu_test_int);
static DEFINE_PER_CPU(int, pcpu_test_init) = 4242;     /* nobody writes it */
struct pcpu_test_line { char c; };
/* Two in a row: the second is aligned only if the attribute works (the
 * first may be by luck, after a bigger aligned variable). */
static DEFINE_PER_CPU_ALIGNED(struct pcpu_test_line, pcpu_test_aligned);
static DEFINE_PER_CPU_ALIGNED(struct pcpu_test_line, pcpu_test_aligned2);
static DEFINE_PER_CPU_PAGE_ALIGNED(char [64], pcpu_test_page);

/* Every CPU's copy is its own memory, in its own area, not the template. */
static void copies_are_distinct(struct ktest *t)
{
	unsigned long area = __per_cpu_end - __per_cpu_start;
	KTEST_ASSERT_GT(t, area, 0);
	for (int i = 0; i < NR_CPUS; i++) {
		KTEST_EXPECT_TRUE(t, per_cpu_ptr(&pcpu_test_int, i) != &pcpu_test_int);
		for (int j = i + 1; j < NR_CPUS; j++) {
			unsigned long a = per_cpu_offset(i), b = per_cpu_offset(j);
			/* Areas do not overlap: offsets at least one area apart. */
			KTEST_EXPECT_GE(t, a > b ? a - b : b - a, area);
		}
	}
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		per_cpu(pcpu_test_int, cpu) = 1000 + cpu;
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		KTEST_EXPECT_EQ(t, per_cpu(pcpu_test_int, cpu), 1000 + cpu);
}

/* Each copy started as the template's initial value. */
static void copies_start_from_template(struct ktest *t)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		KTEST_EXPECT_EQ(t, per_cpu(pcpu_test_init, cpu), 4242);
}

static void aligned_where_declared(struct ktest *t)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned long line = (unsigned long)per_cpu_ptr(&pcpu_test_aligned, cpu);
		unsigned long line2 = (unsigned long)per_cpu_ptr(&pcpu_test_aligned2, cpu);
		KTEST_EXPECT_EQ(t, line % SMP_CACHE_BYTES, 0);
		KTEST_EXPECT_EQ(t, line2 % SMP_CACHE_BYTES, 0);
		KTEST_EXPECT_TRUE(t, line2 / SMP_CACHE_BYTES != line / SMP_CACHE_BYTES);
		KTEST_EXPECT_EQ(t, (unsigned long)per_cpu_ptr(&pcpu_test_page, cpu) % 4096, 0);
		KTEST_EXPECT_EQ(t, per_cpu_offset(cpu) % 4096, 0);
	}
}

/* What each CPU saw of itself, from a cross-CPU call. */
struct seen {
	void *this_int[NR_CPUS];
	void *this_dyn[NR_CPUS];
	int id[NR_CPUS];
	int read_back[NR_CPUS];
	unsigned long off[NR_CPUS];
};
static long *pcpu_test_dyn;

static void look_at_self(void *arg)
{
	struct seen *s = arg;
	int cpu = smp_processor_id();
	s->this_int[cpu] = this_cpu_ptr(&pcpu_test_int);
	s->this_dyn[cpu] = this_cpu_ptr(pcpu_test_dyn);
	s->id[cpu] = this_cpu_read(cpu_number);
	this_cpu_write(pcpu_test_int, 2000 + cpu);
	this_cpu_inc(pcpu_test_int);
	s->read_back[cpu] = this_cpu_read(pcpu_test_int);
	s->off[cpu] = this_cpu_read(this_cpu_off);
}

static void this_cpu_ptr_on_every_cpu(struct ktest *t)
{
	static struct seen s;
	pcpu_test_dyn = alloc_percpu(long);
	KTEST_ASSERT_NOT_NULL(t, pcpu_test_dyn);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		s.id[cpu] = -1;
	on_each_cpu(look_at_self, &s, true);
	int cpu, n = 0;
	for_each_online_cpu(cpu) {
		n++;
		KTEST_EXPECT_EQ(t, s.id[cpu], cpu);
		KTEST_EXPECT_PTR_EQ(t, s.this_int[cpu], per_cpu_ptr(&pcpu_test_int, cpu));
		KTEST_EXPECT_PTR_EQ(t, s.this_dyn[cpu], per_cpu_ptr(pcpu_test_dyn, cpu));
		KTEST_EXPECT_EQ(t, s.off[cpu], per_cpu_offset(cpu));
		/* Written through the segment on that CPU, read here by address. */
		KTEST_EXPECT_EQ(t, s.read_back[cpu], 2001 + cpu);
		KTEST_EXPECT_EQ(t, per_cpu(pcpu_test_int, cpu), 2001 + cpu);
	}
	KTEST_EXPECT_EQ(t, n, (int)num_online_cpus());
	free_percpu(pcpu_test_dyn);
}

/* alloc_percpu: zeroed copies, distinct blocks, all of it given back. */
static void alloc_percpu_zeroed_and_reused(struct ktest *t)
{
	size_t used = percpu_dynamic_used();
	struct big { u64 v[20]; } *a = alloc_percpu(struct big), *b = alloc_percpu(struct big);
	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_EXPECT_TRUE(t, (char *)b >= (char *)(a + 1) || (char *)(b + 1) <= (char *)a);
	KTEST_EXPECT_EQ(t, percpu_dynamic_used(), used + 2 * 192);     /* 160 B: 3 granules each */
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct big *p = per_cpu_ptr(a, cpu);
		for (int i = 0; i < 20; i++)
			KTEST_EXPECT_EQ(t, p->v[i], 0);
		p->v[7] = cpu + 1;
	}
	free_percpu(a);
	struct big *c = alloc_percpu(struct big);
	KTEST_ASSERT_NOT_NULL(t, c);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		KTEST_EXPECT_EQ(t, per_cpu_ptr(c, cpu)->v[7], 0);
	free_percpu(b);
	free_percpu(c);
	KTEST_EXPECT_EQ(t, percpu_dynamic_used(), used);

	/* Until the reserve runs out, then every block back. */
	static void *blocks[PERCPU_DYNAMIC_SIZE / 64];
	int n = 0;
	while (n < (int)ARRAY_SIZE(blocks) && (blocks[n] = alloc_percpu(char)))
		n++;
	KTEST_EXPECT_EQ(t, (size_t)n * 64, PERCPU_DYNAMIC_SIZE - used);
	KTEST_EXPECT_NULL(t, alloc_percpu(char));
	while (n)
		free_percpu(blocks[--n]);
	KTEST_EXPECT_EQ(t, percpu_dynamic_used(), used);
}

static struct ktest_case percpu_cases[] = {
	KTEST_CASE(copies_are_distinct),
	KTEST_CASE(copies_start_from_template),
	KTEST_CASE(aligned_where_declared),
	KTEST_CASE(this_cpu_ptr_on_every_cpu),
	KTEST_CASE(alloc_percpu_zeroed_and_reused),
	{}
};
KTEST_SUITE(percpu, percpu_cases);
