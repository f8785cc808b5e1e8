/*
 * The ELF validator (include/pagoda/elf.h has the rules). Both classes go
 * through one set of checks: the headers are read (with memcpy: the image
 * may sit at any alignment) into 64-bit fields first. The image is untrusted
 * input, so every sum that could wrap is checked before it is used.
 */
#include <pagoda/elf.h>
#include <pagoda/errno.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>

struct ehdr {
	u16 type, machine, phentsize, phnum;
	u32 version;
	u64 entry, phoff;
};

struct phdr {
	u32 type, flags;
	u64 offset, vaddr, filesz, memsz, align;
};

static __printf(4, 5) int refuse(int err, char *why, size_t whylen, const char *fmt, ...)
{
	if (why && whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return err;
}
#define NOEXEC(...) refuse(-ENOEXEC, why, whylen, __VA_ARGS__)

static void read_ehdr(const u8 *p, u8 class, struct ehdr *h)
{
	if (class == ELFCLASS64) {
		Elf64_Ehdr e;
		memcpy(&e, p, sizeof(e));
		*h = (struct ehdr){ e.e_type, e.e_machine, e.e_phentsize, e.e_phnum,
				    e.e_version, e.e_entry, e.e_phoff };
	} else {
		Elf32_Ehdr e;
		memcpy(&e, p, sizeof(e));
		*h = (struct ehdr){ e.e_type, e.e_machine, e.e_phentsize, e.e_phnum,
				    e.e_version, e.e_entry, e.e_phoff };
	}
}

static void read_phdr(const u8 *p, u8 class, struct phdr *h)
{
	if (class == ELFCLASS64) {
		Elf64_Phdr e;
		memcpy(&e, p, sizeof(e));
		*h = (struct phdr){ e.p_type, e.p_flags, e.p_offset, e.p_vaddr,
				    e.p_filesz, e.p_memsz, e.p_align };
	} else {
		Elf32_Phdr e;
		memcpy(&e, p, sizeof(e));
		*h = (struct phdr){ e.p_type, e.p_flags, e.p_offset, e.p_vaddr,
				    e.p_filesz, e.p_memsz, e.p_align };
	}
}

static u64 page_down(u64 a) { return a & ~(u64)(ELF_PAGE_SIZE - 1); }
/* Callers know a + ELF_PAGE_SIZE - 1 does not wrap (a <= user_top). */
static u64 page_up(u64 a) { return page_down(a + ELF_PAGE_SIZE - 1); }

/* The checks of one PT_LOAD segment on its own. */
static int check_load(const struct phdr *ph, int i, u64 size, const struct elf_target *t,
		      char *why, size_t whylen)
{
	if (ph->filesz > ph->memsz)
		return NOEXEC("segment %d: filesz %#llx > memsz %#llx", i, ph->filesz, ph->memsz);
	if (ph->offset > size || ph->filesz > size - ph->offset)
		return NOEXEC("segment %d: file bytes [%#llx, +%#llx) outside the %#llx-byte file",
			      i, ph->offset, ph->filesz, size);
	if (ph->vaddr + ph->memsz < ph->vaddr ||
	    (t->class == ELFCLASS32 && ph->vaddr + ph->memsz > 0xffffffffULL))
		return NOEXEC("segment %d: vaddr %#llx + memsz %#llx wraps around", i, ph->vaddr, ph->memsz);
	if (ph->vaddr + ph->memsz > t->user_top)
		return NOEXEC("segment %d: [%#llx, %#llx) reaches the kernel half (user space ends at %#llx)",
			      i, ph->vaddr, ph->vaddr + ph->memsz, t->user_top);
	if (ph->vaddr < ELF_PAGE_SIZE)
		return NOEXEC("segment %d: maps page 0 (vaddr %#llx): NULL must fault", i, ph->vaddr);
	if (ph->align > 1 && (ph->align & (ph->align - 1)))
		return NOEXEC("segment %d: p_align %#llx is not a power of two", i, ph->align);
	if ((ph->vaddr ^ ph->offset) & (ELF_PAGE_SIZE - 1))
		return NOEXEC("segment %d: vaddr %#llx and offset %#llx differ modulo the page size",
			      i, ph->vaddr, ph->offset);
	if (!(ph->flags & (PF_R | PF_W | PF_X)))
		return NOEXEC("segment %d: no access at all (p_flags %#x)", i, ph->flags);
	return 0;
}

int elf_check(const void *image, size_t size, const struct elf_target *t,
	      struct elf_image *out, char *why, size_t whylen)
{
	return elf_check_head(image, size, size, t, out, why, whylen);
}

/* headlen bounds every read; size, every segment's file bytes. */
int elf_check_head(const void *head, size_t headlen, u64 size, const struct elf_target *t,
		   struct elf_image *out, char *why, size_t whylen)
{
	const u8 *p = head;
	if (why && whylen)
		why[0] = '\0';
	if (headlen > size)
		headlen = size;
	if (!p || headlen < EI_NIDENT || memcmp(p, ELFMAG, 4))
		return NOEXEC("not an ELF file (bad magic)");
	u8 class = p[EI_CLASS];
	if (class != ELFCLASS32 && class != ELFCLASS64)
		return NOEXEC("bad class %u", class);
	if (class != t->class)
		return NOEXEC("ELF%d, this kernel runs ELF%d", class == ELFCLASS64 ? 64 : 32,
			      t->class == ELFCLASS64 ? 64 : 32);
	if (p[EI_DATA] != ELFDATA2LSB)
		return NOEXEC("not little-endian (EI_DATA %u)", p[EI_DATA]);
	if (p[EI_VERSION] != EV_CURRENT)
		return NOEXEC("bad ELF version %u", p[EI_VERSION]);
	size_t ehsize = class == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t phentsize = class == ELFCLASS64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (headlen < ehsize)
		return NOEXEC("file too short for the ELF header (%zu bytes)", headlen);

	struct ehdr eh;
	read_ehdr(p, class, &eh);
	if (eh.machine != t->machine)
		return NOEXEC("machine %u, this kernel runs machine %u", eh.machine, t->machine);
	if (eh.version != EV_CURRENT)
		return NOEXEC("bad e_version %u", eh.version);
	if (eh.type != ET_EXEC)
		return NOEXEC("type %u is not ET_EXEC (only static executables run)", eh.type);
	if (eh.phentsize != phentsize)
		return NOEXEC("e_phentsize %u, want %zu", eh.phentsize, phentsize);
	if (eh.phnum == 0)
		return NOEXEC("no program headers");
	if (eh.phoff > headlen || (u64)eh.phnum * phentsize > headlen - eh.phoff)
		return NOEXEC("program headers [%#llx, +%u*%zu) outside the first %zu bytes of the file",
			      eh.phoff, eh.phnum, phentsize, headlen);

	struct elf_image img = { .class = class, .entry = eh.entry };
	u64 total = 0;
	for (int i = 0; i < eh.phnum; i++) {
		struct phdr ph;
		read_phdr(p + eh.phoff + (u64)i * phentsize, class, &ph);
		if (ph.type == PT_INTERP || ph.type == PT_DYNAMIC)
			return NOEXEC("dynamically linked (program header %d), only static programs run", i);
		if (ph.type != PT_LOAD || (ph.memsz == 0 && ph.filesz == 0))
			continue;       /* an empty PT_LOAD (ld makes one for an empty output section) maps nothing */
		int err = check_load(&ph, i, size, t, why, whylen);
		if (err)
			return err;
		u64 lo = page_down(ph.vaddr), hi = page_up(ph.vaddr + ph.memsz);
		for (int j = 0; j < img.nr_segments; j++) {
			const struct elf_segment *s = &img.seg[j];
			if (lo < page_up(s->vaddr + s->memsz) && page_down(s->vaddr) < hi)
				return NOEXEC("segment %d: pages [%#llx, %#llx) overlap an earlier segment's",
					      i, lo, hi);
		}
		if (img.nr_segments == ELF_MAX_SEGMENTS)
			return NOEXEC("more than %d PT_LOAD segments", ELF_MAX_SEGMENTS);
		total += hi - lo;       /* each term < user_top: no wrap */
		if (total > ELF_MAX_IMAGE)
			return refuse(-ENOMEM, why, whylen, "segments need %#llx bytes, more than the %#llx allowed",
				      total, ELF_MAX_IMAGE);
		img.seg[img.nr_segments++] = (struct elf_segment){
			.vaddr = ph.vaddr, .memsz = ph.memsz, .filesz = ph.filesz,
			.offset = ph.offset, .prot = ph.flags & (PF_R | PF_W | PF_X),
		};
	}
	if (!img.nr_segments)
		return NOEXEC("no PT_LOAD segment");
	for (int j = 0; j < img.nr_segments; j++) {
		const struct elf_segment *s = &img.seg[j];
		if ((s->prot & PF_X) && eh.entry >= s->vaddr && eh.entry - s->vaddr < s->filesz) {
			if (out)
				*out = img;
			return 0;
		}
	}
	return NOEXEC("entry point %#llx is not in the file part of an executable segment", eh.entry);
}
