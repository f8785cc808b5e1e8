/*
 * usertests, suite uexec: execve_memobj (20), exec of the first size
 * bytes of a memory object. The program is one the test carries: a
 * static ELF made here byte by byte for this build (ELF64 x86-64 or
 * ELF32 i386), one read-execute segment of three pages whose code, in
 * the third page, exits with a chosen code. So the loader must read
 * the object page by page (highmem pages on i386 with much memory).
 * Then broken copies of it: garbage, truncated, a size past the object,
 * wrong handles and rights, and random byte flips in its headers, which
 * must each be refused (ENOEXEC, ENOMEM) or run, never crash the kernel.
 */
#include "utest.h"

#define TINY_PAGES  3
#define TINY_VADDR  0x400000UL
#define TINY_CODE   (2 * PAGE + 0x10)           /* file offset of the code */
#define TINY_SIZE   (TINY_CODE + 16)            /* the file's length */

static void put(unsigned char *p, unsigned long long v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The program into f (TINY_PAGES pages, zeroed by the caller): exit(code).
 * Also ufd's program on a fake file system (utest.h). */
void make_tiny(unsigned char *f, int code)
{
	static const unsigned char ident[] = { 0x7f, 'E', 'L', 'F' };
	memcpy(f, ident, 4);
	f[5] = 1;                               /* little-endian */
	f[6] = 1;                               /* EV_CURRENT */
	unsigned char *c = f + TINY_CODE;
#ifdef __x86_64__
	f[4] = 2;                               /* ELFCLASS64 */
	put(f + 16, 2, 2);                      /* ET_EXEC */
	put(f + 18, 62, 2);                     /* EM_X86_64 */
	put(f + 20, 1, 4);
	put(f + 24, TINY_VADDR + TINY_CODE, 8); /* e_entry */
	put(f + 32, 64, 8);                     /* e_phoff */
	put(f + 52, 64, 2);                     /* e_ehsize */
	put(f + 54, 56, 2);                     /* e_phentsize */
	put(f + 56, 1, 2);                      /* e_phnum */
	unsigned char *ph = f + 64;
	put(ph + 0, 1, 4);                      /* PT_LOAD */
	put(ph + 4, 5, 4);                      /* PF_R | PF_X */
	put(ph + 8, 0, 8);                      /* p_offset */
	put(ph + 16, TINY_VADDR, 8);
	put(ph + 24, TINY_VADDR, 8);
	put(ph + 32, TINY_SIZE, 8);             /* p_filesz */
	put(ph + 40, TINY_SIZE, 8);             /* p_memsz */
	put(ph + 48, PAGE, 8);
	/* mov $code, %edi; mov $__NR_exit, %eax; syscall; ud2 */
	static const unsigned char code64[] = { 0xbf, 0, 0, 0, 0, 0xb8, 0, 0, 0, 0, 0x0f, 0x05, 0x0f, 0x0b };
	memcpy(c, code64, sizeof(code64));
#else
	f[4] = 1;                               /* ELFCLASS32 */
	put(f + 16, 2, 2);
	put(f + 18, 3, 2);                      /* EM_386 */
	put(f + 20, 1, 4);
	put(f + 24, TINY_VADDR + TINY_CODE, 4);
	put(f + 28, 52, 4);                     /* e_phoff */
	put(f + 40, 52, 2);
	put(f + 42, 32, 2);
	put(f + 44, 1, 2);
	unsigned char *ph = f + 52;
	put(ph + 0, 1, 4);
	put(ph + 4, 0, 4);                      /* p_offset */
	put(ph + 8, TINY_VADDR, 4);
	put(ph + 12, TINY_VADDR, 4);
	put(ph + 16, TINY_SIZE, 4);
	put(ph + 20, TINY_SIZE, 4);
	put(ph + 24, 5, 4);
	put(ph + 28, PAGE, 4);
	/* mov $code, %ebx; mov $__NR_exit, %eax; int $0x80; ud2 */
	static const unsigned char code32[] = { 0xbb, 0, 0, 0, 0, 0xb8, 0, 0, 0, 0, 0xcd, 0x80, 0x0f, 0x0b };
	memcpy(c, code32, sizeof(code32));
#endif
	put(c + 1, (unsigned)code, 4);
	put(c + 6, __NR_exit, 4);
}

/* A memory object holding the program, mapped at *map. */
static int tiny_memobj(unsigned char **map, int code)
{
	int mo = memobj_create(TINY_PAGES * PAGE);
	if (mo < 0)
		return mo;
	*map = memobj_map(mo, NULL, TINY_PAGES * PAGE, PROT_READ | PROT_WRITE, 0);
	if (*map == MAP_FAILED)
		return -1;
	memset(*map, 0, TINY_PAGES * PAGE);
	make_tiny(*map, code);
	return mo;
}

static char *const tiny_argv[] = { "tiny", NULL };

/* execve_memobj in a child: its exit status (the program's), or 200 +
 * errno if the exec failed. */
static int run_in_child(int mo, unsigned long size)
{
	int pid = fork();
	if (!pid) {
		execve_memobj(mo, size, tiny_argv, no_env);
		_exit(200 + errno);
	}
	int st = -1;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

/* The program runs and its exit code comes back; a second one shows the
 * code is read from the object, not remembered. */
static void runs_and_exits(struct utest *t)
{
	unsigned char *f;
	int mo = tiny_memobj(&f, 42);
	ASSERT_TRUE(t, mo > 0);
	EXPECT_EQ(t, run_in_child(mo, TINY_SIZE), 42);
	make_tiny(f, 7);
	EXPECT_EQ(t, run_in_child(mo, TINY_SIZE), 7);
	/* The whole object is fine too: the bytes past the file are zero. */
	EXPECT_EQ(t, run_in_child(mo, TINY_PAGES * PAGE), 7);
	munmap(f, TINY_PAGES * PAGE);
	handle_close(mo);
}

/* Our program goes on after each refusal: the errors come back to it. */
static void refused(struct utest *t)
{
	unsigned char *f;
	int mo = tiny_memobj(&f, 42);
	ASSERT_TRUE(t, mo > 0);
	/* Truncated: inside the ELF header, inside the program header, and
	 * short of the segment's last byte. */
	errno = 0;
	EXPECT_EQ(t, execve_memobj(mo, 40, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, ENOEXEC);
	errno = 0;
	EXPECT_EQ(t, execve_memobj(mo, 70, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, ENOEXEC);
	errno = 0;
	EXPECT_EQ(t, execve_memobj(mo, TINY_SIZE - 1, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, ENOEXEC);
	/* Size 0, or past the object. */
	errno = 0;
	EXPECT_EQ(t, execve_memobj(mo, 0, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, EINVAL);
	errno = 0;
	EXPECT_EQ(t, execve_memobj(mo, TINY_PAGES * PAGE + 1, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, EINVAL);
	errno = 0;
	EXPECT_EQ(t, execve_memobj(mo, ~0UL, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, EINVAL);
	/* Without RIGHT_READ; not a memory object; no handle at all. */
	int wo = handle_dup(mo, RIGHT_WRITE | RIGHT_DUPLICATE);
	ASSERT_TRUE(t, wo > 0);
	errno = 0;
	EXPECT_EQ(t, execve_memobj(wo, TINY_SIZE, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, EPERM);
	handle_close(wo);
	int ep = endpoint_create();
	errno = 0;
	EXPECT_EQ(t, execve_memobj(ep, TINY_SIZE, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, EBADF);
	handle_close(ep);
	errno = 0;
	EXPECT_EQ(t, execve_memobj(12345, TINY_SIZE, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, EBADF);
	/* Bad argument vectors. */
	errno = 0;
	EXPECT_EQ(t, execve_memobj(mo, TINY_SIZE, KERNEL_ADDR, no_env), -1);
	EXPECT_EQ(t, errno, EFAULT);
	/* Garbage: all of it, and the program with its magic broken. */
	for (unsigned long i = 0; i < TINY_PAGES * PAGE; i++)
		f[i] = (unsigned char)(i * 37 + (i >> 7));
	errno = 0;
	EXPECT_EQ(t, execve_memobj(mo, TINY_SIZE, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, ENOEXEC);
	make_tiny(f, 42);
	f[1] = 'e';
	errno = 0;
	EXPECT_EQ(t, execve_memobj(mo, TINY_SIZE, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, ENOEXEC);
	/* And it was only the bytes: the good program still runs. */
	make_tiny(f, 42);
	EXPECT_EQ(t, run_in_child(mo, TINY_SIZE), 42);
	munmap(f, TINY_PAGES * PAGE);
	handle_close(mo);
	/* The handle closed, it is gone. */
	errno = 0;
	EXPECT_EQ(t, execve_memobj(mo, TINY_SIZE, tiny_argv, no_env), -1);
	EXPECT_EQ(t, errno, EBADF);
}

static unsigned long rng;

static unsigned long next(void)
{
	return xorshift(&rng);
}

enum { FUZZ_CHILDREN = 8, FUZZ_TRIES = 60 };

/* Shared with the children (a page of a memory object): copies refused. */
static volatile unsigned long *refusals;

/* A child flips bytes in the headers and tries each copy: a refusal
 * must be ENOEXEC or ENOMEM (then the next copy); an accepted copy runs
 * and ends the child however it ends (many flips are harmless: padding,
 * p_paddr, e_shoff). 0: every copy was refused properly; 3: another error. */
static __attribute__((noreturn)) void fuzz_child(int mo, unsigned char *f, unsigned long seed)
{
	rng = seed;
	for (int i = 0; i < FUZZ_TRIES; i++) {
		make_tiny(f, 42);
		int flips = 1 + (int)(next() % 4);
		for (int k = 0; k < flips; k++)
			f[next() % 128] ^= (unsigned char)(1u << (next() % 8));
		execve_memobj(mo, TINY_SIZE, tiny_argv, no_env);
		if (errno != ENOEXEC && errno != ENOMEM) {
			printf("    # fuzz: seed %lu try %d: errno %d\n", seed, i, errno);
			_exit(3);
		}
		refusals[0]++;
	}
	_exit(0);
}

static void header_flips_never_crash(struct utest *t)
{
	unsigned char *f;
	int mo = tiny_memobj(&f, 42);
	ASSERT_TRUE(t, mo > 0);
	int counts = memobj_create(PAGE);
	ASSERT_TRUE(t, counts > 0);
	refusals = memobj_map(counts, NULL, PAGE, PROT_READ | PROT_WRITE, 0);
	ASSERT_TRUE(t, refusals != MAP_FAILED);
	struct leak_mark mark;
	EXPECT_EQ(t, run_in_child(mo, TINY_SIZE), 42);  /* warm-up */
	leak_mark(&mark);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int ran = 0;
	for (int c = 0; c < FUZZ_CHILDREN; c++) {
		unsigned long seed = (unsigned long)ts.tv_nsec * 2654435761UL + (unsigned long)c + 1;
		int pid = fork();
		if (!pid)
			fuzz_child(mo, f, seed);
		int st = -1;
		EXPECT_EQ(t, waitpid(pid, &st, 0), pid);
		/* 3: a wrong error. Anything else (0, the program's own exit
		 * code, a signal of a mutant that ran) is the kernel's survival. */
		EXPECT_TRUE(t, !(WIFEXITED(st) && WEXITSTATUS(st) == 3));
		ran += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	printf("    # %lu broken copies refused, %d accepted and run\n", refusals[0], ran);
	EXPECT_TRUE(t, refusals[0] > 0);
	expect_no_leak(t, &mark);
	munmap((void *)refusals, PAGE);
	handle_close(counts);
	munmap(f, TINY_PAGES * PAGE);
	handle_close(mo);
}

const struct ucase exec_memobj_cases[] = {
	{ "runs_and_exits", runs_and_exits },
	{ "refused", refused },
	{ "header_flips_never_crash", header_flips_never_crash },
	{ NULL, NULL },
};
