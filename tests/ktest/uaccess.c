/*
 * The user copies (<pagoda/uaccess.h>): every bad pointer gives an error,
 * never an oops, and a good one copies exactly. User pages are mapped by
 * hand into the running page tables' user half (no process needed): one
 * writable page with a hole after it, one read-only page.
 */
#include <pagoda/ktest.h>
#include <pagoda/gfp.h>
#include <pagoda/mm.h>
#include <pagoda/percpu.h>
#include <pagoda/printk.h>
#include <pagoda/sections.h>
#include <pagoda/string.h>
#include <pagoda/uaccess.h>
#include <asm/extable.h>
#include <asm/layout.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

DECLARE_PER_CPU(unsigned long, uaccess_fixups);

/* Two pages far from anything the boot maps: RW at UVA, a hole at
 * UVA + PAGE_SIZE, read-only at UVA + 2 pages. */
#define UVA     0x10000000UL
#define URW     ((char __user *)UVA)
#define UHOLE   ((char __user *)(UVA + PAGE_SIZE))
#define URO     ((char __user *)(UVA + 2 * PAGE_SIZE))

static unsigned long rw_page, ro_page;
static pteval_t *cur_pgd(void) { return __va(read_cr3() & PTE_ADDR_MASK); }

/* A user page is one whose every level allows user access: map_pages makes
 * kernel tables, so open the intermediate entries too (the PAE PDPT has no
 * such bit). */
static void open_to_user(unsigned long va)
{
	pteval_t *table = cur_pgd();
	for (int level = 0; level < PT_LEVELS - 1; level++) {
		pteval_t *slot = &table[pt_index(va, level)];
		if (!(PT_LEVELS == 3 && level == 0))
			*slot |= _PAGE_USER;
		table = __va(*slot & PTE_ADDR_MASK);
	}
}

static void reload_cr3(void)
{
	write_cr3(read_cr3());  /* PAE caches the PDPT entries at each load */
}

/* Whether the top-level entry over UVA existed before (the boot may have
 * one): if not, the test's table under it goes again at the end. */
static bool top_was_present;

static bool map_test_pages(struct ktest *t)
{
	struct pt_walk w;
	for (int i = 0; i < 3; i++) {
		pt_walk(cur_pgd(), UVA + i * PAGE_SIZE, &w);
		if (w.present) {
			KTEST_EXPECT_FALSE(t, w.present);
			return false;
		}
	}
	top_was_present = cur_pgd()[pt_index(UVA, 0)] & _PAGE_PRESENT;
	rw_page = get_zeroed_page(GFP_KERNEL);
	ro_page = get_zeroed_page(GFP_KERNEL);
	if (!rw_page || !ro_page) {
		KTEST_EXPECT_TRUE(t, rw_page && ro_page);
		return false;
	}
	memcpy((void *)ro_page, "read-only page", 15);
	pteval_t user = _PAGE_PRESENT | _PAGE_USER | _PAGE_NX;
	int err = map_pages(cur_pgd(), UVA, __pa(rw_page), PAGE_SIZE, user | _PAGE_RW, false);
	if (!err)
		err = map_pages(cur_pgd(), (unsigned long)URO, __pa(ro_page), PAGE_SIZE, user, false);
	KTEST_EXPECT_EQ(t, err, 0);
	open_to_user(UVA);
	reload_cr3();
	return !err;
}

static void unmap_test_pages(void)
{
	unmap_pages(cur_pgd(), UVA, 3 * PAGE_SIZE);
	pteval_t *top = &cur_pgd()[pt_index(UVA, 0)];
	if (!top_was_present && (*top & _PAGE_PRESENT)) {
		unsigned long child = (unsigned long)__va(*top & PTE_ADDR_MASK);
		bool empty = true;
		for (unsigned int i = 0; i < PAGE_SIZE / sizeof(pteval_t); i++)
			empty &= !((pteval_t *)child)[i];
		if (empty) {
			pte_clear(top);
			free_page(child);
		}
	}
	reload_cr3();
	if (rw_page)
		free_page(rw_page);
	if (ro_page)
		free_page(ro_page);
	rw_page = ro_page = 0;
}

static void access_ok_bounds(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, access_ok((void __user *)0, 0));
	KTEST_EXPECT_TRUE(t, access_ok((void __user *)(TASK_SIZE - 1), 1));
	KTEST_EXPECT_FALSE(t, access_ok((void __user *)TASK_SIZE, 1));
	KTEST_EXPECT_FALSE(t, access_ok((void __user *)(TASK_SIZE - 1), 2));
	KTEST_EXPECT_FALSE(t, access_ok((void __user *)(~0UL - 1), 4));   /* wraps */
	KTEST_EXPECT_FALSE(t, access_ok((void __user *)PAGE_OFFSET, 1));
	KTEST_EXPECT_FALSE(t, access_ok((void __user *)UVA, ~0UL));
}

