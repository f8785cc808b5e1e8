/*
 * Looking at the buddy allocator from outside: the consistency checker,
 * dump_page for bad-page reports, and the buddyinfo/zoneinfo tables. Pure
 * code like page_alloc.c (the host tests and the fuzzer use the checker).
 */
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>
#include "internal.h"

static const char *const pageflag_names[__NR_PAGEFLAGS] = {
	"reserved", "buddy", "pcp", "slab", "highmem", "user",
};

static void format_flags(char *buf, size_t size, unsigned long flags)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < __NR_PAGEFLAGS; i++)
		if (flags & (1UL << i))
			n += snprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? "|" : "", pageflag_names[i]);
	if (!n)
		snprintf(buf, size, "none");
}

void dump_page(const struct page *page, const char *reason)
{
	char names[64];
	format_flags(names, sizeof(names), page->flags & ((1UL << __NR_PAGEFLAGS) - 1));
	printk(KERN_EMERG "page: struct page %p pfn %#lx phys %#llx zone %s refcount %d private(order) %u\n",
	       (const void *)page, page_to_pfn(page), (unsigned long long)page_to_phys(page),
	       zone_names[page_zonenum(page)], page->_refcount, page->private);
	printk(KERN_EMERG "page: flags %#lx(%s)%s\n", page->flags, names,
	       PageSlab(page) ? " slab page" : "");
	if (reason)
		printk(KERN_EMERG "page dumped because: %s\n", reason);
}

/* ---- the checker ----------------------------------------------------------- */

#define MAX_REPORTS 24
static int problems;

__printf(1, 2) static void problem(const char *fmt, ...)
{
	if (problems++ >= MAX_REPORTS)
		return;
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_ERR "buddy_check: %s\n", msg);
}

/* Each free block on the lists: where it is, how it is flagged, whether its
 * buddy should have merged with it. Returns the blocks seen. */
static unsigned long check_free_lists(struct zone *zone, int zi)
{
	unsigned long pages = 0, blocks = 0;
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		unsigned long n = 0;
		struct list_head *pos;
		list_for_each(pos, &zone->free_area[o].free_list) {
			if (++n > zone->spanned_pages + 1) {
				problem("zone %s order %u: free list does not end (loop?)", zone->name, o);
				break;
			}
			struct page *page = list_entry(pos, struct page, lru);
			unsigned long pfn = page_to_pfn(page);
			if (!pfn_valid(pfn) || !zone_spans_pfn(zone, pfn) || pfn + (1UL << o) > zone_end_pfn(zone)) {
				problem("zone %s order %u: block at pfn %#lx is outside the zone [%#lx-%#lx)", zone->name,
					o, pfn, zone->zone_start_pfn, zone_end_pfn(zone));
				continue;
			}
			if (pfn & ((1UL << o) - 1))
				problem("zone %s order %u: block at pfn %#lx is not aligned to its order", zone->name, o, pfn);
			if (!PageBuddy(page) || PageReserved(page) || PagePcp(page) || PageSlab(page))
				problem("zone %s order %u: block at pfn %#lx has flags %#lx", zone->name, o, pfn, page->flags);
			if (page->private != o)
				problem("zone %s order %u: block at pfn %#lx says order %u", zone->name, o, pfn, page->private);
			if (page->_refcount)
				problem("zone %s order %u: free block at pfn %#lx has refcount %d", zone->name, o, pfn,
					page->_refcount);
			if ((int)page_zonenum(page) != zi)
				problem("zone %s: pfn %#lx belongs to zone %s", zone->name, pfn, zone_names[page_zonenum(page)]);
			if (o < MAX_PAGE_ORDER) {
				unsigned long b = pfn ^ (1UL << o);
				if (pfn < b && zone_spans_pfn(zone, b) && PageBuddy(pfn_to_page(b)) &&
				    pfn_to_page(b)->private == o)
					problem("zone %s order %u: buddies %#lx and %#lx are both free but not merged",
						zone->name, o, pfn, b);
			}
			pages += 1UL << o;
		}
		if (n != zone->free_area[o].nr_free)
			problem("zone %s order %u: nr_free %lu but %lu blocks on the list", zone->name, o,
				zone->free_area[o].nr_free, n);
		blocks += n;
	}
	if (pages != zone->free_pages)
		problem("zone %s: free_pages %lu but the lists hold %lu", zone->name, zone->free_pages, pages);
	return blocks;
}

/* Walk every pfn of the zone: each PG_buddy head must be one the lists
 * hold, and no page inside a free block may be anything but a plain tail
 * (that is how overlapping blocks show up). */
static void check_zone_pages(struct zone *zone, unsigned long blocks)
{
	unsigned long heads = 0, end = zone_end_pfn(zone);
	for (unsigned long pfn = zone->zone_start_pfn; pfn < end;) {
		struct page *page = pfn_to_page(pfn);
		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		heads++;
		unsigned int o = page->private;
		if (o > MAX_PAGE_ORDER) {
			problem("zone %s: pfn %#lx has PG_buddy with order %u", zone->name, pfn, o);
			pfn++;
			continue;
		}
		for (unsigned long i = 1; i < (1UL << o) && pfn + i < end; i++) {
			struct page *tail = page + i;
			if ((tail->flags & ((1UL << PG_buddy) | (1UL << PG_pcp) | (1UL << PG_reserved))) || tail->_refcount)
				problem("zone %s: pfn %#lx inside the free order-%u block at %#lx has flags %#lx refcount %d",
					zone->name, pfn + i, o, pfn, tail->flags, tail->_refcount);
		}
		pfn += 1UL << o;
	}
	if (heads != blocks)
		problem("zone %s: %lu pages flagged PG_buddy but %lu blocks on the lists", zone->name, heads, blocks);
}

