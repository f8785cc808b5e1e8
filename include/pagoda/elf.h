/*
 * ELF executables: the on-disk structures (the System V gABI's names, as in
 * Linux's <uapi/linux/elf.h>) and the validator the program loader runs
 * before it maps anything (lib/elf.c, pure code, also built by the host
 * tests and fuzzed).
 *
 * elf_check() accepts a static executable (ET_EXEC) of the target's class
 * and machine, little-endian, whose program headers lie inside the file and
 * whose PT_LOAD segments each satisfy:
 *   filesz <= memsz; offset + filesz inside the file; vaddr + memsz does not
 *   wrap; [vaddr, vaddr + memsz) lies in [PAGE_SIZE, user_top) (page 0 stays
 *   unmapped so that NULL faults); p_align is 0, 1 or a power of two and
 *   vaddr and offset agree modulo the page size (so the file's pages can be
 *   mapped as they are); no two segments share a page (each page gets one
 *   protection);
 * and whose entry point lies in the file-backed part of an executable
 * segment. An empty PT_LOAD (filesz = memsz = 0) maps nothing and is
 * skipped; a 32-bit segment must not wrap past 4 GiB. A dynamic program (PT_INTERP) is refused. Anything else is
 * -ENOEXEC, or -ENOMEM when the segments together ask for more than
 * ELF_MAX_IMAGE bytes; `why` names the rule that failed.
 *
 * Guarantees: reads only [image, image + size) (any alignment); never
 * allocates; any calling context.
 */
#ifndef PAGODA_ELF_H
#define PAGODA_ELF_H

#include <pagoda/types.h>

#define EI_NIDENT       16
#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define ELFMAG          "\177ELF"
#define ELFCLASS32      1
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define EV_CURRENT      1
#define ET_EXEC         2
#define ET_DYN          3
#define EM_386          3
#define EM_X86_64       62
#define PT_NULL         0
#define PT_LOAD         1
#define PT_DYNAMIC      2
#define PT_INTERP       3
#define PF_X            1
#define PF_W            2
#define PF_R            4

typedef struct {
	u8  e_ident[EI_NIDENT];
	u16 e_type, e_machine;
	u32 e_version;
	u32 e_entry, e_phoff, e_shoff;
	u32 e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;

typedef struct {
	u32 p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} Elf32_Phdr;

typedef struct {
	u8  e_ident[EI_NIDENT];
	u16 e_type, e_machine;
	u32 e_version;
	u64 e_entry, e_phoff, e_shoff;
	u32 e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	u32 p_type, p_flags;
	u64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;

/* What a build runs: <asm/elf.h> has ELF_TARGET_NATIVE. */
struct elf_target {
	u8 class;               /* ELFCLASS32 or ELFCLASS64 */
	u16 machine;            /* EM_386 or EM_X86_64 */
	u64 user_top;           /* the first address user space cannot map (TASK_SIZE) */
};

#define ELF_MAX_SEGMENTS 8
#define ELF_MAX_IMAGE    (1ULL << 30)   /* bytes of all segments together */
#define ELF_PAGE_SIZE    4096

/* One PT_LOAD segment, as the loader maps it: [vaddr, vaddr + memsz) with
 * the first filesz bytes from the file at offset, the rest zero. */
struct elf_segment {
	u64 vaddr, memsz, filesz, offset;
	u32 prot;               /* PF_R | PF_W | PF_X of the segment */
};

struct elf_image {
	u8 class;
	u64 entry;
	int nr_segments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];   /* in file order */
};

/* 0 and *out filled, or -ENOEXEC / -ENOMEM with a reason in why (always
 * terminated when whylen > 0, truncated to fit; why may be NULL). */
int elf_check(const void *image, size_t size, const struct elf_target *target,
	      struct elf_image *out, char *why, size_t whylen);
/* The same checks when only the file's first headlen bytes are at hand
 * (a file read piecewise, from a memory object: execve_memobj): the ELF
 * and program headers must lie inside them, the segments inside the
 * size-byte file. elf_check(image, size) is elf_check_head(image, size, size). */
int elf_check_head(const void *head, size_t headlen, u64 size, const struct elf_target *target,
		   struct elf_image *out, char *why, size_t whylen);

#endif
