/*
 * Fuzz target: lib/elf.c's elf_check on arbitrary bytes, for both targets
 * (ELF64 x86-64 below the x86_64 TASK_SIZE, ELF32 i386 below 3 GiB). The
 * input is copied into a heap block of exactly its size (ASan catches any
 * read outside). An accepted image must satisfy every rule the loader
 * relies on; a refused one returns -ENOEXEC or -ENOMEM with a reason.
 * elf_check_head (execve_memobj's) gets the first half of the input, in a
 * block of exactly that size, as the head of a longer file: it must read
 * nothing past the half and hold its segments to the longer size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define vsnprintf kernel_vsnprintf
#define snprintf kernel_snprintf
#include "../../lib/vsprintf.c"
#include "../../lib/elf.c"
#undef vsnprintf
#undef snprintf

#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: fuzz_elf: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

static const struct elf_target targets[] = {
	{ ELFCLASS64, EM_X86_64, 0x00007ffffffff000ULL },
	{ ELFCLASS32, EM_386, 0xc0000000ULL },
};

static void check_image(const struct elf_image *img, const struct elf_target *t, u64 size)
{
	FUZZ_ASSERT(img->class == t->class);
	FUZZ_ASSERT(img->nr_segments >= 1 && img->nr_segments <= ELF_MAX_SEGMENTS);
	bool entry_ok = false;
	for (int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->seg[i];
		FUZZ_ASSERT(s->filesz <= s->memsz && s->memsz > 0);
		FUZZ_ASSERT(s->offset <= size && s->filesz <= size - s->offset);
		FUZZ_ASSERT(s->vaddr >= ELF_PAGE_SIZE && s->vaddr + s->memsz > s->vaddr);
		FUZZ_ASSERT(s->vaddr + s->memsz <= t->user_top);
		FUZZ_ASSERT(((s->vaddr ^ s->offset) & (ELF_PAGE_SIZE - 1)) == 0);
		FUZZ_ASSERT(s->prot && !(s->prot & ~(u32)(PF_R | PF_W | PF_X)));
		for (int j = 0; j < i; j++) {
			const struct elf_segment *o = &img->seg[j];
			u64 a0 = s->vaddr & ~0xfffULL, a1 = (s->vaddr + s->memsz + 0xfff) & ~0xfffULL;
			u64 b0 = o->vaddr & ~0xfffULL, b1 = (o->vaddr + o->memsz + 0xfff) & ~0xfffULL;
			FUZZ_ASSERT(a1 <= b0 || b1 <= a0);
		}
		if ((s->prot & PF_X) && img->entry >= s->vaddr && img->entry - s->vaddr < s->filesz)
			entry_ok = true;
	}
	FUZZ_ASSERT(entry_ok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	for (int k = 0; k < 2; k++) {
		struct elf_image img;
		char why[96];
		memset(why, 0x55, sizeof(why));
		int ret = elf_check(buf, size, &targets[k], &img, why, sizeof(why));
		if (ret == 0) {
			FUZZ_ASSERT(why[0] == '\0');
			check_image(&img, &targets[k], size);
		} else {
			FUZZ_ASSERT(ret == -ENOEXEC || ret == -ENOMEM);
			FUZZ_ASSERT(memchr(why, 0, sizeof(why)) && why[0]);
		}
	}
	size_t headlen = size / 2;
	u64 claimed = size + (u64)(size ? data[size - 1] : 0) * 4096;
	u8 *head = malloc(headlen ? headlen : 1);
	memcpy(head, data, headlen);
	for (int k = 0; k < 2; k++) {
		struct elf_image img;
		char why[96];
		int ret = elf_check_head(head, headlen, claimed, &targets[k], &img, why, sizeof(why));
		if (ret == 0)
			check_image(&img, &targets[k], claimed);
		else
			FUZZ_ASSERT(ret == -ENOEXEC || ret == -ENOMEM);
	}
	free(head);
	free(buf);
	return 0;
}
