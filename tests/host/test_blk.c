/*
 * The block layer's limit rules (drivers/block/blk_limits.c) and the AHCI
 * PRD builder (drivers/ahci/ahci_prd.c), unchanged, on the host: thousands
 * of random bios over pages of a fake machine (tests/host/mm_arena.h), some
 * physically contiguous and some not, against random queue limits. For each
 * the scatter list must cover exactly the bytes bio_split_point() promised,
 * in order, with no entry breaking a limit and no two entries that could
 * have been one; and the PRD table built from it must follow AHCI's rules.
 */
#include "hosttest.h"
#include "mm_arena.h"
#include "../../drivers/block/blk_limits.c"
#include "../../drivers/ahci/ahci_prd.c"
#include "../../lib/random.c"

static struct rnd_state rng_state = { 0x9e3779b97f4a7c15ULL };
static unsigned long rng(void)
{
	return prandom_u32_state(&rng_state);
}

#define MAX_VECS 64

struct fake_bio {
	struct bio bio;
	struct bio_vec vecs[MAX_VECS];
};

/* A bio of sector-multiple segments: runs of adjacent pages (contiguous)
 * and jumps (not), at sector offsets, sometimes crossing a page. */
static void random_bio(struct fake_bio *fb, struct page *base, unsigned long npages)
{
	memset(fb, 0, sizeof(*fb));
	fb->bio.bi_io_vec = fb->vecs;
	fb->bio.bi_max_vecs = MAX_VECS;
	unsigned int n = 1 + rng() % MAX_VECS;
	unsigned long pfn = rng() % (npages - 80);
	unsigned int off = (rng() % 8) * 512;
	for (unsigned int i = 0; i < n; i++) {
		unsigned int len = (1 + rng() % 16) * 512;
		struct bio_vec *v = &fb->vecs[fb->bio.bi_vcnt++];
		v->bv_page = base + pfn;
		v->bv_offset = off;
		v->bv_len = len;
		fb->bio.bi_iter.bi_size += len;
		if (rng() % 3) {                /* continue right after: contiguous */
			off += len;
			pfn += off / 4096;
			off %= 4096;
		} else {                        /* jump elsewhere */
			pfn = rng() % (npages - 80);
			off = (rng() % 8) * 512;
		}
	}
}

static void random_limits(struct queue_limits *l)
{
	static const unsigned int segsize[] = { 4096, 8192, 65536, 4u << 20 };
	static const unsigned long long boundary[] = { 0xffff, 0x1fff, 0xffffffff, ~0ULL };
	l->logical_block_size = 512u << (rng() % 3);
	l->max_hw_sectors = 8 + rng() % 256;
	l->max_segments = 1 + rng() % 40;
	l->max_segment_size = segsize[rng() % 4];
	l->seg_boundary_mask = boundary[rng() % 4];
	l->dma_alignment = 511;
	if (l->max_segment_size < l->logical_block_size)
		l->max_segment_size = l->logical_block_size;
}

/* The physical address of byte k of the bio. */
static phys_addr_t bio_byte_phys(const struct bio *bio, unsigned int k)
{
	for (unsigned int i = 0; i < bio->bi_vcnt; i++) {
		if (k < bio->bi_io_vec[i].bv_len)
			return bvec_phys(&bio->bi_io_vec[i]) + k;
		k -= bio->bi_io_vec[i].bv_len;
	}
	return ~0ULL;
}

