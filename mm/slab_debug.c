/*
 * Slab debugging: catch the bugs kmalloc users make, at the next allocator
 * call after they happen, with a report that says which object, which byte,
 * what was expected there and who last allocated and freed the object.
 *
 *  - red zone (SLAB_RED_ZONE): bytes after the object hold 0xcc while it is
 *    allocated and 0xbb while it is free. kfree finds a write past the end;
 *    it also finds 0xbb where 0xcc belongs: the object is already free.
 *  - poison (SLAB_POISON): a freed object is filled with 0x6b and ends in
 *    0xa5; the next allocation of it checks every byte, so a write through a
 *    stale pointer is found (and a read returns 0x6b6b6b6b..., recognisable
 *    in a crash).
 *  - owner (SLAB_STORE_USER): the caller of the last alloc and free.
 * The boot option slab_debug turns all three on for every cache; the cost
 * is a larger stride and a scan of each object on every alloc and free.
 */
#include <pagoda/cmdline.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include "slab.h"

bool slab_debug;

CMDLINE_FLAG(slab_debug, slab_debug,
	       "red zones, poison and owner tracking in every slab cache; misuse stops the kernel with a report");

static unsigned int track_seq;

static struct slab_track *get_track(struct kmem_cache *s, void *obj, int free)
{
	return (struct slab_track *)((char *)obj + s->track) + free;
}

static void set_track(struct kmem_cache *s, void *obj, int free, unsigned long caller)
{
	struct slab_track *t = get_track(s, obj, free);
	t->addr = caller;
	t->cpu = (unsigned int)smp_processor_id();
	t->seq = __atomic_add_fetch(&track_seq, 1, __ATOMIC_RELAXED);     /* CPUs race here */
}

static void print_track(struct kmem_cache *s, void *obj, int free)
{
	if (!(s->flags & SLAB_STORE_USER))
		return;
	struct slab_track *t = get_track(s, obj, free);
	const char *what = free ? "freed" : "allocated";
	if (!t->seq)
		printk(KERN_ERR "Last %s by: never\n", what);
	else
		printk(KERN_ERR "Last %s by %pS (cpu %u, operation #%u)\n", what, (void *)t->addr, t->cpu, t->seq);
}

/* What kmalloc was asked for: the rest of the object is red zone. */
static size_t get_orig_size(struct kmem_cache *s, void *obj)
{
	if (!(s->flags & SLAB_RED_ZONE))
		return s->object_size;
	return *(unsigned long *)((char *)obj + s->orig);
}

/* First byte of [p, p + n) that is not v, or NULL. */
static u8 *find_not(u8 *p, size_t n, u8 v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return p + i;
	return NULL;
}

static void hexdump_line(const char *label, const u8 *p)
{
	printk(KERN_ERR "%-8s %p: %02x %02x %02x %02x %02x %02x %02x %02x  %02x %02x %02x %02x %02x %02x %02x %02x\n",
	       label, p, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13],
	       p[14], p[15]);
}

static __noreturn void slab_bug(struct kmem_cache *s, void *obj, const char *what, u8 *bad, u8 expected)
{
	struct page *head = slab_head_page(s, obj);
	char *base = page_address(head);
	long off = bad ? (long)(bad - (u8 *)obj) : 0;

	printk(KERN_ERR "=============================================================================\n");
	printk(KERN_ERR "BUG %s: %s\n", s->name, what);
	printk(KERN_ERR "-----------------------------------------------------------------------------\n");
	printk(KERN_ERR "Object %p: cache %s, object size %u, stride %u; object %lu of %u in the slab at %p (pfn %#lx, order %u)\n",
	       obj, s->name, s->object_size, s->size, (unsigned long)((char *)obj - base) / s->size, s->objects, base,
	       page_to_pfn(head), s->order);
	if (bad) {
		long orig = (long)get_orig_size(s, obj);
		if (off >= orig && off < (long)s->object_size)
			printk(KERN_ERR "First bad byte at offset %ld (past the %ld bytes requested, address %p): expected 0x%02x, found 0x%02x\n",
			       off, orig, bad, expected, *bad);
		else
			printk(KERN_ERR "First bad byte at offset %ld (%s, address %p): expected 0x%02x, found 0x%02x\n", off,
			       off < orig ? "in the object" : "in the red zone", bad, expected, *bad);
	}
	print_track(s, obj, 0);
	print_track(s, obj, 1);
	/* The object's first bytes, the line with the bad byte, the red zone
	 * (followed by the free pointer): each once. */
	u8 *rz = (u8 *)obj + s->object_size;
	hexdump_line("Object", obj);
	if (bad) {
		u8 *line = (u8 *)((unsigned long)bad & ~15UL);
		if (line < (u8 *)obj)
			line = obj;
		if (line != obj && line != rz)
			hexdump_line("Bytes", line);
	}
	if (s->flags & SLAB_RED_ZONE)
		hexdump_line("Redzone", rz);
	if (bad)
		panic("BUG %s: %s (object %p, offset %ld)", s->name, what, obj, off);
	panic("BUG %s: %s (object %p)", s->name, what, obj);
}

