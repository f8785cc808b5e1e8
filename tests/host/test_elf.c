/*
 * lib/elf.c on the host: a minimal static executable built here for each
 * class (ELF64 x86-64 and ELF32 i386), accepted with the right segments;
 * then each rule of include/pagoda/elf.h broken on its own, refused with
 * -ENOEXEC (or -ENOMEM) and the reason naming the rule; then the real user
 * programs of every build that exists (build/<build>/user/bin/).
 * Images are heap copies of exactly their size (ASan sees overreads), and
 * one is parsed at an odd address (the validator must not assume alignment).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosttest.h"

#define vsnprintf kernel_vsnprintf
#define snprintf kernel_snprintf
#include "../../lib/vsprintf.c"
#include "../../lib/elf.c"
#undef vsnprintf
#undef snprintf

static const struct elf_target t64 = { ELFCLASS64, EM_X86_64, 0x00007ffffffff000ULL };
static const struct elf_target t32 = { ELFCLASS32, EM_386, 0xc0000000ULL };

#define IMG_SIZE 0x2100

/* A valid image: text r-x at base (headers included, entry inside),
 * rodata r-- on the next page, data+bss rw- after it. */
struct img {
	u8 b[IMG_SIZE];
	size_t size;
	bool is64;
	u64 base;
};

static void set_ph(struct img *m, int i, u32 type, u32 flags, u64 off, u64 vaddr, u64 filesz, u64 memsz, u64 align)
{
	if (m->is64) {
		Elf64_Phdr ph = { type, flags, off, vaddr, vaddr, filesz, memsz, align };
		memcpy(m->b + sizeof(Elf64_Ehdr) + i * sizeof(ph), &ph, sizeof(ph));
	} else {
		Elf32_Phdr ph = { type, (u32)off, (u32)vaddr, (u32)vaddr, (u32)filesz, (u32)memsz, flags, (u32)align };
		memcpy(m->b + sizeof(Elf32_Ehdr) + i * sizeof(ph), &ph, sizeof(ph));
	}
}

/* e_phnum lives at the same place relative to the other fields: set it per class. */
static void set_phnum(struct img *m, u16 n)
{
	memcpy(m->b + (m->is64 ? offsetof(Elf64_Ehdr, e_phnum) : offsetof(Elf32_Ehdr, e_phnum)), &n, 2);
}

static void set_entry(struct img *m, u64 entry)
{
	if (m->is64)
		memcpy(m->b + offsetof(Elf64_Ehdr, e_entry), &entry, 8);
	else {
		u32 e = (u32)entry;
		memcpy(m->b + offsetof(Elf32_Ehdr, e_entry), &e, 4);
	}
}

static void make(struct img *m, bool is64)
{
	memset(m, 0, sizeof(*m));
	m->is64 = is64;
	m->size = IMG_SIZE;
	m->base = is64 ? 0x400000 : 0x08048000;
	if (is64) {
		Elf64_Ehdr e = { .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
				 .e_entry = m->base + 0x100, .e_phoff = sizeof(Elf64_Ehdr),
				 .e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 3 };
		memcpy(e.e_ident, ELFMAG, 4);
		e.e_ident[EI_CLASS] = ELFCLASS64;
		e.e_ident[EI_DATA] = ELFDATA2LSB;
		e.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(m->b, &e, sizeof(e));
	} else {
		Elf32_Ehdr e = { .e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT,
				 .e_entry = (u32)m->base + 0x100, .e_phoff = sizeof(Elf32_Ehdr),
				 .e_ehsize = sizeof(Elf32_Ehdr), .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = 3 };
		memcpy(e.e_ident, ELFMAG, 4);
		e.e_ident[EI_CLASS] = ELFCLASS32;
		e.e_ident[EI_DATA] = ELFDATA2LSB;
		e.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(m->b, &e, sizeof(e));
	}
	set_ph(m, 0, PT_LOAD, PF_R | PF_X, 0, m->base, 0x800, 0x800, 0x1000);
	set_ph(m, 1, PT_LOAD, PF_R, 0x1000, m->base + 0x1000, 0x100, 0x100, 0x1000);
	set_ph(m, 2, PT_LOAD, PF_R | PF_W, 0x2000, m->base + 0x2000, 0x100, 0x3000, 0x1000);
}

