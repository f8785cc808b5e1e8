/*
 * The vmalloc region's first-fit range allocator (mm/vmap_first_fit.c) on the
 * host: gaps are reused lowest first, every area keeps its guard page, the
 * list stays sorted, and a full region says so. A random run checks the
 * invariants against a byte map of the region.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hosttest.h"

/* The shim <asm/page.h> has no layout: a small region is enough here. */
#define VMALLOC_START 0x100000UL
#define VMALLOC_END   0x200000UL            /* 256 pages */
#include "../../mm/vmap_first_fit.c"

static LIST_HEAD(areas);

static struct vm_struct *add(unsigned long pages)
{
	struct vm_struct *a = calloc(1, sizeof(*a));
	a->size = pages * PAGE_SIZE;
	if (vmap_insert_first_fit(&areas, a, VMALLOC_START, VMALLOC_END)) {
		free(a);
		return NULL;
	}
	return a;
}

static void del(struct vm_struct *a)
{
	list_del(&a->list);
	free(a);
}

/* Sorted, inside the region, no overlap including guard pages. */
static int check_list(void)
{
	unsigned long prev_end = VMALLOC_START;
	struct vm_struct *a;
	list_for_each_entry(a, &areas, list) {
		if (a->addr < prev_end || a->addr + a->size + PAGE_SIZE > VMALLOC_END)
			return 0;
		prev_end = a->addr + a->size + PAGE_SIZE;
	}
	return 1;
}

int main(void)
{
	struct vm_struct *a = add(3), *b = add(1), *c = add(2);
	CHECK(a && b && c);
	CHECK_EQ(a->addr, VMALLOC_START);
	CHECK_EQ(b->addr, VMALLOC_START + 4 * PAGE_SIZE);       /* after a and its guard */
	CHECK_EQ(c->addr, VMALLOC_START + 6 * PAGE_SIZE);
	CHECK(check_list());

	del(a);                                 /* a 4-page hole at the start */
	struct vm_struct *d = add(4);           /* 4 + guard does not fit in it */
	CHECK(d != NULL);
	CHECK_EQ(d->addr, VMALLOC_START + 9 * PAGE_SIZE);
	struct vm_struct *e = add(3);           /* 3 + guard fits exactly */
	CHECK(e != NULL);
	CHECK_EQ(e->addr, VMALLOC_START);
	CHECK(list_first_entry(&areas, struct vm_struct, list) == e);
	CHECK(check_list());

	struct vm_struct zero = { .size = 0 };
	CHECK_EQ(vmap_insert_first_fit(&areas, &zero, VMALLOC_START, VMALLOC_END), -ENOMEM);
	struct vm_struct huge = { .size = -PAGE_SIZE };           /* size + guard wraps */
	CHECK_EQ(vmap_insert_first_fit(&areas, &huge, VMALLOC_START, VMALLOC_END), -ENOMEM);
	CHECK(add(256) == NULL);                /* the region plus a guard: never fits */

	/* Random adds and deletes: the list invariants hold, and an add fails
	 * only when no gap could hold it. */
	struct vm_struct *live[64] = { 0 };
	srand(1);
	int fails = 0, adds = 0;
	for (int step = 0; step < 20000; step++) {
		int i = rand() % 64;
		if (live[i]) {
			del(live[i]);
			live[i] = NULL;
		} else {
			unsigned long pages = 1 + rand() % 12;
			live[i] = add(pages);
			adds++;
			if (!live[i]) {
				/* Recompute the largest gap by hand. */
				unsigned long prev_end = VMALLOC_START, best = 0;
				struct vm_struct *x;
				list_for_each_entry(x, &areas, list) {
					if (x->addr - prev_end > best)
						best = x->addr - prev_end;
					prev_end = x->addr + x->size + PAGE_SIZE;
				}
				if (VMALLOC_END - prev_end > best)
					best = VMALLOC_END - prev_end;
				CHECK(best < (pages + 1) * PAGE_SIZE);
				fails++;
			}
		}
		if (!check_list()) {
			CHECKF(0, "list broken at step %d", step);
			break;
		}
	}
	printf("random: %d adds, %d refused for lack of a gap\n", adds, fails);
	CHECK(fails > 0 && fails < adds);
	return ht_finish();
}
