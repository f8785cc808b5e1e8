/* xorshift64 (random.h): shifts 13, 7, 17, one of Marsaglia's full-period triples. */
#include <pagoda/random.h>

void prandom_seed_state(struct rnd_state *state, u64 seed)
{
	state->s = seed ? seed : 0x9e3779b97f4a7c15ULL;     /* 2^64 / golden ratio */
}

u64 prandom_u64_state(struct rnd_state *state)
{
	u64 x = state->s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return state->s = x;
}
