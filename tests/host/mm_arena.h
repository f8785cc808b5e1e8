/*
 * mm_arena.h - a fake machine for the physical memory allocator on the host
 * (test_buddy.c, fuzz_buddy.c, tools/bench/bench_buddy.c).
 *
 * "Physical memory" is one mmap'd buffer, host_ram: physical address p is
 * host_ram + p (the shim <asm/page.h>). The memory map has holes, and
 * everything that is not usable RAM is mprotect'ed PROT_NONE, so the
 * allocator touching a hole or firmware page crashes at once. The kernel's
 * own memblock.c, page_alloc.c, page_alloc_debug.c and page_alloc_init.c are
 * included unchanged; printk goes to a log buffer, and panic() longjmps back
 * to a test that expects it (or aborts).
 */
#ifndef MM_ARENA_H
#define MM_ARENA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define vsnprintf kernel_vsnprintf
#define snprintf kernel_snprintf
#include "../../lib/vsprintf.c"
#include "../../mm/memblock.c"
#include "../../mm/page_alloc.c"
#include "../../mm/page_alloc_debug.c"
#include "../../mm/page_alloc_init.c"
#include "../../mm/percpu_alloc.c"
#undef vsnprintf
#undef snprintf

unsigned char *host_ram;
static size_t host_ram_size;
unsigned long host_zone_end[4];
int host_dma32_zone = ZONE_DMA32;

/* A fuzz target's check: on failure, the kernel's log so far, then where. */
#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s\n%s:%d: fuzz: assertion failed: %s\n", host_log, __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* ---- the kernel services page_alloc.c needs ----------------------------- */

static char host_log[1 << 16];
static size_t host_log_len;
static int host_verbose;

int printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = kernel_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	const char *s = buf;
	while (s[0] == '\001' && s[1])
		s += 2;                 /* the KERN_ level */
	size_t len = strlen(s);
	if (host_log_len + len + 1 >= sizeof(host_log))
		host_log_len = 0;       /* a ring of sorts: tests look at recent lines */
	memcpy(host_log + host_log_len, s, len + 1);
	host_log_len += len;
	if (host_verbose)
		fputs(s, stdout);
	return n;
}

static __attribute__((unused)) void host_log_clear(void)
{
	host_log_len = 0;
	host_log[0] = '\0';
}

static jmp_buf *host_panic_jmp;
static char host_panic_msg[512];

/* The debug options' CMDLINE_FLAG setup functions are compiled in but
 * never called: the host tests set the flags directly. */
int cmdline_set_flag(const char *name, bool *var, const char *val)
{
	(void)name;
	*var = !val;
	return val ? -1 : 0;
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kernel_vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (host_panic_jmp) {
		jmp_buf *j = host_panic_jmp;
		host_panic_jmp = NULL;
		longjmp(*j, 1);
	}
	fprintf(stderr, "%s\nKernel panic - not syncing: %s\n", host_log, host_panic_msg);
	abort();
}

static int host_warnings;
void warn_slowpath(const char *file, int line, const char *cond)
{
	host_warnings++;
	printk("WARNING: %s at %s:%d\n", cond, file, line);
}

/* alloc_pages checks GFP_KERNEL callers with might_sleep(): on the host
 * nothing is atomic. */
void __might_sleep(const char *file, int line)
{
	(void)file;
	(void)line;
}

/* The host has one task and no scheduler: nothing to switch to. */
DEFINE_PER_CPU(int, preempt_count);
DEFINE_PER_CPU(int, preempt_block_count);
DEFINE_PER_CPU(int, need_resched_flag);
void preempt_schedule(void)
{
}

void clear_highpage(struct page *page)
{
	memset(__va(page_to_phys(page)), 0, PAGE_SIZE);
}

/* Run stmt, which must panic with a message starting with prefix. Returns
 * 1 if it did. The allocator state after a panic is not to be trusted: the
 * caller builds a fresh machine. */
#define EXPECT_PANIC(stmt, prefix) ({ \
	jmp_buf __jb; volatile int __ok = 0; \
	host_panic_msg[0] = '\0'; \
	if (!setjmp(__jb)) { host_panic_jmp = &__jb; stmt; host_panic_jmp = NULL; } \
	else { __ok = strncmp(host_panic_msg, prefix, strlen(prefix)) == 0; \
	       if (!__ok) fprintf(stderr, "panic was: %s\n", host_panic_msg); } \
	__ok; })

/* ---- fake machines ------------------------------------------------------ */

struct fake_range {
	u64 start, end;
	int usable;
};

