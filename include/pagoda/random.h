/*
 * A small pseudo-random generator for tests, fuzzing and benchmarks:
 * xorshift64 (Marsaglia, 2003), the same sequence on every build and on the
 * host, from a seed the caller keeps. Fast and reproducible, and nothing
 * more: never for anything that must be unpredictable. Linux's prandom_*
 * interface has the same shape.
 */
#ifndef PAGODA_RANDOM_H
#define PAGODA_RANDOM_H

#include <pagoda/types.h>

struct rnd_state {
	u64 s;                          /* never 0: xorshift would stay at 0 */
};

/* Start a sequence; every seed, 0 included, gives a usable state. */
void prandom_seed_state(struct rnd_state *state, u64 seed);
/* The next value. Any context; the caller serializes uses of one state. */
u64 prandom_u64_state(struct rnd_state *state);
static inline u32 prandom_u32_state(struct rnd_state *state)
{
	return (u32)(prandom_u64_state(state) >> 32);   /* the better-mixed half */
}

#endif