static void check_pcp(struct zone *zone, int zi)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);
		int n = 0;
		struct list_head *pos;
		list_for_each(pos, &pcp->list) {
			if (++n > pcp->high + 1) {
				problem("zone %s cpu %d: per-CPU list longer than high (%d)", zone->name, cpu, pcp->high);
				break;
			}
			struct page *page = list_entry(pos, struct page, lru);
			unsigned long pfn = page_to_pfn(page);
			if (!PagePcp(page) || PageBuddy(page) || PageReserved(page) || page->_refcount ||
			    (int)page_zonenum(page) != zi || !zone_spans_pfn(zone, pfn))
				problem("zone %s cpu %d: per-CPU page pfn %#lx has flags %#lx refcount %d", zone->name, cpu,
					pfn, page->flags, page->_refcount);
		}
		if (n != pcp->count)
			problem("zone %s cpu %d: pcp count %d but %d pages on the list", zone->name, cpu, pcp->count, n);
	}
}

int buddy_check(void)
{
	struct zone *zone;
	problems = 0;
	for_each_zone(zone) {
		int zi = (int)(zone - zones);
		unsigned long flags;
		spin_lock_irqsave(&zone->lock, flags);
		unsigned long blocks = check_free_lists(zone, zi);
		check_zone_pages(zone, blocks);
		check_pcp(zone, zi);
		unsigned long pcp_pages = 0;
		for (int cpu = 0; cpu < NR_CPUS; cpu++)
			pcp_pages += (unsigned long)per_cpu_ptr(zone->per_cpu_pageset, cpu)->count;
		if (zone->free_pages + pcp_pages > zone->managed_pages)
			problem("zone %s: %lu free pages but only %lu managed", zone->name,
				zone->free_pages + pcp_pages, zone->managed_pages);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	if (problems > MAX_REPORTS)
		printk(KERN_ERR "buddy_check: ... and %d more\n", problems - MAX_REPORTS);
	return problems;
}

/* ---- tables ---------------------------------------------------------------- */

static unsigned long zone_pcp_pages(const struct zone *zone)
{
	unsigned long n = 0;
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		n += (unsigned long)per_cpu_ptr(zone->per_cpu_pageset, cpu)->count;
	return n;
}

void show_buddyinfo(void)
{
	struct zone *zone;
	printk("buddyinfo: free blocks per order (order n = 2^n pages = %lu KiB << n)\n", PAGE_SIZE >> 10);
	printk("%-18s", "order");
	for (int o = 0; o <= MAX_PAGE_ORDER; o++)
		printk(KERN_CONT " %6d", o);
	printk(KERN_CONT "\n");
	for_each_zone(zone) {
		if (!zone->spanned_pages)
			continue;
		printk("Node 0, zone %-7s", zone->name);
		for (int o = 0; o <= MAX_PAGE_ORDER; o++)
			printk(KERN_CONT " %6lu", zone->free_area[o].nr_free);
		printk(KERN_CONT "\n");
	}
	/* Single pages each CPU keeps out of the lists above (not merged). */
	for_each_zone(zone) {
		int cpu;
		if (!zone->spanned_pages)
			continue;
		printk("pcp per CPU, zone %-7s", zone->name);
		for_each_online_cpu(cpu)
			printk(KERN_CONT " cpu%d %d", cpu, READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset, cpu)->count));
		printk(KERN_CONT "\n");
	}
}

void show_zoneinfo(void)
{
	struct zone *zone;
	printk("zoneinfo: %-7s %-23s %9s %9s %9s %9s %7s\n", "zone", "pfn range", "spanned", "present", "managed",
	       "free", "pcp");
	for_each_zone(zone) {
		if (!zone->spanned_pages) {
			printk("zoneinfo: %-7s %-23s %9d %9d %9d %9d %7d\n", zone->name, "(empty)", 0, 0, 0, 0, 0);
			continue;
		}
		char range[32];
		snprintf(range, sizeof(range), "[%#lx-%#lx)", zone->zone_start_pfn, zone_end_pfn(zone));
		printk("zoneinfo: %-7s %-23s %9lu %9lu %9lu %9lu %7lu\n", zone->name, range, zone->spanned_pages,
		       zone->present_pages, zone->managed_pages, zone->free_pages + zone_pcp_pages(zone),
		       zone_pcp_pages(zone));
	}
	printk("zoneinfo: per-CPU cache: high %d, batch %d per zone and CPU; free includes the pcp pages\n",
	       per_cpu_ptr(zones[0].per_cpu_pageset, 0)->high, per_cpu_ptr(zones[0].per_cpu_pageset, 0)->batch);
	printk("zoneinfo: failing allocations that drained every CPU's caches and retried: %lu\n",
	       READ_ONCE(page_alloc_drains));
}