struct fake_machine {
	const char *name;
	const struct fake_range *map;
	int nr;
	unsigned long zone_end[4];      /* pfns */
	int dma32_zone;
	u64 image_start, image_end;     /* a fake kernel image to reserve */
};

#define MiB (1ULL << 20)
#define PFN_MiB(x) ((unsigned long)((x) * MiB >> PAGE_SHIFT))

/* x86_64-like: DMA < 16 MiB, DMA32 < 64 MiB (scaled down), NORMAL above;
 * firmware holes in the first MiB and at 40 MiB, a gap at 72-80 MiB, RAM
 * ending at an odd 100.5 MiB. */
static const struct fake_range x86_64_like_map[] = {
	{ 0, 0x9f000, 1 },
	{ 0x9f000, 0x100000, 0 },
	{ 0x100000, 40 * MiB, 1 },
	{ 40 * MiB, 40 * MiB + 0x5000, 0 },
	{ 40 * MiB + 0x5000, 72 * MiB, 1 },
	{ 72 * MiB, 80 * MiB, 0 },
	{ 80 * MiB, 100 * MiB + 0x80000, 1 },
};
static const struct fake_machine x86_64_like = {
	"x86_64-like", x86_64_like_map, 7,
	{ PFN_MiB(16), PFN_MiB(64), ~0UL, ~0UL }, ZONE_DMA32, 1 * MiB, 3 * MiB + 0x1234,
};

/* i386-like: DMA < 16 MiB, DMA32 empty, NORMAL up to 36 MiB ("lowmem"),
 * HIGHMEM above, with a hole across the lowmem boundary. */
static const struct fake_range i386_like_map[] = {
	{ 0, 0x9fc00, 1 },
	{ 0x9fc00, 0x100000, 0 },
	{ 0x100000, 34 * MiB, 1 },
	{ 34 * MiB, 38 * MiB + 0x3000, 0 },
	{ 38 * MiB + 0x3000, 61 * MiB + 0x7000, 1 },
};
static const struct fake_machine i386_like = {
	"i386-like", i386_like_map, 5,
	{ PFN_MiB(16), PFN_MiB(16), PFN_MiB(36), ~0UL }, ZONE_NORMAL, 1 * MiB, 2 * MiB,
};

static void fake_machine_teardown(void)
{
	if (host_ram)
		munmap(host_ram, host_ram_size);
	host_ram = NULL;
}

/* Build the machine and run the same boot sequence as mm_init: memblock,
 * reservations, mem_map, zones, hand-over. Returns the free pages. */
static unsigned long fake_machine_boot(const struct fake_machine *m)
{
	fake_machine_teardown();
	host_ram_size = m->map[m->nr - 1].end;
	host_ram = mmap(NULL, host_ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			-1, 0);
	if (host_ram == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	memset(zones, 0, sizeof(zones));
	memcpy(host_zone_end, m->zone_end, sizeof(host_zone_end));
	host_dma32_zone = m->dma32_zone;
	memblock_reset();
	for (int i = 0; i < m->nr; i++) {
		const struct fake_range *r = &m->map[i];
		if (r->usable) {
			memblock_add(r->start, r->end - r->start);
		} else {
			/* Not RAM: any touch is a crash. */
			u64 s = r->start & ~(u64)(PAGE_SIZE - 1), e = PAGE_ALIGN(r->end);
			mprotect(host_ram + s, e - s, PROT_NONE);
		}
	}
	memblock_reserve(0, MiB, "first MiB");
	memblock_reserve(m->image_start, m->image_end - m->image_start, "kernel image");
	memblock_set_current_limit(m->zone_end[2] == ~0UL ? ~(phys_addr_t)0 : PFN_PHYS(m->zone_end[2]));
	buddy_init_from_memblock();
	return nr_free_pages();
}

/* ---- snapshots of every free block -------------------------------------- */

struct snapshot {
	unsigned long n, free;
	unsigned long *block;           /* pfn << 4 | order, sorted */
};

static __attribute__((unused)) int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

static __attribute__((unused)) void snapshot_take(struct snapshot *s)
{
	drain_local_pages();
	s->n = 0;
	s->free = nr_free_pages();
	s->block = realloc(s->block, (max_pfn + 1) * sizeof(unsigned long));
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
			struct page *page;
			list_for_each_entry(page, &zones[z].free_area[o].free_list, lru)
				s->block[s->n++] = page_to_pfn(page) << 4 | o;
		}
	qsort(s->block, s->n, sizeof(unsigned long), cmp_ulong);
}

static __attribute__((unused)) int snapshot_equal(const struct snapshot *a, const struct snapshot *b)
{
	return a->free == b->free && a->n == b->n && !memcmp(a->block, b->block, a->n * sizeof(unsigned long));
}

#endif
