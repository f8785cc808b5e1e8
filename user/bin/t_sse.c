/* t_sse SEED [ROUNDS]: fill the SSE registers with a pattern from SEED,
 * yield the CPU ROUNDS times (other copies with other seeds run in
 * between), and check after each yield that every register still holds
 * this process's pattern: the kernel saves and restores user FPU/SSE state
 * at each switch (kernel/x86/fpu.c). Exits 0 if it always did, 1 if not. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

typedef unsigned int u32x4 __attribute__((vector_size(16)));

#define SET(n) __asm__ __volatile__("movdqu %0, %%xmm" #n :: "m"(v[n]))
#define GET(n) __asm__ __volatile__("movdqu %%xmm" #n ", %0" : "=m"(r[n]))

int main(int argc, char **argv)
{
	unsigned int seed = argc > 1 ? (unsigned int)atoi(argv[1]) : 1;
	int rounds = argc > 2 ? atoi(argv[2]) : 1000;
	u32x4 v[8], r[8];
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			v[i][j] = seed * 0x01010101u + (unsigned int)(i * 4 + j);
	for (int k = 0; k < rounds; k++) {
		SET(0); SET(1); SET(2); SET(3); SET(4); SET(5); SET(6); SET(7);
		/* The kernel entry and exit touch no SSE register: only a
		 * switch to another user task could change them. */
		sched_yield();
		GET(0); GET(1); GET(2); GET(3); GET(4); GET(5); GET(6); GET(7);
		for (int i = 0; i < 8; i++)
			for (int j = 0; j < 4; j++)
				if (r[i][j] != v[i][j]) {
					printf("t_sse %u: round %d: xmm%d[%d] = %#x, want %#x\n", seed, k, i, j,
					       r[i][j], v[i][j]);
					return 1;
				}
	}
	return 0;
}