/* NULL, unmapped and kernel pointers: the whole count comes back, the
 * kernel buffer is zeroed, kernel memory is untouched. */
static void __bad_pointers_fail(struct ktest *t)
{
	static unsigned long kernel_word = 0x5a5a5a5a;
	char buf[64];
	unsigned long before = this_cpu_read(uaccess_fixups);

	memset(buf, 0xaa, sizeof(buf));
	KTEST_EXPECT_EQ(t, copy_from_user(buf, NULL, sizeof(buf)), sizeof(buf));
	KTEST_EXPECT_EQ(t, (u8)buf[0], 0);
	KTEST_EXPECT_EQ(t, (u8)buf[63], 0);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, UHOLE, 8), 8UL);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, (void __user *)&kernel_word, 8), 8UL);
	KTEST_EXPECT_EQ(t, copy_to_user(NULL, buf, 8), 8UL);
	KTEST_EXPECT_EQ(t, copy_to_user((void __user *)&kernel_word, buf, sizeof(kernel_word)),
			sizeof(kernel_word));
	KTEST_EXPECT_EQ(t, kernel_word, 0x5a5a5a5aUL);
	KTEST_EXPECT_EQ(t, put_user(1UL, (unsigned long __user *)&kernel_word), -EFAULT);
	KTEST_EXPECT_EQ(t, kernel_word, 0x5a5a5a5aUL);
	unsigned long v = 7;
	KTEST_EXPECT_EQ(t, get_user(v, (unsigned long __user *)NULL), -EFAULT);
	KTEST_EXPECT_EQ(t, v, 0UL);
	KTEST_EXPECT_EQ(t, get_user(v, (unsigned long __user *)_text), -EFAULT);
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, NULL, 16), -EFAULT);
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, (const char __user *)"kernel", 16), -EFAULT);
	KTEST_EXPECT_EQ(t, strnlen_user(UHOLE, 16), 0);
	KTEST_EXPECT_EQ(t, clear_user(NULL, 8), 8UL);
	/* The NULL page and the hole faulted and were fixed up; the kernel
	 * addresses never got that far (access_ok refused them). */
	KTEST_EXPECT_GE(t, this_cpu_read(uaccess_fixups) - before, 5UL);
}

static void bad_pointers_fail(struct ktest *t)
{
	if (map_test_pages(t))
		__bad_pointers_fail(t);
	unmap_test_pages();
}

static void __copies_round_trip(struct ktest *t)
{
	char out[PAGE_SIZE / 4], in[sizeof(out)];
	for (unsigned int i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7 + 3);
	KTEST_EXPECT_EQ(t, copy_to_user(URW + 100, out, sizeof(out)), 0UL);
	KTEST_EXPECT_EQ(t, copy_from_user(in, URW + 100, sizeof(in)), 0UL);
	KTEST_EXPECT_MEMEQ(t, in, out, sizeof(in));
	KTEST_EXPECT_MEMEQ(t, (char *)rw_page + 100, out, sizeof(out));
	KTEST_EXPECT_EQ(t, copy_from_user(in, URO, 15), 0UL);
	KTEST_EXPECT_STREQ(t, in, "read-only page");

	u8 b; u16 h; u32 w; u64 q;
	KTEST_EXPECT_EQ(t, put_user((u8)0x12, (u8 __user *)URW), 0);
	KTEST_EXPECT_EQ(t, put_user((u16)0x3456, (u16 __user *)(URW + 2)), 0);
	KTEST_EXPECT_EQ(t, put_user((u32)0x789abcde, (u32 __user *)(URW + 4)), 0);
	KTEST_EXPECT_EQ(t, put_user(0x0123456789abcdefULL, (u64 __user *)(URW + 8)), 0);
	KTEST_EXPECT_EQ(t, get_user(b, (u8 __user *)URW), 0);
	KTEST_EXPECT_EQ(t, get_user(h, (u16 __user *)(URW + 2)), 0);
	KTEST_EXPECT_EQ(t, get_user(w, (u32 __user *)(URW + 4)), 0);
	KTEST_EXPECT_EQ(t, get_user(q, (u64 __user *)(URW + 8)), 0);
	KTEST_EXPECT_EQ(t, b, 0x12);
	KTEST_EXPECT_EQ(t, h, 0x3456);
	KTEST_EXPECT_EQ(t, w, 0x789abcdeU);
	KTEST_EXPECT_EQ(t, q, 0x0123456789abcdefULL);
}

static void copies_round_trip(struct ktest *t)
{
	if (map_test_pages(t))
		__copies_round_trip(t);
	unmap_test_pages();
}

/* A buffer that runs off the end of the mapped page: the bytes before the
 * hole are copied, the count of the rest comes back. */
