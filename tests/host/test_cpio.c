/*
 * lib/cpio.c on the host: a newc archive built here entry by entry, read
 * back, looked up; then every kind of garbage (each header rule broken on
 * its own) and every truncation, each from a heap copy of exactly the
 * archive's size so that ASan sees any read past the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosttest.h"
#include "../../lib/cpio.c"

struct arc {
	char buf[8192];
	size_t len;
};

/* One entry; namesize and filesize may lie (nsz/fsz >= 0 override). */
static size_t add_entry_raw(struct arc *a, const char *magic, u32 mode, const char *name,
			    const char *data, size_t len, long nsz, long fsz, u32 check)
{
	size_t at = a->len;
	size_t namesize = strlen(name) + 1;
	a->len += sprintf(a->buf + a->len, "%s%08X%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08lX%08X",
			  magic, 7u, mode, 0u, 0u, 1u, 0u, fsz >= 0 ? (unsigned long)fsz : (unsigned long)len,
			  0u, 0u, 0u, 0u, nsz >= 0 ? (unsigned long)nsz : (unsigned long)namesize, check);
	memcpy(a->buf + a->len, name, namesize);
	a->len += namesize;
	while (a->len % 4)
		a->buf[a->len++] = 0;
	memcpy(a->buf + a->len, data, len);
	a->len += len;
	while (a->len % 4)
		a->buf[a->len++] = 0;
	return at;
}

static size_t add(struct arc *a, u32 mode, const char *name, const char *data)
{
	return add_entry_raw(a, "070701", mode, name, data, strlen(data), -1, -1, 0);
}

static void trailer(struct arc *a)
{
	add(a, 0, "TRAILER!!!", "");
	while (a->len % 512)            /* as cpio pads */
		a->buf[a->len++] = 0;
}

/* The sample: a directory, two files, a symlink. */
static void sample(struct arc *a)
{
	a->len = 0;
	add(a, 040755, "bin", "");
	add(a, 0100755, "bin/init", "\177ELF-ish");
	add(a, 0100644, "bin/empty", "");
	add(a, 0120777, "bin/sh", "init");
}

/* cpio_validate on an exact-size heap copy; why gets the reason. */
static int validate(const struct arc *a, size_t len, const char **why)
{
	char *copy = malloc(len ? len : 1);
	memcpy(copy, a->buf, len);
	*why = NULL;
	int ret = cpio_validate(copy, len, why);
	static char reason[128];        /* why points into lib/cpio.c's literals: copy anyway */
	if (*why) {
		snprintf(reason, sizeof(reason), "%s", *why);
		*why = reason;
	}
	free(copy);
	return ret;
}

static void test_read_back(void)
{
	struct arc a;
	sample(&a);
	trailer(&a);
	char *copy = malloc(a.len);
	memcpy(copy, a.buf, a.len);

	struct cpio_iter it;
	struct cpio_entry e;
	cpio_iter_init(&it, copy, a.len);
	CHECK_EQ(cpio_next(&it, &e), 1);
	CHECK_STREQ(e.name, "bin");
	CHECK_EQ(e.mode & CPIO_S_IFMT, CPIO_S_IFDIR);
	CHECK_EQ(cpio_next(&it, &e), 1);
	CHECK_STREQ(e.name, "bin/init");
	CHECK_EQ(e.mode, 0100755);
	CHECK_EQ(e.size, 8);
	CHECK(e.size == 8 && !memcmp(e.data, "\177ELF-ish", 8));
	CHECK_EQ(e.ino, 7);
	CHECK_EQ(e.nlink, 1);
	CHECK_EQ(cpio_next(&it, &e), 1);
	CHECK_STREQ(e.name, "bin/empty");
	CHECK_EQ(e.size, 0);
	CHECK_EQ(cpio_next(&it, &e), 1);
	CHECK_EQ(e.mode & CPIO_S_IFMT, CPIO_S_IFLNK);
	CHECK(e.size == 4 && !memcmp(e.data, "init", 4));
	CHECK_EQ(cpio_next(&it, &e), 0);
	CHECK_EQ(cpio_next(&it, &e), 0);        /* and stays at the end */

	const char *why;
	CHECK_EQ(cpio_validate(copy, a.len, &why), 0);
	CHECK(why == NULL);
	CHECK_EQ(cpio_find(copy, a.len, "/bin/init", &e), 0);
	CHECK_STREQ(e.name, "bin/init");
	CHECK_EQ(cpio_find(copy, a.len, "./bin/empty", &e), 0);
	CHECK_STREQ(e.name, "bin/empty");
	CHECK_EQ(cpio_find(copy, a.len, "bin/sh", &e), 0);
	CHECK_EQ(cpio_find(copy, a.len, "/bin/nope", &e), -ENOENT);
	CHECK_EQ(cpio_find(copy, a.len, "/bin/ini", &e), -ENOENT);
	CHECK_EQ(cpio_find(copy, a.len, "TRAILER!!!", &e), -ENOENT);    /* the trailer is no file */
	free(copy);
}

