/*
 * The `vmmap` and `pmap` dumps (kernel/observe/vmmap.c) of a live process,
 * /bin/t_vmmap started with the monitor's `run ... &`, checked against
 * what they claim to show:
 *   - vmmap's regions are sorted, do not overlap and tile the whole
 *     address space once, from 0 to the last byte;
 *   - its user regions are exactly the VMAs `vmas` prints, and the gaps
 *     below TASK_SIZE are `unmapped`;
 *   - its kernel regions are the kernel's own bounds: the image's section
 *     symbols, VMALLOC_START/END, the pkmap pool, FIXADDR_START, PAGE_OFFSET;
 *   - every `pmap` page is what an independent walk of the process's page
 *     tables (pt_walk, the `pt` command's walk) finds there, in the zone
 *     its struct page says, and there are as many as the process's rss;
 *     on i386 with highmem, user pages live in HighMem.
 * tests/manifest.d/vmmap.ini; tools/vmmap.py draws the dumps.
 */
#include <pagoda/ktest.h>
#include <pagoda/highmem_stats.h>
#include <pagoda/mm.h>
#include <pagoda/mm_user.h>
#include <pagoda/mmzone.h>
#include <pagoda/monitor.h>
#include <pagoda/process.h>
#include <pagoda/sched.h>
#include <pagoda/sections.h>
#include <pagoda/signal.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <uapi/pagoda/wait.h>
#include <asm/fixmap.h>
#include <asm/pgtable.h>
#include "ktest_observe.h"

static char out[16384];
#define mon(...) ktest_monitor(out, sizeof(out), __VA_ARGS__)

#define MAX_REGIONS 64
struct vregion {
	unsigned long first, last;
	char kind[16];
	char detail[48];
};
static struct vregion regions[MAX_REGIONS];

/* The next line of *p (NUL-terminated copy in line), or false at the end. */
static bool next_line(const char **p, char *line, size_t size)
{
	if (!**p)
		return false;
	const char *e = strchr(*p, '\n');
	size_t n = e ? (size_t)(e - *p) : strlen(*p);
	size_t c = n < size - 1 ? n : size - 1;
	memcpy(line, *p, c);
	line[c] = '\0';
	*p += n + (e ? 1 : 0);
	return true;
}

static bool hex(const char *s, unsigned long *v)
{
	unsigned long long x;
	if (parse_ulong(s, &x, false) || x > ~0UL)
		return false;
	*v = (unsigned long)x;
	return true;
}

/* Parse vmmap's output into regions[]: their number, or -1 if a line is
 * malformed or the begin/end lines are missing or disagree. */
static int parse_vmmap(struct ktest *t, int pid)
{
	const char *p = out;
	char line[160], *w[8];
	int n = 0, end_count = -1;
	bool begun = false;
	while (next_line(&p, line, sizeof(line))) {
		int nw = split_words(line, w, 8);
		if (nw >= 3 && !strcmp(w[0], "vmmap-begin")) {
			begun = true;
			KTEST_EXPECT_STREQ(t, w[1], BITS_PER_LONG == 64 ? "x86_64" : "i386");
			unsigned long long got;
			KTEST_EXPECT_EQ(t, parse_ulong(w[2], &got, false), 0);
			KTEST_EXPECT_EQ(t, got, (unsigned long long)pid);
		} else if (nw >= 4 && !strcmp(w[0], "vmmap:")) {
			if (n == MAX_REGIONS)
				return -1;
			struct vregion *r = &regions[n++];
			if (!hex(w[1], &r->first) || !hex(w[2], &r->last))
				return -1;
			strlcpy(r->kind, w[3], sizeof(r->kind));
			r->detail[0] = '\0';
			for (int i = 4; i < nw; i++) {
				size_t l = strlen(r->detail);
				snprintf(r->detail + l, sizeof(r->detail) - l, "%s%s", i > 4 ? " " : "", w[i]);
			}
		} else if (nw == 2 && !strcmp(w[0], "vmmap-split")) {
			unsigned long split = 0;
			KTEST_EXPECT_TRUE(t, hex(w[1], &split));
			KTEST_EXPECT_EQ(t, split, TASK_SIZE);
		} else if (nw == 2 && !strcmp(w[0], "vmmap-end")) {
			unsigned long long c;
			if (parse_ulong(w[1], &c, false))
				return -1;
			end_count = (int)c;
		}
	}
	if (!begun || end_count != n)
		return -1;
	return n;
}

/* The region holding va, or NULL. */
static const struct vregion *region_at(int n, unsigned long va)
{
	for (int i = 0; i < n; i++)
		if (regions[i].first <= va && va <= regions[i].last)
			return &regions[i];
	return NULL;
}