static void __straddle_copies_partly(struct ktest *t)
{
	char buf[200];
	memset((char *)rw_page + PAGE_SIZE - 96, 'u', 96);
	memset(buf, 0xaa, sizeof(buf));
	KTEST_EXPECT_EQ(t, copy_from_user(buf, UHOLE - 96, sizeof(buf)), 104UL);
	KTEST_EXPECT_EQ(t, buf[0], 'u');
	KTEST_EXPECT_EQ(t, buf[95], 'u');
	KTEST_EXPECT_EQ(t, buf[96], 0);         /* the rest zeroed */
	KTEST_EXPECT_EQ(t, buf[199], 0);

	memset(buf, 'k', sizeof(buf));
	KTEST_EXPECT_EQ(t, copy_to_user(UHOLE - 96, buf, sizeof(buf)), 104UL);
	KTEST_EXPECT_EQ(t, ((char *)rw_page)[PAGE_SIZE - 96], 'k');
	KTEST_EXPECT_EQ(t, ((char *)rw_page)[PAGE_SIZE - 1], 'k');
	KTEST_EXPECT_EQ(t, clear_user(UHOLE - 8, 16), 8UL);
	KTEST_EXPECT_EQ(t, ((char *)rw_page)[PAGE_SIZE - 8], 0);
	KTEST_EXPECT_EQ(t, ((char *)rw_page)[PAGE_SIZE - 9], 'k');
}

static void straddle_copies_partly(struct ktest *t)
{
	if (map_test_pages(t))
		__straddle_copies_partly(t);
	unmap_test_pages();
}

/* Writes to a read-only user page fail (CR0.WP makes the kernel obey the
 * user's protection); the page is unchanged. */
static void __read_only_page_refuses_writes(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, read_cr0() & X86_CR0_WP);
	KTEST_EXPECT_EQ(t, copy_to_user(URO, "x", 1), 1UL);
	KTEST_EXPECT_EQ(t, put_user(0, (int __user *)URO), -EFAULT);
	KTEST_EXPECT_EQ(t, clear_user(URO, 4), 4UL);
	KTEST_EXPECT_STREQ(t, (char *)ro_page, "read-only page");
}

static void read_only_page_refuses_writes(struct ktest *t)
{
	if (map_test_pages(t))
		__read_only_page_refuses_writes(t);
	unmap_test_pages();
}

static void __strings(struct ktest *t)
{
	char buf[32];
	memcpy((char *)rw_page, "hello", 6);
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, URW, sizeof(buf)), 5);
	KTEST_EXPECT_STREQ(t, buf, "hello");
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, URW, 3), 3);  /* too long for 3 */
	KTEST_EXPECT_EQ(t, strnlen_user(URW, 32), 6);
	KTEST_EXPECT_EQ(t, strnlen_user(URW, 4), 5);            /* n + 1: too long */

	/* A string whose NUL is the page's last byte is fine; one that runs
	 * into the hole is a fault, however large the count. */
	char *end = (char *)rw_page + PAGE_SIZE - 4;
	memcpy(end, "abc", 4);
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, UHOLE - 4, sizeof(buf)), 3);
	KTEST_EXPECT_STREQ(t, buf, "abc");
	KTEST_EXPECT_EQ(t, strnlen_user(UHOLE - 4, 100), 4);
	end[3] = 'd';
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, UHOLE - 4, sizeof(buf)), -EFAULT);
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, UHOLE - 4, 4), 4);   /* stops before the hole */
	KTEST_EXPECT_EQ(t, strnlen_user(UHOLE - 4, 100), 0);
}

static void strings(struct ktest *t)
{
	if (map_test_pages(t))
		__strings(t);
	unmap_test_pages();
}

/* Under SMAP, a plain kernel load from a user page is refused by the CPU:
 * only the copies may touch it. Expected panic (needs -cpu max). */
static void smap_blocks_direct_access(struct ktest *t)
{
	if (!boot_cpu.has_smap) {
		ktest_skip(t, "the CPU has no SMAP");
		return;
	}
	if (!map_test_pages(t))
		return;
	printk("# reading user address %p directly\n", (void *)URW);
	(void)*(volatile char *)URW;
	KTEST_EXPECT_TRUE(t, false);    /* not reached */
}

static struct ktest_case uaccess_cases[] = {
	KTEST_CASE(access_ok_bounds),
	KTEST_CASE(bad_pointers_fail),
	KTEST_CASE(copies_round_trip),
	KTEST_CASE(straddle_copies_partly),
	KTEST_CASE(read_only_page_refuses_writes),
	KTEST_CASE(strings),
	KTEST_PANIC_CASE(smap_blocks_direct_access, "BUG: SMAP: kernel access to user memory"),
	{}
};
KTEST_SUITE(uaccess, uaccess_cases);
