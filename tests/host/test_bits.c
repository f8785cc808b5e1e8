/* lib/hweight.c and lib/random.c on the host: bit counts against the
 * compiler's popcount, and the xorshift64 sequence against its definition. */
#include <stdio.h>
#include <string.h>

#include <pagoda/compiler.h>

#include "hosttest.h"
#include "../../lib/hweight.c"
#include "../../lib/random.c"

static void test_hweight(void)
{
	CHECK_EQ(hweight32(0), 0u);
	CHECK_EQ(hweight32(~0u), 32u);
	CHECK_EQ(hweight64(~0ull), 64u);
	CHECK_EQ(hweight32(0x80000001u), 2u);
	CHECK_EQ(hweight_long(1ul << (sizeof(long) * 8 - 1)), 1u);
	struct rnd_state r;
	prandom_seed_state(&r, 1);
	for (int i = 0; i < 100000; i++) {
		u64 v = prandom_u64_state(&r);
		CHECK_EQ(hweight32((u32)v), (unsigned int)__builtin_popcount((u32)v));
		CHECK_EQ(hweight64(v), (unsigned int)__builtin_popcountll(v));
	}
}

static void test_prandom(void)
{
	struct rnd_state a, b, z;
	prandom_seed_state(&a, 42);
	prandom_seed_state(&b, 42);
	prandom_seed_state(&z, 0);
	u64 x = 42;
	for (int i = 0; i < 1000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		u64 v = prandom_u64_state(&a);
		CHECK_EQ(v, x);
		CHECK_EQ(prandom_u32_state(&b), (u32)(v >> 32));
		CHECK(prandom_u64_state(&z) != 0);          /* seed 0 does not stick at 0 */
	}
}

int main(void)
{
	test_hweight();
	test_prandom();
	return ht_finish();
}