static int check(const struct img *m, const struct elf_target *t, struct elf_image *out, char *why)
{
	u8 *copy = malloc(m->size ? m->size : 1);
	memcpy(copy, m->b, m->size);
	int ret = elf_check(copy, m->size, t, out, why, 160);
	free(copy);
	return ret;
}

static void test_valid(bool is64)
{
	struct img m;
	struct elf_image out;
	char why[160];
	make(&m, is64);
	const struct elf_target *t = is64 ? &t64 : &t32;
	CHECKF(check(&m, t, &out, why) == 0, "ELF%d: %s", is64 ? 64 : 32, why);
	CHECK_EQ(out.class, is64 ? ELFCLASS64 : ELFCLASS32);
	CHECK_EQ(out.entry, m.base + 0x100);
	CHECK_EQ(out.nr_segments, 3);
	CHECK_EQ(out.seg[0].vaddr, m.base);
	CHECK_EQ(out.seg[0].prot, PF_R | PF_X);
	CHECK_EQ(out.seg[1].offset, 0x1000);
	CHECK_EQ(out.seg[1].prot, PF_R);
	CHECK_EQ(out.seg[2].filesz, 0x100);
	CHECK_EQ(out.seg[2].memsz, 0x3000);
	CHECK_EQ(out.seg[2].prot, PF_R | PF_W);

	/* at an odd address */
	u8 *odd = malloc(m.size + 1);
	memcpy(odd + 1, m.b, m.size);
	CHECK_EQ(elf_check(odd + 1, m.size, t, &out, why, sizeof(why)), 0);
	free(odd);
	/* the other class's kernel refuses it */
	CHECK_EQ(check(&m, is64 ? &t32 : &t64, &out, why), -ENOEXEC);
	CHECK_CONTAINS(why, "this kernel runs ELF");
}

struct rule {
	const char *what;
	void (*mutate)(struct img *m);
	int err;
	const char *why;
};

