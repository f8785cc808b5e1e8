/* usertests, suite umm: memory: demand paging, COW, mmap, brk. */
#include "utest.h"

/* A page is allocated when touched, not when mapped. */
static void lazy_allocation(struct utest *t)
{
	struct proc_stat a = self_stat();
	char *p = map(64, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	struct proc_stat b = self_stat();
	for (int i = 0; i < 10; i++)
		p[i * PAGE] = 1;
	struct proc_stat c = self_stat();
	EXPECT_TRUE(t, b.vm_pages >= a.vm_pages + 64);
	EXPECT_TRUE(t, b.rss_pages <= a.rss_pages + 1);
	EXPECT_TRUE(t, c.rss_pages >= b.rss_pages + 10 && c.rss_pages <= b.rss_pages + 11);
	EXPECT_TRUE(t, c.page_faults >= b.page_faults + 10);
	/* A second touch of the same pages costs no fault. */
	for (int i = 0; i < 10; i++)
		p[i * PAGE] = 2;
	struct proc_stat d = self_stat();
	EXPECT_TRUE(t, d.page_faults <= c.page_faults + 1);
	EXPECT_EQ(t, p[64 * PAGE - 1], 0);              /* untouched pages read as zeros */
	munmap(p, 64 * PAGE);
	EXPECT_TRUE(t, self_stat().rss_pages <= d.rss_pages - 10 + 1);
}

#define COW_PAGES 8
#define COW_CHILDREN 8

/* Parent and children each see only their own writes, over many forks. */
static void cow_many_forks(struct utest *t)
{
	char *p = map(COW_PAGES, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	for (unsigned long i = 0; i < COW_PAGES * PAGE; i++)
		p[i] = (char)(i % 251);
	int pids[COW_CHILDREN];
	for (int c = 0; c < COW_CHILDREN; c++) {
		pids[c] = fork();
		if (pids[c] == 0) {
			unsigned long long cow0 = self_stat().cow_copies;
			/* Check the inherited bytes, write our own, yield, check again. */
			for (unsigned long i = 0; i < COW_PAGES * PAGE; i++)
				if (p[i] != (char)(i % 251))
					_exit(1);
			for (unsigned long i = 0; i < COW_PAGES * PAGE; i += 64)
				p[i] = (char)(c + 1);
			if (self_stat().cow_copies < cow0 + COW_PAGES - 1)
				_exit(2);
			for (int y = 0; y < 50; y++)
				sched_yield();
			for (unsigned long i = 0; i < COW_PAGES * PAGE; i++)
				if (p[i] != (i % 64 ? (char)(i % 251) : (char)(c + 1)))
					_exit(3);
			_exit(0);
		}
		ASSERT_TRUE(t, pids[c] > 0);
	}
	/* The parent writes too, while the children run. */
	p[PAGE] = 'P';
	for (int c = 0; c < COW_CHILDREN; c++) {
		int status;
		EXPECT_EQ(t, waitpid(pids[c], &status, 0), pids[c]);
		EXPECT_EQ(t, status, 0);
	}
	EXPECT_EQ(t, p[PAGE], 'P');
	for (unsigned long i = 0; i < COW_PAGES * PAGE; i++)
		if (i != PAGE && p[i] != (char)(i % 251)) {
			EXPECT_EQ(t, p[i], (char)(i % 251));
			break;
		}
	munmap(p, COW_PAGES * PAGE);
}

/* The last user of a COW page writes it without a copy (do_wp_page). */
static void cow_last_user_no_copy(struct utest *t)
{
	char *p = map(1, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	p[0] = 1;
	int pid = fork(), status;
	if (pid == 0)
		_exit(p[0]);
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, WEXITSTATUS(status), 1);
	unsigned long long cow0 = self_stat().cow_copies;
	p[0] = 2;
	EXPECT_EQ(t, self_stat().cow_copies, cow0);
	munmap(p, PAGE);
}

static char *fault_addr;
static void do_touch_read(void) { (void)*(volatile char *)fault_addr; }
static void do_touch_write(void) { *(volatile char *)fault_addr = 1; }

static void expect_read_faults(struct utest *t, void *addr)
{
	fault_addr = addr;
	expect_killed(t, do_touch_read, SIGSEGV);
}

static void expect_write_faults(struct utest *t, void *addr)
{
	fault_addr = addr;
	expect_killed(t, do_touch_write, SIGSEGV);
}

static void mmap_errors(struct utest *t)
{
	int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;
	EXPECT_EQ(t, syscall6(__NR_mmap, 0, 0, rw, anon, -1, 0), -EINVAL);
	EXPECT_EQ(t, syscall6(__NR_mmap, 0x10000001L, PAGE, rw, anon | MAP_FIXED, -1, 0), -EINVAL);
	EXPECT_EQ(t, syscall6(__NR_mmap, 0, PAGE, rw, MAP_PRIVATE, 3, 0), -EINVAL);    /* a file */
	EXPECT_EQ(t, syscall6(__NR_mmap, 0, PAGE, rw, MAP_SHARED | MAP_ANONYMOUS, -1, 0), -EINVAL);
	long r;
	r = syscall6(__NR_mmap, (long)KERNEL_ADDR, PAGE, rw, anon | MAP_FIXED, -1, 0);
	EXPECT_TRUE(t, r == -EINVAL || r == -ENOMEM);   /* never the kernel's address */
	r = syscall6(__NR_mmap, 0, -PAGE, rw, anon, -1, 0);           /* larger than user space */
	EXPECT_TRUE(t, r == -ENOMEM || r == -EINVAL);
	EXPECT_EQ(t, syscall2(__NR_munmap, 0x10000001L, PAGE), -EINVAL);
	EXPECT_EQ(t, syscall2(__NR_munmap, 0x10000000L, 0), -EINVAL);
	EXPECT_EQ(t, syscall2(__NR_munmap, (long)KERNEL_ADDR, PAGE), -EINVAL);
	EXPECT_EQ(t, syscall3(__NR_mprotect, 0x10000001L, PAGE, PROT_READ), -EINVAL);
	void *h = hole();
	EXPECT_EQ(t, syscall3(__NR_mprotect, h, PAGE, PROT_READ), -ENOMEM);
	EXPECT_EQ(t, syscall2(__NR_munmap, h, PAGE), 0);        /* nothing there: fine */
}

/* An unaligned length covers the partial page; a hint is only a hint. */
static void mmap_unaligned_len(struct utest *t)
{
	char *p = mmap(NULL, PAGE + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(t, p != MAP_FAILED);
	EXPECT_EQ(t, (uintptr_t)p % PAGE, 0);
	p[2 * PAGE - 1] = 1;                    /* the rest of the second page is ours */
	EXPECT_EQ(t, munmap(p, PAGE + 1), 0);   /* and goes with it */
	expect_read_faults(t, p + PAGE);
}

static void mprotect_splits(struct utest *t)
{
	char *p = map(3, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	memset(p, 7, 3 * PAGE);
	EXPECT_EQ(t, mprotect(p + PAGE, PAGE, PROT_READ), 0);
	p[0] = 1;
	p[2 * PAGE] = 1;
	EXPECT_EQ(t, p[PAGE], 7);
	expect_write_faults(t, p + PAGE);
	EXPECT_EQ(t, mprotect(p + PAGE, PAGE, PROT_NONE), 0);
	expect_read_faults(t, p + PAGE);
	/* All three pages back to one protection (the VMAs merge again). */
	EXPECT_EQ(t, mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE), 0);
	p[PAGE] = 2;
	EXPECT_EQ(t, p[PAGE], 2);
	EXPECT_EQ(t, p[PAGE + 1], 7);           /* the data survived PROT_NONE */
	munmap(p, 3 * PAGE);
}

static void munmap_splits(struct utest *t)
{
	char *p = map(3, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	memset(p, 9, 3 * PAGE);
	EXPECT_EQ(t, munmap(p + PAGE, PAGE), 0);
	EXPECT_EQ(t, p[0], 9);
	EXPECT_EQ(t, p[2 * PAGE], 9);
	expect_read_faults(t, p + PAGE);
	/* One munmap over the hole takes both halves. */
	EXPECT_EQ(t, munmap(p, 3 * PAGE), 0);
	expect_read_faults(t, p);
	expect_read_faults(t, p + 2 * PAGE);
}

static void map_fixed_replaces(struct utest *t)
{
	char *p = map(2, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	memset(p, 5, 2 * PAGE);
	char *q = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	EXPECT_TRUE(t, q == p);
	EXPECT_EQ(t, p[0], 0);                  /* a fresh page */
	EXPECT_EQ(t, p[PAGE], 5);               /* its neighbour untouched */
	expect_write_faults(t, p);              /* with the new protection */
	munmap(p, 2 * PAGE);
}

extern char _end[];     /* the end of bss (user/user.ld): the heap starts above */

static void brk_grow_shrink(struct utest *t)
{
	char *base = (char *)syscall1(__NR_brk, 0);
	ASSERT_TRUE(t, base != NULL);
	char *top = (char *)syscall1(__NR_brk, base + 3 * PAGE);
	EXPECT_TRUE(t, top == base + 3 * PAGE);
	for (unsigned long i = 0; i < 3 * PAGE; i += 512)
		if (base[i]) {
			EXPECT_EQ(t, base[i], 0);
			break;
		}
	memset(base, 0x77, 3 * PAGE);
	EXPECT_TRUE(t, (char *)syscall1(__NR_brk, base + PAGE) == base + PAGE);
	expect_read_faults(t, base + 2 * PAGE);
	EXPECT_TRUE(t, (char *)syscall1(__NR_brk, base + 3 * PAGE) == base + 3 * PAGE);
	EXPECT_EQ(t, base[0], 0x77);            /* kept */
	EXPECT_EQ(t, base[2 * PAGE], 0);        /* given back, then fresh zeros */
	/* Below the start of the heap (into the program's data): refused,
	 * the break stays. */
	EXPECT_TRUE(t, (char *)syscall1(__NR_brk, (uintptr_t)_end - PAGE) == base + 3 * PAGE);
	EXPECT_TRUE(t, (char *)syscall1(__NR_brk, base) == base);
}

const struct ucase mm_cases[] = {
	{ "lazy_allocation", lazy_allocation },
	{ "cow_many_forks", cow_many_forks },
	{ "cow_last_user_no_copy", cow_last_user_no_copy },
	{ "mmap_errors", mmap_errors },
	{ "mmap_unaligned_len", mmap_unaligned_len },
	{ "mprotect_splits", mprotect_splits },
	{ "munmap_splits", munmap_splits },
	{ "map_fixed_replaces", map_fixed_replaces },
	{ "brk_grow_shrink", brk_grow_shrink },
	{ NULL, NULL },
};