/* The archive ends right after the trailer's padding too (no 512 padding). */
static void test_trailer_without_block_padding(void)
{
	struct arc a;
	const char *why;
	sample(&a);
	add(&a, 0, "TRAILER!!!", "");
	CHECK_EQ(validate(&a, a.len, &why), 0);
	/* but not without the padding of the trailer's name: that is its header */
	CHECK_EQ(validate(&a, a.len - 1, &why), -EINVAL);
	CHECK(why && strstr(why, "name padding"));
}

struct bad_case {
	const char *what;
	void (*make)(struct arc *a);
	const char *why;                /* a substring of the reason */
};

static void mk_empty(struct arc *a) { a->len = 0; }
static void mk_magic(struct arc *a) { sample(a); trailer(a); memcpy(a->buf, "070707", 6); }
static void mk_crc_magic(struct arc *a) { sample(a); trailer(a); memcpy(a->buf, "070702", 6); }
static void mk_hex(struct arc *a) { sample(a); trailer(a); a->buf[6 + 8 * 6 + 3] = 'g'; }
static void mk_hex_space(struct arc *a) { sample(a); trailer(a); a->buf[6 + 8 * 6] = ' '; }
static void mk_hex_sign(struct arc *a) { sample(a); trailer(a); a->buf[6 + 8 * 11] = '-'; }
static void mk_check(struct arc *a)
{
	a->len = 0;
	add_entry_raw(a, "070701", 0100644, "f", "x", 1, -1, -1, 1);
	trailer(a);
}
static void mk_namesize0(struct arc *a) { a->len = 0; add_entry_raw(a, "070701", 0100644, "f", "", 0, 0, -1, 0); trailer(a); }
static void mk_namesize1(struct arc *a) { a->len = 0; add_entry_raw(a, "070701", 0100644, "", "", 0, -1, -1, 0); trailer(a); }
static void mk_namesize_huge(struct arc *a) { a->len = 0; add_entry_raw(a, "070701", 0100644, "f", "", 0, 0xfffffff0, -1, 0); trailer(a); }
static void mk_name_short(struct arc *a)
{       /* namesize says 2 but the name is "abc": no NUL at name[1] */
	a->len = 0;
	add_entry_raw(a, "070701", 0100644, "abc", "", 0, 2, -1, 0);
	trailer(a);
}
static void mk_name_nul_inside(struct arc *a)
{       /* namesize 6 for "ab\0cd": an early NUL */
	a->len = 0;
	add_entry_raw(a, "070701", 0100644, "ab", "", 0, 6, -1, 0);
	trailer(a);
}
static void mk_filesize_huge(struct arc *a) { a->len = 0; add_entry_raw(a, "070701", 0100644, "f", "x", 1, -1, 0xffffffff, 0); trailer(a); }
static void mk_filesize_past(struct arc *a)
{       /* the last file claims 4 bytes more than the archive holds */
	a->len = 0;
	add_entry_raw(a, "070701", 0100644, "f", "abcd", 4, -1, 8, 0);
}
static void mk_no_trailer(struct arc *a) { sample(a); }
static void mk_no_trailer_zeros(struct arc *a) { sample(a); memset(a->buf + a->len, 0, 512); a->len += 512; }
static void mk_dir_data(struct arc *a) { a->len = 0; add(a, 040755, "d", "data"); trailer(a); }
static void mk_cut_header(struct arc *a) { sample(a); trailer(a); a->len = 110 + 4 + 50; }