/* A region [start, end) of this kind must be in the dump exactly. */
static void expect_region(struct ktest *t, int n, unsigned long start, unsigned long end, const char *kind)
{
	const struct vregion *r = region_at(n, start);
	KTEST_ASSERT_NOT_NULL(t, r);
	KTEST_EXPECT_STREQ(t, r->kind, kind);
	KTEST_EXPECT_EQ(t, r->first, start);
	KTEST_EXPECT_EQ(t, r->last, end - 1);
}

static int start_t_vmmap(struct ktest *t)
{
	if (mon("run t_vmmap 600 &") != MON_OK)
		return -1;
	const char *s = strstr(out, "(pid ");
	if (!s || !strstr(out, "sleeping in the background"))
		return -1;
	unsigned long long pid = 0;
	for (s += 5; *s >= '0' && *s <= '9'; s++)
		pid = pid * 10 + (unsigned long long)(*s - '0');
	return (int)pid;
}

static void stop(struct ktest *t, int pid)
{
	int st = 0;
	KTEST_EXPECT_EQ(t, mon("kill %d", pid), MON_OK);
	KTEST_EXPECT_EQ(t, kernel_wait4(pid, &st, 0), pid);
	KTEST_EXPECT_EQ(t, st, W_EXITCODE(0, SIGKILL));
}

/* The user regions, in order, against the lines `vmas` prints
 * ("start-end perms ..."), and the gaps between them. */
static void check_user_half(struct ktest *t, int n, int pid)
{
	static char vmas[4096];
	KTEST_ASSERT_EQ(t, ktest_monitor(vmas, sizeof(vmas), "vmas %d", pid), MON_OK);

	int i = 0, nvma = 0;
	const char *p = vmas;
	char line[160];
	while (next_line(&p, line, sizeof(line))) {
		char *dash = strchr(line, '-'), *sp = strchr(line, ' ');
		if (!dash || !sp || dash > sp)
			continue;               /* the totals line */
		*dash = *sp = '\0';
		char start_s[24], end_s[24];
		snprintf(start_s, sizeof(start_s), "0x%s", line);
		snprintf(end_s, sizeof(end_s), "0x%s", dash + 1);
		unsigned long start, end;
		KTEST_ASSERT_TRUE(t, hex(start_s, &start) && hex(end_s, &end));
		nvma++;
		while (i < n && strcmp(regions[i].kind, "user"))
			i++;                    /* unmapped gaps between VMAs */
		KTEST_ASSERT_LT(t, i, n);
		KTEST_EXPECT_EQ(t, regions[i].first, start);
		KTEST_EXPECT_EQ(t, regions[i].last, end - 1);
		KTEST_EXPECT_EQ(t, strncmp(regions[i].detail, sp + 1, 4), 0);    /* the perms */
		i++;
	}
	KTEST_EXPECT_GE(t, nvma, 5);    /* text, rodata, data, heap, mmap, stack */
	int users = 0;
	for (int k = 0; k < n; k++) {
		if (!strcmp(regions[k].kind, "user"))
			users++;
		if (regions[k].first < TASK_SIZE) {
			KTEST_EXPECT_LE(t, regions[k].last, TASK_SIZE - 1);     /* nothing straddles the split */
			KTEST_EXPECT_TRUE(t, !strcmp(regions[k].kind, "user") || !strcmp(regions[k].kind, "unmapped"));
		}
	}
	KTEST_EXPECT_EQ(t, users, nvma);
}

static void no_entry(const struct pkmap_info *info, void *arg)
{
}