static void r_magic(struct img *m) { m->b[1] = 'X'; }
static void r_short(struct img *m) { m->size = 10; }
static void r_class(struct img *m) { m->b[EI_CLASS] = 3; }
static void r_data(struct img *m) { m->b[EI_DATA] = 2; }
static void r_ident_version(struct img *m) { m->b[EI_VERSION] = 0; }
static void r_header_cut(struct img *m) { m->size = m->is64 ? 60 : 50; }
static void r_machine(struct img *m) { u16 v = 40; memcpy(m->b + 18, &v, 2); }       /* EM_ARM */
static void r_version(struct img *m) { u32 v = 2; memcpy(m->b + 20, &v, 4); }
static void r_type(struct img *m) { u16 v = ET_DYN; memcpy(m->b + 16, &v, 2); }
static void r_phentsize(struct img *m)
{
	u16 v = m->is64 ? 55 : 31;
	memcpy(m->b + (m->is64 ? offsetof(Elf64_Ehdr, e_phentsize) : offsetof(Elf32_Ehdr, e_phentsize)), &v, 2);
}
static void r_phnum0(struct img *m) { set_phnum(m, 0); }
static void r_phnum_past(struct img *m) { set_phnum(m, 0xffff); }
static void r_phoff_past(struct img *m)
{
	if (m->is64) {
		u64 v = ~0ULL - 8;
		memcpy(m->b + offsetof(Elf64_Ehdr, e_phoff), &v, 8);
	} else {
		u32 v = IMG_SIZE - 40;
		memcpy(m->b + offsetof(Elf32_Ehdr, e_phoff), &v, 4);
	}
}
static void r_interp(struct img *m) { set_ph(m, 1, PT_INTERP, PF_R, 0x1000, m->base + 0x1000, 0x10, 0x10, 1); }
static void r_filesz(struct img *m) { set_ph(m, 1, PT_LOAD, PF_R, 0x1000, m->base + 0x1000, 0x200, 0x100, 0x1000); }
static void r_offset_past(struct img *m) { set_ph(m, 1, PT_LOAD, PF_R, 0x1000, m->base + 0x1000, 0x1200, 0x1200, 0x1000); }
static void r_offset_huge(struct img *m) { set_ph(m, 1, PT_LOAD, PF_R, 0xfffff000, m->base + 0x1000, 0x10, 0x10, 0x1000); }
static void r_memsz0_filesz(struct img *m) { set_ph(m, 1, PT_LOAD, PF_R, 0x1000, m->base + 0x1000, 0x10, 0, 0x1000); }
static void r_wrap(struct img *m)
{
	u64 top = m->is64 ? ~0ULL : 0xffffffffULL;
	set_ph(m, 2, PT_LOAD, PF_R | PF_W, 0x2000, m->base + 0x2000, 0x100, top - m->base, 0x1000);
}
static void r_kernel_half(struct img *m)
{
	u64 top = m->is64 ? t64.user_top : t32.user_top;
	set_ph(m, 2, PT_LOAD, PF_R | PF_W, 0x2000, top - 0x1000, 0x100, 0x2000, 0x1000);
}
static void r_kernel_addr(struct img *m)
{
	u64 k = m->is64 ? 0xffffffff80000000ULL : 0xc0100000ULL;
	set_ph(m, 2, PT_LOAD, PF_R | PF_W, 0x2000, k, 0x100, 0x100, 0x1000);
}
static void r_page0(struct img *m) { set_ph(m, 2, PT_LOAD, PF_R | PF_W, 0x2000, 0, 0x100, 0x100, 0x1000); }
static void r_align(struct img *m) { set_ph(m, 1, PT_LOAD, PF_R, 0x1000, m->base + 0x1000, 0x100, 0x100, 0x1800); }
static void r_congruent(struct img *m) { set_ph(m, 1, PT_LOAD, PF_R, 0x1000, m->base + 0x1010, 0x100, 0x100, 0x1000); }
static void r_noflags(struct img *m) { set_ph(m, 1, PT_LOAD, 0, 0x1000, m->base + 0x1000, 0x100, 0x100, 0x1000); }
static void r_overlap(struct img *m) { set_ph(m, 2, PT_LOAD, PF_R | PF_W, 0x2000, m->base + 0x1000 + 0x2000 - 0x2000, 0x100, 0x100, 0x1000); }
static void r_overlap_bss(struct img *m)
{       /* text's bss reaches into rodata's page */
	set_ph(m, 0, PT_LOAD, PF_R | PF_X, 0, m->base, 0x800, 0x1800, 0x1000);
}
static void r_too_many(struct img *m)
{
	set_phnum(m, ELF_MAX_SEGMENTS + 1);
	for (int i = 1; i <= ELF_MAX_SEGMENTS; i++)
		set_ph(m, i, PT_LOAD, PF_R, 0x1000, m->base + 0x1000 * i, 0x10, 0x10, 0x1000);
}
static void r_enomem(struct img *m)
{
	set_ph(m, 2, PT_LOAD, PF_R | PF_W, 0x2000, m->base + 0x2000, 0x100, ELF_MAX_IMAGE + 0x1000, 0x1000);
}
static void r_no_load(struct img *m)
{
	for (int i = 0; i < 3; i++)
		set_ph(m, i, 4 /* PT_NOTE */, PF_R, 0, m->base, 0x10, 0x10, 4);
}
static void r_entry_data(struct img *m) { set_entry(m, m->base + 0x2010); }
static void r_entry_bss(struct img *m)
{       /* inside the text segment's memsz but past its file bytes */
	set_ph(m, 0, PT_LOAD, PF_R | PF_X, 0, m->base, 0x80, 0x800, 0x1000);
	set_entry(m, m->base + 0x100);
}
static void r_entry_outside(struct img *m) { set_entry(m, 0x10); }