__noreturn void slab_bad_pointer(const char *op, const void *p, const char *why, unsigned long caller)
{
	printk(KERN_ERR "=============================================================================\n");
	printk(KERN_ERR "BUG: %s of invalid pointer %p: %s\n", op, p, why);
	printk(KERN_ERR "-----------------------------------------------------------------------------\n");
	printk(KERN_ERR "%s called from %pS\n", op, (void *)caller);
	if (virt_addr_valid(p) && PageSlab(virt_to_page(p))) {
		struct kmem_cache *s = virt_to_page(p)->slab_cache;
		char *base = page_address(slab_head_page(s, p));
		unsigned long i = (unsigned long)((const char *)p - base) / s->size;
		void *obj = base + i * s->size;
		printk(KERN_ERR "%p is %lu bytes into object %p of cache %s (object size %u, stride %u)\n", p,
		       (unsigned long)((const char *)p - (char *)obj), obj, s->name, s->object_size, s->size);
		if (i < s->objects) {
			print_track(s, obj, 0);
			print_track(s, obj, 1);
		}
	}
	panic("BUG: %s of invalid pointer %p", op, p);
}

/* ---- object states ---------------------------------------------------------- */

static void set_redzone(struct kmem_cache *s, void *obj, u8 v)
{
	memset((u8 *)obj + s->object_size, v, s->offset - s->object_size);
	memset((u8 *)obj + s->rz2, v, s->size - s->rz2);
}

/* First red-zone byte that is not v, or NULL. */
static u8 *check_redzone(struct kmem_cache *s, void *obj, u8 v)
{
	u8 *bad = find_not((u8 *)obj + s->object_size, s->offset - s->object_size, v);
	return bad ? bad : find_not((u8 *)obj + s->rz2, s->size - s->rz2, v);
}

static void poison(struct kmem_cache *s, void *obj)
{
	memset(obj, POISON_FREE, s->object_size - 1);
	((u8 *)obj)[s->object_size - 1] = POISON_END;
}

void slab_debug_init_object(struct kmem_cache *s, void *obj)
{
	if (s->flags & SLAB_POISON)
		poison(s, obj);
	if (s->flags & SLAB_RED_ZONE)
		set_redzone(s, obj, SLUB_RED_INACTIVE);
	if (s->flags & SLAB_STORE_USER)
		memset(get_track(s, obj, 0), 0, 2 * sizeof(struct slab_track));
}

void slab_debug_set_orig_size(struct kmem_cache *s, void *obj, size_t size)
{
	if (!(s->flags & SLAB_RED_ZONE))
		return;
	if (!size || size > s->object_size)
		size = s->object_size;
	*(unsigned long *)((char *)obj + s->orig) = size;
	memset((u8 *)obj + size, SLUB_RED_ACTIVE, s->object_size - size);
}

void slab_debug_alloc(struct kmem_cache *s, void *obj, unsigned long caller, size_t orig)
{
	if (s->flags & SLAB_RED_ZONE) {
		u8 *bad = check_redzone(s, obj, SLUB_RED_INACTIVE);
		if (bad)
			slab_bug(s, obj, "Redzone overwritten (while free)", bad, SLUB_RED_INACTIVE);
	}
	if (s->flags & SLAB_POISON) {
		u8 *bad = find_not(obj, s->object_size - 1, POISON_FREE);
		u8 *end = (u8 *)obj + s->object_size - 1;
		if (!bad && *end != POISON_END)
			bad = end;
		if (bad)
			slab_bug(s, obj, "Poison overwritten (use after free)", bad,
				 bad == end ? POISON_END : POISON_FREE);
	}
	if (s->flags & SLAB_RED_ZONE) {
		set_redzone(s, obj, SLUB_RED_ACTIVE);
		slab_debug_set_orig_size(s, obj, orig);
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, obj, 0, caller);
}

void slab_debug_free(struct kmem_cache *s, void *obj, unsigned long caller)
{
	const char *op = s->is_static ? "kfree" : "kmem_cache_free";
	if (!virt_addr_valid(obj) || !PageSlab(virt_to_page(obj)))
		slab_bad_pointer(op, obj, "not in a slab", caller);
	if (virt_to_page(obj)->slab_cache != s)
		slab_bad_pointer(op, obj, "the object belongs to another cache", caller);
	unsigned long off = (unsigned long)((char *)obj - (char *)page_address(slab_head_page(s, obj)));
	if (off % s->size || off / s->size >= s->objects)
		slab_bad_pointer(op, obj, "not the start of an object", caller);

	if (s->flags & SLAB_RED_ZONE) {
		u8 *bad = check_redzone(s, obj, SLUB_RED_ACTIVE);
		if (bad && !check_redzone(s, obj, SLUB_RED_INACTIVE))
			slab_bug(s, obj, "double free", NULL, 0);
		if (bad)
			slab_bug(s, obj, "Redzone overwritten", bad, SLUB_RED_ACTIVE);
		/* kmalloc's slack: past the size asked for, inside the class. */
		size_t orig = get_orig_size(s, obj);
		bad = find_not((u8 *)obj + orig, s->object_size - orig, SLUB_RED_ACTIVE);
		if (bad)
			slab_bug(s, obj, "Redzone overwritten", bad, SLUB_RED_ACTIVE);
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, obj, 1, caller);
	if (s->flags & SLAB_POISON)
		poison(s, obj);
	if (s->flags & SLAB_RED_ZONE)
		set_redzone(s, obj, SLUB_RED_INACTIVE);
}

void slab_debug_print_leak(struct kmem_cache *s, void *obj)
{
	if ((s->flags & SLAB_STORE_USER) && get_track(s, obj, 0)->seq)
		printk(KERN_ERR "kmem_cache_destroy %s: object %p still allocated, last allocated by %pS\n", s->name,
		       obj, (void *)get_track(s, obj, 0)->addr);
	else
		printk(KERN_ERR "kmem_cache_destroy %s: object %p still allocated\n", s->name, obj);
}
