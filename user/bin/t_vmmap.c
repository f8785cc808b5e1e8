/*
 * t_vmmap [SECONDS]: a process with one of each kind of user mapping, its
 * pages touched, that then sleeps (default 60 s) so the monitor's `vmmap`
 * and `pmap` can draw it (`make vmmap`, tests/ktest/vmmap.c): text, data,
 * bss, a heap grown by malloc, an anonymous mmap region, the stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEAP_BYTES (24 * 1024)
#define MMAP_BYTES (64 * 1024)

static char bss_pages[3 * 4096];
static int data_word = 42;

int main(int argc, char **argv)
{
	unsigned int seconds = argc > 1 ? (unsigned int)strtol(argv[1], NULL, 10) : 60;
	char *heap = malloc(HEAP_BYTES);
	char *map = mmap(NULL, MMAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!heap || map == MAP_FAILED) {
		dprintf(2, "t_vmmap: no memory\n");
		return 1;
	}
	/* Touch every page but the mmap region's last quarter: resident and
	 * not-yet-faulted pages side by side in the picture. */
	memset(heap, 1, HEAP_BYTES);
	memset(map, 2, MMAP_BYTES * 3 / 4);
	memset(bss_pages, data_word, sizeof(bss_pages));
	return sleep(seconds) ? 1 : 0;
}
