/*
 * Fuzz target: lib/cpio.c on arbitrary bytes. The input is copied into a
 * heap block of exactly its size: ASan catches any read outside. Every
 * entry must lie inside the archive, its name terminated there; a valid
 * archive must iterate to the same entries as cpio_find finds; a refusal is
 * -EINVAL with a reason, and stays refused.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/cpio.c"

#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: fuzz_cpio: assertion failed: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	const u8 *end = buf + size;

	struct cpio_iter it;
	struct cpio_entry e, f;
	int ret, n = 0;
	cpio_iter_init(&it, buf, size);
	while ((ret = cpio_next(&it, &e)) > 0) {
		const u8 *name = (const u8 *)e.name, *d = e.data;
		FUZZ_ASSERT(name >= buf && name < end);
		FUZZ_ASSERT(memchr(name, 0, end - name) != NULL);
		FUZZ_ASSERT(*e.name != '\0');
		FUZZ_ASSERT(d >= buf && d <= end && e.size <= (size_t)(end - d));
		FUZZ_ASSERT(((uintptr_t)(d - buf) & 3) == 0);
		FUZZ_ASSERT(it.pos <= size);
		/* find reaches an entry of the same name (the first such) */
		FUZZ_ASSERT(cpio_find(buf, size, e.name, &f) == 0 || it.why);
		n++;
	}
	if (ret < 0) {
		FUZZ_ASSERT(ret == -EINVAL && it.why && *it.why);
		FUZZ_ASSERT(cpio_next(&it, &e) == -EINVAL);
	} else {
		FUZZ_ASSERT(ret == 0 && it.done && !it.why);
		FUZZ_ASSERT(cpio_next(&it, &e) == 0);
	}
	const char *why;
	FUZZ_ASSERT(cpio_validate(buf, size, &why) == ret);
	(void)n;
	free(buf);
	return 0;
}
