/*
 * The block cache (the "page cache"): file-system blocks in one
 * big memory object, whose pages are pinned, so the disk DMAs straight
 * into them: a bio lends the object at a slot's offset (blk_read), and a
 * run of blocks adjacent on the disk lands in adjacent slots with one
 * request. A hash finds a disk block's slot.
 *
 * Replacement is the clock (second chance), the LRU approximation Linux's
 * page reclaim is built on: a used slot gets its reference bit; the hand
 * passes over referenced slots (clearing the bit) and takes the first run
 * of unreferenced ones. A run, not a slot: readahead wants n adjacent
 * slots for one bio. Dirty blocks are written back, all of them in
 * sorted runs, when the hand meets one (memory pressure), on sync, and by
 * the timer in main.c.
 */
#include <errno.h>
#include <pagoda_ipc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "ext2d.h"

struct cache cache;

uint32_t now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_sec;
}

static unsigned int hash(const struct cache *c, unsigned long long block)
{
	return (unsigned int)(block * 2654435761u) & c->hmask;
}

static int lookup(const struct cache *c, unsigned long long block)
{
	for (int s = c->hhead[hash(c, block)]; s >= 0; s = c->hnext[s])
		if (c->block[s] == block)
			return s;
	return -1;
}

static void unhash(struct cache *c, int s)
{
	int *p = &c->hhead[hash(c, c->block[s])];
	while (*p != s)
		p = &c->hnext[*p];
	*p = c->hnext[s];
	c->flags[s] = 0;
}

static void insert(struct cache *c, int s, unsigned long long block)
{
	unsigned int h = hash(c, block);
	c->block[s] = block;
	c->hnext[s] = c->hhead[h];
	c->hhead[h] = s;
}

