/*
 * Fuzz target: multiboot2_parse on arbitrary bytes.  The input is copied
 * into a heap block of exactly its size (malloc's alignment is at least 8,
 * as a loader's is) and parsed with max_size = size: ASan catches any read
 * outside, and on success the bootinfo must be consistent.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define vsnprintf kernel_vsnprintf
#define snprintf kernel_snprintf
#include "../../lib/vsprintf.c"
#include "../../kernel/x86/multiboot2.c"
#undef vsnprintf
#undef snprintf

#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: fuzz_multiboot2: assertion failed: %s\n", \
			__FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

static const u8 *lo, *hi;       /* the information: [lo, hi) */

/* p points into the information, with n bytes there. */
static bool inside(const void *p, u64 n)
{
	const u8 *b = p;
	return b >= lo && b <= hi && n <= (u64)(hi - b);
}

/* s is "" or a string NUL-terminated inside the information. */
static bool good_string(const char *s)
{
	if (!inside(s, 1))
		return s && !*s;
	return memchr(s, 0, hi - (const u8 *)s) != NULL;
}

static void check_bootinfo(const struct bootinfo *bi, const u8 *buf, size_t size)
{
	u32 total;
	memcpy(&total, buf, 4);
	FUZZ_ASSERT(bi->total_size == total && total >= 16 && total <= size);
	lo = buf;
	hi = buf + total;

	FUZZ_ASSERT(good_string(bi->cmdline));
	FUZZ_ASSERT(good_string(bi->loader));
	FUZZ_ASSERT(bi->nr_tags >= 1 && (u64)bi->nr_tags * 8 <= total - 8);

	FUZZ_ASSERT(bi->nr_mem >= 0 && bi->nr_mem <= E820_MAX_ENTRIES);
	for (int i = 0; i < bi->nr_mem; i++) {
		FUZZ_ASSERT(bi->mem[i].start <= bi->mem[i].end);
		if (i)
			FUZZ_ASSERT(bi->mem[i - 1].start <= bi->mem[i].start);
	}
	u64 sum = 0, want = 0;
	for (u32 type = 0; type <= 6; type++)
		sum += e820_total(bi, type);
	for (int i = 0; i < bi->nr_mem; i++) {
		if (bi->mem[i].type <= 6)
			want += bi->mem[i].end - bi->mem[i].start;
		FUZZ_ASSERT(*e820_type_name(bi->mem[i].type));
	}
	FUZZ_ASSERT(sum == want);

	FUZZ_ASSERT(bi->nr_modules >= 0 && bi->nr_modules <= MAX_MODULES);
	for (int i = 0; i < bi->nr_modules; i++)
		FUZZ_ASSERT(inside(bi->modules[i].string, 1) && good_string(bi->modules[i].string));

	if (bi->rsdp) {
		FUZZ_ASSERT(bi->rsdp_version == 1 || bi->rsdp_version == 2);
		FUZZ_ASSERT(inside(bi->rsdp, bi->rsdp_version == 2 ? 36 : 20));
	} else {
		FUZZ_ASSERT(bi->rsdp_version == 0);
	}
	if (bi->elf_shdrs)
		FUZZ_ASSERT(bi->elf_entsize &&
			    inside(bi->elf_shdrs, (u64)bi->elf_num * bi->elf_entsize));
}

static bool same_bootinfo(const struct bootinfo *a, const struct bootinfo *b)
{
	if (a->cmdline != b->cmdline || a->loader != b->loader || a->nr_mem != b->nr_mem ||
	    a->nr_modules != b->nr_modules || a->rsdp != b->rsdp ||
	    a->rsdp_version != b->rsdp_version || a->elf_shdrs != b->elf_shdrs ||
	    a->elf_num != b->elf_num || a->elf_entsize != b->elf_entsize ||
	    a->elf_shndx != b->elf_shndx || a->total_size != b->total_size ||
	    a->nr_tags != b->nr_tags)
		return false;
	for (int i = 0; i < a->nr_mem; i++)
		if (a->mem[i].start != b->mem[i].start || a->mem[i].end != b->mem[i].end ||
		    a->mem[i].type != b->mem[i].type)
			return false;
	for (int i = 0; i < a->nr_modules; i++)
		if (a->modules[i].start != b->modules[i].start ||
		    a->modules[i].end != b->modules[i].end ||
		    a->modules[i].string != b->modules[i].string)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootinfo bi, bi2;
	char err[160];
	u8 *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	memset(err, 0x55, sizeof(err));
	int ret = multiboot2_parse(buf, size, &bi, err, sizeof(err));
	if (ret == 0) {
		check_bootinfo(&bi, buf, size);
	} else {
		FUZZ_ASSERT(ret == -EINVAL);
		FUZZ_ASSERT(memchr(err, 0, sizeof(err)));
		FUZZ_ASSERT(!strncmp(err, "multiboot2 information garbled: ", 32));
		FUZZ_ASSERT(bi.cmdline && bi.loader);
	}

	/* again with an error buffer of exactly 0..16 bytes: never overrun,
	 * truncated but terminated; and the same result */
	size_t errlen = size % 17;
	char *small = errlen ? malloc(errlen) : NULL;
	FUZZ_ASSERT(multiboot2_parse(buf, size, &bi2, small, errlen) == ret);
	if (ret && errlen) {
		FUZZ_ASSERT(strlen(small) == errlen - 1);
		FUZZ_ASSERT(!strncmp(small, err, errlen - 1));
	}
	FUZZ_ASSERT(same_bootinfo(&bi, &bi2));
	free(small);
	free(buf);
	return 0;
}