static const struct bad_case bad_cases[] = {
	{ "empty", mk_empty, "empty archive" },
	{ "old binary magic", mk_magic, "bad magic" },
	{ "crc format", mk_crc_magic, "bad magic" },
	{ "non-hex digit", mk_hex, "8 hex digits" },
	{ "space in a field", mk_hex_space, "8 hex digits" },
	{ "sign in a field", mk_hex_sign, "8 hex digits" },
	{ "check not 0", mk_check, "check field" },
	{ "namesize 0", mk_namesize0, "empty name" },
	{ "namesize 1 (empty name)", mk_namesize1, "empty name" },
	{ "namesize past the end", mk_namesize_huge, "name runs past" },
	{ "name without its NUL", mk_name_short, "NUL-terminated" },
	{ "NUL inside the name", mk_name_nul_inside, "NUL-terminated" },
	{ "filesize 4 GiB", mk_filesize_huge, "data runs past" },
	{ "last file cut short", mk_filesize_past, "data runs past" },
	{ "no trailer", mk_no_trailer, "without TRAILER" },
	{ "zeros instead of a trailer", mk_no_trailer_zeros, "bad magic" },
	{ "data in a directory", mk_dir_data, "not a file" },
	{ "header cut in the middle", mk_cut_header, "without TRAILER" },
};

static void test_garbage(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct arc a;
		const char *why;
		c->make(&a);
		int ret = validate(&a, a.len, &why);
		CHECKF(ret == -EINVAL, "%s: got %d", c->what, ret);
		CHECKF(why && strstr(why, c->why), "%s: reason '%s', want '%s'", c->what, why ? why : "(none)", c->why);
	}
}

/* Every prefix of a valid archive that stops before its trailer is garbage,
 * and none is read past its end (ASan). */
static void test_every_truncation(void)
{
	struct arc a;
	const char *why;
	sample(&a);
	size_t trailer_at = a.len;
	trailer(&a);
	for (size_t len = 0; len < a.len; len++) {
		int ret = validate(&a, len, &why);
		if (len < trailer_at + 124)        /* header, name, padding */
			CHECKF(ret == -EINVAL, "prefix %zu: %d", len, ret);
		else
			CHECKF(ret == 0, "prefix %zu (trailer complete): %d", len, ret);
	}
}

/* find: an entry before the garbage is found, one after it is an error. */
static void test_find_and_garbage(void)
{
	struct arc a;
	struct cpio_entry e;
	sample(&a);
	size_t bad = add(&a, 0100644, "late", "x");
	trailer(&a);
	a.buf[bad] = 'X';
	char *copy = malloc(a.len);
	memcpy(copy, a.buf, a.len);
	CHECK_EQ(cpio_find(copy, a.len, "bin/init", &e), 0);
	CHECK_EQ(cpio_find(copy, a.len, "late", &e), -EINVAL);
	CHECK_EQ(cpio_find(copy, a.len, "nowhere", &e), -EINVAL);
	CHECK_EQ(cpio_find(NULL, 0, "x", &e), -EINVAL);
	free(copy);
}

int main(void)
{
	test_read_back();
	test_trailer_without_block_padding();
	test_garbage();
	test_every_truncation();
	test_find_and_garbage();
	return ht_finish();
}