static const struct rule rules[] = {
	{ "bad magic", r_magic, -ENOEXEC, "bad magic" },
	{ "shorter than e_ident", r_short, -ENOEXEC, "bad magic" },
	{ "class 3", r_class, -ENOEXEC, "bad class" },
	{ "big-endian", r_data, -ENOEXEC, "little-endian" },
	{ "e_ident version", r_ident_version, -ENOEXEC, "ELF version" },
	{ "header cut", r_header_cut, -ENOEXEC, "too short" },
	{ "machine ARM", r_machine, -ENOEXEC, "machine 40" },
	{ "e_version 2", r_version, -ENOEXEC, "e_version" },
	{ "ET_DYN", r_type, -ENOEXEC, "not ET_EXEC" },
	{ "phentsize", r_phentsize, -ENOEXEC, "e_phentsize" },
	{ "no program headers", r_phnum0, -ENOEXEC, "no program headers" },
	{ "phnum past the file", r_phnum_past, -ENOEXEC, "program headers" },
	{ "phoff past the file", r_phoff_past, -ENOEXEC, "program headers" },
	{ "PT_INTERP", r_interp, -ENOEXEC, "dynamically linked" },
	{ "filesz > memsz", r_filesz, -ENOEXEC, "filesz" },
	{ "memsz 0 with file bytes", r_memsz0_filesz, -ENOEXEC, "filesz" },
	{ "file bytes past the end", r_offset_past, -ENOEXEC, "outside the" },
	{ "offset past the end", r_offset_huge, -ENOEXEC, "outside the" },
	{ "vaddr + memsz wraps", r_wrap, -ENOEXEC, "wraps" },
	{ "segment into the kernel half", r_kernel_half, -ENOEXEC, "kernel half" },
	{ "segment at a kernel address", r_kernel_addr, -ENOEXEC, "kernel half" },
	{ "segment on page 0", r_page0, -ENOEXEC, "page 0" },
	{ "p_align not a power of two", r_align, -ENOEXEC, "power of two" },
	{ "vaddr, offset incongruent", r_congruent, -ENOEXEC, "modulo the page size" },
	{ "no access flags", r_noflags, -ENOEXEC, "no access" },
	{ "segments overlap", r_overlap, -ENOEXEC, "overlap" },
	{ "bss into the next segment's page", r_overlap_bss, -ENOEXEC, "overlap" },
	{ "too many segments", r_too_many, -ENOEXEC, "more than" },
	{ "absurd memsz", r_enomem, -ENOMEM, "more than" },
	{ "no PT_LOAD", r_no_load, -ENOEXEC, "no PT_LOAD" },
	{ "entry in a data segment", r_entry_data, -ENOEXEC, "entry point" },
	{ "entry in text's bss", r_entry_bss, -ENOEXEC, "entry point" },
	{ "entry outside every segment", r_entry_outside, -ENOEXEC, "entry point" },
};

static void test_rules(bool is64)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct rule *r = &rules[i];
		struct img m;
		struct elf_image out = { .nr_segments = -1 };
		char why[160];
		make(&m, is64);
		r->mutate(&m);
		int ret = check(&m, is64 ? &t64 : &t32, &out, why);
		CHECKF(ret == r->err, "ELF%d %s: got %d (%s)", is64 ? 64 : 32, r->what, ret, why);
		CHECKF(strstr(why, r->why), "ELF%d %s: reason '%s' lacks '%s'", is64 ? 64 : 32, r->what, why, r->why);
		CHECKF(out.nr_segments == -1, "ELF%d %s: *out written on failure", is64 ? 64 : 32, r->what);
	}
}

/* An empty PT_LOAD (what ld writes for an empty rodata) is skipped, even
 * with a nonsense vaddr: it maps nothing. */
static void test_empty_load_skipped(bool is64)
{
	struct img m;
	struct elf_image out;
	char why[160];
	make(&m, is64);
	set_ph(&m, 1, PT_LOAD, PF_R, 0, 0, 0, 0, 0x1000);
	CHECKF(check(&m, is64 ? &t64 : &t32, &out, why) == 0, "%s", why);
	CHECK_EQ(out.nr_segments, 2);
	CHECK_EQ(out.seg[1].prot, PF_R | PF_W);
}