static void vmmap_tiles_and_matches(struct ktest *t)
{
	int pid = start_t_vmmap(t);
	KTEST_ASSERT_GT(t, pid, 0);
	KTEST_EXPECT_EQ(t, mon("vmmap %d", pid), MON_OK);
	int n = parse_vmmap(t, pid);
	KTEST_EXPECT_GT(t, n, 8);
	if (n > 8) {
		/* Sorted, contiguous, from 0 to the last byte: each address once. */
		KTEST_EXPECT_EQ(t, regions[0].first, 0);
		KTEST_EXPECT_EQ(t, regions[n - 1].last, ~0UL);
		for (int i = 0; i < n; i++) {
			KTEST_EXPECT_LE(t, regions[i].first, regions[i].last);
			if (i)
				KTEST_EXPECT_EQ(t, regions[i].first, regions[i - 1].last + 1);
		}
		check_user_half(t, n, pid);

		/* The kernel half, from the kernel's own variables. */
		expect_region(t, n, (unsigned long)_text & PAGE_MASK, (unsigned long)_srodata, "kernel-text");
		expect_region(t, n, (unsigned long)_srodata, (unsigned long)_sdata, "kernel-rodata");
		expect_region(t, n, (unsigned long)_sdata, (unsigned long)__bss_start, "kernel-data");
		expect_region(t, n, (unsigned long)__bss_start, PAGE_ALIGN((unsigned long)_end), "kernel-bss");
		expect_region(t, n, VMALLOC_START, VMALLOC_END, "vmalloc");
		expect_region(t, n, FIXADDR_START, FIXADDR_START + FIXADDR_SIZE, "fixmap");
		struct pkmap_stats pk;
		pkmap_for_each(no_entry, NULL, &pk);
		if (pk.size)
			expect_region(t, n, pk.base, pk.base + pk.size * PAGE_SIZE, "pkmap");
		const struct vregion *dm = region_at(n, PAGE_OFFSET);
		KTEST_ASSERT_NOT_NULL(t, dm);
		KTEST_EXPECT_STREQ(t, dm->kind, "direct-map");
		KTEST_EXPECT_EQ(t, dm->first, PAGE_OFFSET);
		/* The last lowmem page is in the direct map, the byte after it not. */
		u64 ram = (u64)max_pfn << PAGE_SHIFT, limit = direct_map_limit();
		unsigned long dm_last = PAGE_OFFSET + (unsigned long)((ram < limit ? ram : limit) - 1);
		const struct vregion *top = region_at(n, dm_last), *above = region_at(n, dm_last + 1);
		KTEST_ASSERT_NOT_NULL(t, top);
		KTEST_ASSERT_NOT_NULL(t, above);
		KTEST_EXPECT_STREQ(t, top->kind, "direct-map");
		KTEST_EXPECT_EQ(t, top->last, dm_last);
		KTEST_EXPECT_NE(t, strcmp(above->kind, "direct-map"), 0);
	}
	stop(t, pid);
}

/* Every pmap line against pt_walk of the process's page directory. */
static void pmap_matches_page_tables(struct ktest *t)
{
	int pid = start_t_vmmap(t);
	KTEST_ASSERT_GT(t, pid, 0);
	KTEST_EXPECT_EQ(t, mon("pmap %d", pid), MON_OK);
	struct task_struct *task = find_get_task(pid);
	KTEST_ASSERT_NOT_NULL(t, task);
	struct mm_struct *mm = get_task_mm(task);
	put_task_struct(task);
	KTEST_ASSERT_NOT_NULL(t, mm);

	const char *p = out;
	char line[160], *w[8];
	unsigned long pages = 0, bad = 0, wrong_zone = 0, high = 0, prev = 0, unsorted = 0;
	long end_count = -1;
	mutex_lock(&mm->mmap_lock);
	while (next_line(&p, line, sizeof(line))) {
		int nw = split_words(line, w, 8);
		if (nw == 2 && !strcmp(w[0], "pmap-end")) {
			unsigned long long c;
			if (!parse_ulong(w[1], &c, false))
				end_count = (long)c;
		}
		if (nw < 5 || strcmp(w[0], "pmap:"))
			continue;
		unsigned long va, pfn;
		unsigned long long pf;
		if (!hex(w[1], &va) || parse_ulong(w[2], &pf, false)) {
			bad++;
			continue;
		}
		pfn = (unsigned long)pf;
		if (pages && va <= prev)
			unsorted++;
		prev = va;
		pages++;
		struct pt_walk pw;
		pt_walk(mm->pgd, va, &pw);
		if (!pw.present || (unsigned long)(pw.phys >> PAGE_SHIFT) != pfn) {
			if (bad++ < 3)
				ktest_fail_msg(t, __FILE__, __LINE__, "pmap says %lx -> pfn %lu, the walk %s %llx", va,
					       pfn, pw.present ? "finds" : "finds nothing:", (unsigned long long)pw.phys);
			continue;
		}
		const char *zone = page_zone(pfn_to_page(pfn))->name;
		if (strcmp(zone, w[3]))
			wrong_zone++;
		if (page_zonenum(pfn_to_page(pfn)) == ZONE_HIGHMEM)
			high++;
	}
	unsigned long rss = mm->rss;
	mutex_unlock(&mm->mmap_lock);
	mmput(mm);
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, wrong_zone, 0);
	KTEST_EXPECT_EQ(t, unsorted, 0);
	KTEST_EXPECT_GT(t, pages, 20);  /* text, data, heap, mmap, stack pages touched */
	KTEST_EXPECT_EQ(t, pages, rss);
	KTEST_EXPECT_EQ(t, end_count, (long)pages);
	/* User pages come from GFP_HIGHUSER: highmem first, where there is any. */
	if (zones[ZONE_HIGHMEM].free_pages > 1024)
		KTEST_EXPECT_GT(t, high, 0);
	stop(t, pid);
}

static struct ktest_case vmmap_cases[] = {
	KTEST_CASE(vmmap_tiles_and_matches),
	KTEST_CASE(pmap_matches_page_tables),
	{}
};
KTEST_SUITE(vmmap, vmmap_cases);
