/*
 * Expected-panic cases: each provokes one kind of kernel bug and the test
 * runner checks that the report names its cause (and that a symbolized
 * backtrace follows). Each runs in a boot of its own (tests/manifest.d/boot.ini).
 */
#include <pagoda/ktest.h>
#include <pagoda/bootinfo.h>
#include <pagoda/gfp.h>
#include <pagoda/sections.h>
#include <pagoda/stacks.h>
#include <pagoda/vmalloc.h>
#include <asm/page.h>
#include <asm/layout.h>
#include "oops_frame.h"

/* volatile: the compiler must really do these accesses. */
static volatile unsigned long *volatile null_ptr;

static void null_dereference(struct ktest *t)
{
	(void)*null_ptr;
}

static void write_kernel_text(struct ktest *t)
{
	volatile u8 *text = (volatile u8 *)_text + 0x40;
	*text = 0xcc;
}

/* A `ret` placed on a direct-map page of RAM: a valid address, not
 * executable. (A page from the allocator: on i386 the image's own data is
 * inside the direct map too, but reported as kernel data.) */
static void exec_direct_map(struct ktest *t)
{
	u8 *code = (u8 *)__get_free_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, code);
	code[0] = 0xc3;
	void (*fn)(void) = (void (*)(void))code;
	fn();
}

/* Recurse until the boot stack runs into its guard page. */
static volatile unsigned long depth_limit = ~0UL;
static __noinline unsigned long recurse(unsigned long n)
{
	volatile char pad[256];
	pad[0] = (char)n;
	if (n >= depth_limit)
		return pad[0];
	return recurse(n + 1) + pad[0];
}

static void stack_overflow(struct ktest *t)
{
	recurse(0);
}

static void garbled_boot_info(struct ktest *t)
{
	extern void bootinfo_init(const void *mbi, size_t size);
	static u32 info[8] __aligned(8) = {
		32, 0,                  /* total_size, reserved */
		1, 40,                  /* a cmdline tag claiming 40 bytes: overruns */
		0, 0, 0, 0,
	};
	bootinfo_init(info, sizeof(info));
}

/*
 * A frame chain into unmapped memory, as when a CPU's stack was freed under
 * it: a registered stack whose pages are gone, and the frame pointer in the
 * middle of it when the oops comes. The report must still be complete:
 * cause, registers, and a backtrace that ends with a note instead of a
 * second fault ("Kernel panic while panicking").
 */
static void broken_frame_chain(struct ktest *t)
{
	u8 *s = vmalloc(2 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, s);
	stack_register("freed test stack", (unsigned long)s, (unsigned long)s + 2 * PAGE_SIZE, 0);
	vfree(s);
	oops_with_frame_pointer((unsigned long)s + PAGE_SIZE);
}

static struct ktest_case oops_cases[] = {
	KTEST_PANIC_CASE(null_dereference, "BUG: kernel NULL pointer dereference"),
	KTEST_PANIC_CASE(write_kernel_text, "BUG: write to read-only memory"),
	KTEST_PANIC_CASE(exec_direct_map, "BUG: kernel tried to execute NX-protected page"),
	KTEST_PANIC_CASE(stack_overflow, "BUG: kernel stack overflow"),
	KTEST_PANIC_CASE(garbled_boot_info, "multiboot2 information garbled: tag size overruns"),
	KTEST_PANIC_CASE(broken_frame_chain, "BUG: kernel NULL pointer dereference"),
	{}
};
KTEST_SUITE(oops, oops_cases);