/* A short reason buffer is cut, never overrun; no buffer at all is fine. */
static void test_why_buffer(void)
{
	struct img m;
	make(&m, true);
	m.b[0] = 0;
	char *small = malloc(5);
	CHECK_EQ(elf_check(m.b, m.size, &t64, NULL, small, 5), -ENOEXEC);
	CHECK_STREQ(small, "not ");
	free(small);
	CHECK_EQ(elf_check(m.b, m.size, &t64, NULL, NULL, 0), -ENOEXEC);
	CHECK_EQ(elf_check(NULL, 0, &t64, NULL, NULL, 0), -ENOEXEC);
}

/* elf_check_head (execve_memobj's: only the first bytes at hand): the
 * headers must lie in them, the segments in the whole file, and no byte
 * past headlen is read (the rest of the copy is poison). */
static void test_head(bool is64)
{
	struct img m;
	make(&m, is64);
	const struct elf_target *t = is64 ? &t64 : &t32;
	struct elf_image whole, head;
	char why[160];
	CHECK_EQ(elf_check(m.b, m.size, t, &whole, why, sizeof(why)), 0);
	size_t headlen = is64 ? sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr) : sizeof(Elf32_Ehdr) + 3 * sizeof(Elf32_Phdr);
	u8 *copy = malloc(headlen);
	memcpy(copy, m.b, headlen);
	CHECK_EQ(elf_check_head(copy, headlen, m.size, t, &head, why, sizeof(why)), 0);
	CHECK_EQ(memcmp(&whole, &head, sizeof(head)), 0);
	/* One byte short of the program headers. */
	CHECK_EQ(elf_check_head(copy, headlen - 1, m.size, t, &head, why, sizeof(why)), -ENOEXEC);
	CHECK(strstr(why, "outside the first"));
	/* A file shorter than its segments, though the headers are all there. */
	CHECK_EQ(elf_check_head(copy, headlen, m.size - 1, t, &head, why, sizeof(why)), -ENOEXEC);
	CHECK(strstr(why, "outside the"));
	/* headlen past size counts as size. */
	CHECK_EQ(elf_check_head(m.b, m.size, 40, t, &head, why, sizeof(why)), -ENOEXEC);
	free(copy);
}

/* Every program the builds made (build/<build>/user/bin/): all valid. */
static void test_real_programs(void)
{
	static const struct { const char *build; const struct elf_target *t; } builds[] = {
		{ "x86_64", &t64 }, { "i386", &t32 }, { "i386-pae", &t32 },
	};
	int seen = 0;
	char here[256];         /* tests/host, from this file's path (the Makefile passes it absolute) */
	snprintf(here, sizeof(here), "%s", __FILE__);
	*(strrchr(here, '/') ? strrchr(here, '/') : here) = '\0';
	for (size_t b = 0; b < 3; b++) {
		char dir[400];
		snprintf(dir, sizeof(dir), "%s/../../build/%s/user/bin", *here ? here : ".", builds[b].build);
		DIR *d = opendir(dir);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.' || strchr(de->d_name, '.'))
				continue;       /* the .o and .d files */
			char path[700];
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			FILE *f = fopen(path, "rb");
			if (!f)
				continue;
			fseek(f, 0, SEEK_END);
			long n = ftell(f);
			rewind(f);
			u8 *buf = malloc(n);
			CHECK(fread(buf, 1, n, f) == (size_t)n);
			fclose(f);
			struct elf_image out;
			char why[160];
			int ret = elf_check(buf, n, builds[b].t, &out, why, sizeof(why));
			CHECKF(ret == 0, "%s: %s", path, why);
			/* and the other class refuses it */
			CHECK_EQ(elf_check(buf, n, builds[b].t == &t64 ? &t32 : &t64, &out, why, sizeof(why)), -ENOEXEC);
			free(buf);
			seen++;
		}
		closedir(d);
	}
	printf("test_elf: %d built user programs validated\n", seen);
}

int main(void)
{
	test_valid(true);
	test_valid(false);
	test_rules(true);
	test_rules(false);
	test_empty_load_skipped(true);
	test_empty_load_skipped(false);
	test_why_buffer();
	test_head(true);
	test_head(false);
	test_real_programs();
	return ht_finish();
}