int cache_init(struct cache *c, unsigned long bytes, unsigned long chunk, unsigned int bsize)
{
	c->bsize = bsize;
	c->spb = bsize / 512;
	if (chunk < 16UL * bsize || chunk > MEMOBJ_MAX_SIZE)
		chunk = CACHE_CHUNK;
	chunk -= chunk % bsize;
	if (bytes > CACHE_MAX)
		bytes = CACHE_MAX;
	if (bytes > CACHE_CHUNKS_MAX * chunk)
		bytes = CACHE_CHUNKS_MAX * chunk;
	c->chunk_slots = (unsigned int)(chunk / bsize);
	c->nslots = (unsigned int)(bytes / bsize);
	if (c->nslots < 64)
		c->nslots = 64;
	if (c->nslots > c->chunk_slots)         /* whole chunks past the first */
		c->nslots -= c->nslots % c->chunk_slots;
	c->nchunks = (c->nslots + c->chunk_slots - 1) / c->chunk_slots;
	c->size = (unsigned long)c->nslots * bsize;
	c->max_run = c->disk.max_sectors / c->spb;
	if (c->max_run < 1)
		c->max_run = 1;
	if (c->max_run > c->nslots / 4)
		c->max_run = c->nslots / 4;
	if (c->max_run > c->chunk_slots)        /* a bio lends one chunk */
		c->max_run = c->chunk_slots;
	unsigned int hsize = 1;
	while (hsize < c->nslots)
		hsize <<= 1;
	c->hmask = hsize - 1;
	c->block = malloc(c->nslots * sizeof(*c->block));
	c->flags = calloc(c->nslots, 1);
	c->dirty_since = calloc(c->nslots, sizeof(*c->dirty_since));
	c->hnext = malloc(c->nslots * sizeof(int));
	c->hhead = malloc(hsize * sizeof(int));
	if (!c->block || !c->flags || !c->dirty_since || !c->hnext || !c->hhead)
		return -ENOMEM;
	for (unsigned int i = 0; i < hsize; i++)
		c->hhead[i] = -1;
	/* One stretch of address space first (anonymous, never touched, so it
	 * costs no memory), then each chunk mapped over its part of it. */
	void *va = mmap(NULL, c->size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (va == MAP_FAILED)
		return -errno;
	c->base = va;
	for (unsigned int i = 0; i < c->nchunks; i++) {
		unsigned long off = (unsigned long)i * chunk;
		unsigned long len = c->size - off < chunk ? c->size - off : chunk;
		c->mo[i] = memobj_create(len);
		if (c->mo[i] < 0)
			return -errno;
		if (memobj_map(c->mo[i], c->base + off, len, PROT_READ | PROT_WRITE, 0) == MAP_FAILED)
			return -errno;
	}
	c->st.slots = c->nslots;
	c->st.block_size = bsize;
	return 0;
}

static void count_bio(struct cache *c, unsigned int sectors, int write)
{
	c->st.bios++;
	c->st.bio_sectors += sectors;
	if (sectors > c->st.max_bio_sectors)
		c->st.max_bio_sectors = sectors;
	if (write)
		c->st.write_bios++;
	else
		c->st.read_bios++;
}

/* One bio for slots [s, s + n) holding disk blocks [block, block + n). */
static int disk_io(struct cache *c, int write, int s, unsigned long long block, unsigned int n)
{
	int mo = c->mo[s / c->chunk_slots];
	unsigned long off = (unsigned long)(s % c->chunk_slots) * c->bsize;
	unsigned long sector = (unsigned long)(block * c->spb);
	unsigned int count = n * c->spb;
	count_bio(c, count, write);
	int r = write ? blk_write(c->blk, mo, off, sector, count) : blk_read(c->blk, mo, off, sector, count);
	if (r)
		c->st.bio_errors++;
	return r ? -errno : 0;
}

static void mark_clean(struct cache *c, int s)
{
	if (c->flags[s] & SLOT_DIRTY) {
		c->flags[s] &= (uint8_t)~SLOT_DIRTY;
		c->ndirty--;
		c->st.written_back++;
	}
}

/* n adjacent slots free to reuse (written back and unhashed); their first
 * index, or a negative errno. */
static int take_run(struct cache *c, unsigned int n)
{
	unsigned int start = 0, len = 0;
	for (unsigned long steps = 0; steps < 2UL * c->nslots + n; steps++) {
		unsigned int s = c->hand;
		c->hand = (c->hand + 1) % c->nslots;
		if (s % c->chunk_slots == 0)
			len = 0;                /* a run never wraps, nor crosses a chunk's end */
		if (c->flags[s] & SLOT_REF) {
			c->flags[s] &= (uint8_t)~SLOT_REF;
			len = 0;
			continue;
		}
		if (len++ == 0)
			start = s;
		if (len < n)
			continue;
		for (unsigned int i = start; i < start + n; i++) {
			if (c->flags[i] & SLOT_DIRTY) {
				/* Memory pressure: not this block alone, every dirty
				 * one, in sorted runs (large bios), as a flusher would. */
				int r = cache_writeback(c, 0);
				if (r)
					return r;
			}
			if (c->flags[i] & SLOT_VALID)
				unhash(c, (int)i);
		}
		return (int)start;
	}
	return -ENOMEM;
}

int cache_has(struct cache *c, unsigned long long block)
{
	return lookup(c, block) >= 0;
}

int cache_fill(struct cache *c, unsigned long long first, unsigned int n, unsigned int ra)
{
	/* Only the part not cached yet: skip cached blocks at both ends. */
	while (n && cache_has(c, first))
		first++, n--, ra = ra ? ra - 1 : 0;
	while (n && cache_has(c, first + n - 1))
		n--, ra = ra ? ra - 1 : 0;
	if (!n)
		return 0;
	if (n > c->max_run)
		n = c->max_run;
	/* Blocks in the middle already cached (perhaps dirty) stay where they
	 * are; their fresh copies read in the run are not hashed. */
	int s = take_run(c, n);
	if (s < 0)
		return s;
	int r = disk_io(c, 0, s, first, n);
	if (r)
		return r;
	c->st.misses += n - (ra < n ? ra : n);
	c->st.readahead += ra < n ? ra : n;
	for (unsigned int i = 0; i < n; i++) {
		if (cache_has(c, first + i))
			continue;
		insert(c, s + (int)i, first + i);
		c->flags[s + i] = SLOT_VALID | SLOT_REF;
	}
	return 0;
}

int cache_read(struct cache *c, unsigned long long block, const uint8_t **data)
{
	int s = lookup(c, block);
	if (s >= 0) {
		c->st.hits++;
	} else {
		int r = cache_fill(c, block, 1, 0);
		if (r)
			return r;
		s = lookup(c, block);
	}
	c->flags[s] |= SLOT_REF;
	*data = c->base + (unsigned long)s * c->bsize;
	return 0;
}

int cache_write(struct cache *c, unsigned long long block, const void *data)
{
	int s = lookup(c, block);
	if (s < 0) {
		s = take_run(c, 1);
		if (s < 0)
			return s;
		insert(c, s, block);
		c->flags[s] = SLOT_VALID;
	}
	memcpy(c->base + (unsigned long)s * c->bsize, data, c->bsize);
	if (!(c->flags[s] & SLOT_DIRTY)) {
		c->ndirty++;
		c->dirty_since[s] = now_seconds();
	}
	c->flags[s] |= SLOT_DIRTY | SLOT_REF;
	c->st.dirty = c->ndirty;
	return 0;
}

/* Dirty slots by disk block: a shell sort of their indices. */
static void sort_by_block(const struct cache *c, int *v, unsigned int n)
{
	for (unsigned int gap = n / 2; gap; gap /= 2)
		for (unsigned int i = gap; i < n; i++)
			for (unsigned int j = i; j >= gap && c->block[v[j - gap]] > c->block[v[j]]; j -= gap) {
				int t = v[j];
				v[j] = v[j - gap];
				v[j - gap] = t;
			}
}

int cache_drop(struct cache *c)
{
	int busy = 0;
	for (unsigned int s = 0; s < c->nslots; s++) {
		if (c->flags[s] & SLOT_DIRTY)
			busy = 1;
		else if (c->flags[s] & SLOT_VALID)
			unhash(c, (int)s);
	}
	return busy ? -EBUSY : 0;
}

int cache_writeback(struct cache *c, uint32_t older_than)
{
	if (!c->ndirty)
		return 0;
	int *v = malloc(c->ndirty * sizeof(int));
	if (!v)
		return -ENOMEM;
	uint32_t now = now_seconds();
	unsigned int n = 0;
	for (unsigned int s = 0; s < c->nslots && n < c->ndirty; s++)
		if ((c->flags[s] & SLOT_DIRTY) && (!older_than || now - c->dirty_since[s] >= older_than))
			v[n++] = (int)s;
	sort_by_block(c, v, n);
	int err = 0;
	/* A run: adjacent on the disk and in the cache, so one bio moves it. */
	for (unsigned int i = 0; i < n;) {
		unsigned int len = 1;
		while (i + len < n && len < c->max_run && c->block[v[i + len]] == c->block[v[i]] + len &&
		       v[i + len] == v[i] + (int)len && v[i + len] % (int)c->chunk_slots)
			len++;
		int r = disk_io(c, 1, v[i], c->block[v[i]], len);
		if (r && !err)
			err = r;
		if (!r)
			for (unsigned int k = 0; k < len; k++)
				mark_clean(c, v[i + k]);
		i += len;
	}
	free(v);
	c->st.dirty = c->ndirty;
	return err;
}

uint32_t cache_dirty_age(const struct cache *c)
{
	uint32_t now = now_seconds(), age = 0;
	for (unsigned int s = 0; s < c->nslots && c->ndirty; s++)
		if ((c->flags[s] & SLOT_DIRTY) && now - c->dirty_since[s] > age)
			age = now - c->dirty_since[s];
	return age;
}
