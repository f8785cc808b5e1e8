/*
 * Expected-panic cases of kernel virtual memory: each provokes one kind of
 * bad access and the runner (tests/manifest.d/vm.ini) checks that the report
 * names its cause. Each runs in a boot of its own.
 */
#include <pagoda/ktest.h>
#include <pagoda/vmalloc.h>

/* Run 8 bytes off the end of a one-page vmalloc area into its guard page;
 * the report must name the area and this function as its allocator. */
static void vmalloc_guard_overflow(struct ktest *t)
{
	volatile u8 *p = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, (void *)p);
	p[PAGE_SIZE - 1] = 0xee;                /* the last byte: fine */
	p[PAGE_SIZE + 8] = 0xee;                /* 8 bytes past the end */
}

/* vfree unmaps at once and flushes the TLB: a later read faults, and the
 * report says no area holds the address any more. */
static void vmalloc_use_after_free(struct ktest *t)
{
	volatile u32 *p = vmalloc(2 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, (void *)p);
	p[0] = 1;
	vfree((void *)p);
	(void)p[0];
}

/* Without vmalloc_debug, vfree defers the TLB flush (mm/vmap_area.c), and
 * this CPU may still translate the old address; after the purge that
 * vm_unmap_aliases forces, a use after free faults all the same. */
static void vmalloc_use_after_free_purged(struct ktest *t)
{
	volatile u32 *p = vmalloc(2 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, (void *)p);
	p[0] = 1;
	vfree((void *)p);
	vm_unmap_aliases();
	(void)p[0];
}

/* rodata is mapped read-only (W^X): a write must fault, not succeed. */
static const u32 ro_word = 0x1234;
static void write_rodata(struct ktest *t)
{
	*(volatile u32 *)&ro_word = 0x4321;
	KTEST_EXPECT_EQ(t, ro_word, 0x1234u);   /* not reached */
}

/* A `ret` in kernel .data: writable, hence NX; calling it must fault. */
static u8 data_code[16] __aligned(16) = { 0xc3 };
static void exec_data(struct ktest *t)
{
	void (*volatile fn)(void) = (void (*)(void))data_code;
	fn();
}

/* A `ret` in a vmalloc page: vmalloc maps with PAGE_KERNEL, NX. */
static void exec_vmalloc(struct ktest *t)
{
	u8 *code = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, code);
	code[0] = 0xc3;
	void (*volatile fn)(void) = (void (*)(void))code;
	fn();
}

/* Bits 63..48 not copies of bit 47: a #GP on x86_64, not a page fault. */
static void noncanonical_access(struct ktest *t)
{
	volatile unsigned long *volatile bad = (volatile unsigned long *)(unsigned long)0xdead00000000beefULL;
	(void)*bad;
}

static struct ktest_case vm_oops_cases[] = {
	KTEST_PANIC_CASE(vmalloc_guard_overflow, "bytes past the end of vmalloc area"),
	KTEST_PANIC_CASE(vmalloc_use_after_free, "not mapped (the vmalloc area)"),
	KTEST_PANIC_CASE(vmalloc_use_after_free_purged, "not mapped (the vmalloc area)"),
	KTEST_PANIC_CASE(write_rodata, "BUG: write to read-only memory"),
	KTEST_PANIC_CASE(exec_data, "BUG: kernel tried to execute NX-protected page"),
	KTEST_PANIC_CASE(exec_vmalloc, "BUG: kernel tried to execute NX-protected page"),
	KTEST_PANIC_CASE(noncanonical_access, "non-canonical"),
	{}
};
KTEST_SUITE(vm_oops, vm_oops_cases);