static void check_one(const struct bio *bio, const struct queue_limits *l)
{
	struct scatterlist sg[64];
	unsigned int split = bio_split_point(bio, l);
	int n = blk_bio_map_sg(bio, sg, 64, l);

	CHECK(split <= bio->bi_iter.bi_size);
	CHECK(split == bio->bi_iter.bi_size || split % l->logical_block_size == 0);
	CHECK(split <= (u64)l->max_hw_sectors << 9);
	CHECK(n >= 1 && n <= (int)l->max_segments);

	unsigned long covered = 0;
	for (int i = 0; i < n; i++) {
		phys_addr_t p = sg_phys(&sg[i]);
		CHECK(sg[i].length > 0 && sg[i].length <= l->max_segment_size);
		CHECK((p & ~l->seg_boundary_mask) == ((p + sg[i].length - 1) & ~l->seg_boundary_mask));
		/* Entry i really holds the next bytes of the bio, in order. */
		CHECK(bio_byte_phys(bio, covered) == p);
		CHECK(bio_byte_phys(bio, covered + sg[i].length - 1) == p + sg[i].length - 1);
		if (i) {
			phys_addr_t q = sg_phys(&sg[i - 1]);
			bool contiguous = q + sg[i - 1].length == p;
			bool fits = (u64)sg[i - 1].length + sg[i].length <= l->max_segment_size &&
				    (q & ~l->seg_boundary_mask) == ((p + sg[i].length - 1) & ~l->seg_boundary_mask);
			CHECK(!(contiguous && fits));   /* the merge was not missed */
		}
		covered += sg[i].length;
	}
	/* The split point never exceeds what the entries cover, and is at most
	 * one logical block short of it (rounded down to whole blocks). */
	CHECK(split <= covered);
	CHECK(covered - split < l->logical_block_size || covered == bio->bi_iter.bi_size);

	/* The PRD table from these entries (as dma_map_sg would pass them). */
	struct ahci_prd prd[64];
	for (int i = 0; i < n; i++) {
		sg[i].dma_address = sg_phys(&sg[i]);
		sg[i].dma_length = sg[i].length;
	}
	CHECK_EQ(ahci_build_prdt(prd, 64, sg, n), n);
	for (int i = 0; i < n; i++) {
		CHECK_EQ((prd[i].flags_dbc & 0x3fffff) + 1, sg[i].length);
		CHECK_EQ(((u64)prd[i].dbau << 32) | prd[i].dba, sg_phys(&sg[i]));
		CHECK_EQ(!!(prd[i].flags_dbc & PRD_INTR), i == n - 1);
	}
}

static void test_random_bios(void)
{
	unsigned long free = fake_machine_boot(&x86_64_like);
	CHECK(free > 1000);
	unsigned long npages = max_pfn;
	struct page *base = pfn_to_page(0);
	struct fake_bio fb;
	struct queue_limits l;
	for (int round = 0; round < 20000; round++) {
		random_bio(&fb, base, npages);
		random_limits(&l);
		check_one(&fb.bio, &l);
	}
	fake_machine_teardown();
}

/* A bio of 8 scattered 4 KiB pages under 4 segments: exactly 16 KiB fit. */
static void test_known_split(void)
{
	fake_machine_boot(&x86_64_like);
	struct fake_bio fb;
	memset(&fb, 0, sizeof(fb));
	fb.bio.bi_io_vec = fb.vecs;
	for (int i = 0; i < 8; i++) {
		fb.vecs[i] = (struct bio_vec){ pfn_to_page(1000 + 2 * i), 4096, 0 };
		fb.bio.bi_iter.bi_size += 4096;
	}
	fb.bio.bi_vcnt = 8;
	struct queue_limits l = { 512, 1024, 4, 65536, ~0ULL, 511 };
	CHECK_EQ(bio_split_point(&fb.bio, &l), 16384);
	l.max_segments = 8;
	CHECK_EQ(bio_split_point(&fb.bio, &l), 32768);
	l.max_hw_sectors = 24;                  /* 12 KiB */
	CHECK_EQ(bio_split_point(&fb.bio, &l), 12288);
	/* Contiguous pages merge: 8 pages, one entry of 32 KiB. */
	for (int i = 0; i < 8; i++)
		fb.vecs[i].bv_page = pfn_to_page(1000 + i);
	struct scatterlist sg[8];
	l.max_hw_sectors = 1024;
	CHECK_EQ(blk_bio_map_sg(&fb.bio, sg, 8, &l), 1);
	CHECK_EQ(sg[0].length, 32768);
	fake_machine_teardown();
}

static void test_prd_rules(void)
{
	struct ahci_prd prd[2];
	struct scatterlist sg[2];
	memset(sg, 0, sizeof(sg));
	sg[0].dma_address = 0x1000;
	sg[0].dma_length = 511;
	CHECK_EQ(ahci_build_prdt(prd, 2, sg, 1), -EINVAL);     /* odd byte count */
	sg[0].dma_length = (4u << 20) + 2;
	CHECK_EQ(ahci_build_prdt(prd, 2, sg, 1), -EINVAL);     /* over 4 MiB */
	sg[0].dma_length = 4u << 20;
	CHECK_EQ(ahci_build_prdt(prd, 2, sg, 1), 1);
	CHECK_EQ(prd[0].flags_dbc, PRD_INTR | ((4u << 20) - 1));
	CHECK_EQ(ahci_build_prdt(prd, 0, sg, 1), -EINVAL);     /* no room */
}

int main(void)
{
	test_known_split();
	test_prd_rules();
	test_random_bios();
	return ht_finish();
}
