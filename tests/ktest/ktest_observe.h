/* Helpers for suites that check the observation layer (tests/ktest/observe.c):
 * run a monitor command and keep what it printed; ask memmap_walk for the
 * state of one page frame. */
#ifndef KTEST_OBSERVE_H
#define KTEST_OBSERVE_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>

/* Run the monitor command line made from fmt, with its output captured into
 * out (NUL-terminated, cut at size). Returns the command's MON_* result. */
__printf(3, 4) int ktest_monitor(char *out, size_t size, const char *fmt, ...);

/* What memmap_walk says of pfn: its state ("slab", "user", "free-3"...) and
 * detail (the cache, the owner...), empty strings if no range holds it. */
struct ktest_pfn_state {
	char state[16];
	char detail[32];
};
void ktest_memmap_state(unsigned long pfn, struct ktest_pfn_state *st);

#endif
