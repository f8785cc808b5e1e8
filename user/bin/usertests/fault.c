/* usertests, suite ufault: faults: each kills a child with the signal Linux would send. */
#include "utest.h"

static char data_code[16] = { (char)0xc3 };     /* ret, in a rw- page */

static void do_null_read(void) { (void)*(volatile int *)0; }
static void do_text_write(void) { *(volatile char *)(uintptr_t)do_null_read = 0; }
static void do_exec_data(void) { ((void (*)(void))(uintptr_t)data_code)(); }
static void do_exec_stack(void)
{
	volatile char code[16] = { (char)0xc3 };
	((void (*)(void))(uintptr_t)code)();
}
static void do_kernel_read(void) { (void)*(volatile long *)KERNEL_ADDR; }
static void do_kernel_write(void) { *(volatile long *)KERNEL_ADDR = 1; }
static void do_rodata_write(void) { *(volatile char *)(uintptr_t)"constant" = 'C'; }
static void do_hlt(void) { __asm__ volatile("hlt"); }
static void do_ud2(void) { __asm__ volatile("ud2"); }
static void do_div0(void)
{
	unsigned int zero = 0, a = 1, d = 0;
	__asm__ volatile("divl %2" : "+a"(a), "+d"(d) : "r"(zero));
}

/* Each frame touches its page, so the stack grows page by page down to
 * its limit and then meets the guard gap below it. */
static volatile int recurse_limit = -1;     /* never reached: the guard stops it */
static int recurse(int depth)
{
	volatile char frame[1024];
	frame[0] = (char)depth;
	if (depth == recurse_limit)
		return 0;
	return recurse(depth + 1) + frame[0];
}
static void do_stack_overflow(void) { recurse(0); }

static void null_read(struct utest *t) { expect_killed(t, do_null_read, SIGSEGV); }
static void write_to_text(struct utest *t) { expect_killed(t, do_text_write, SIGSEGV); }
static void write_to_rodata(struct utest *t) { expect_killed(t, do_rodata_write, SIGSEGV); }
static void kernel_read(struct utest *t) { expect_killed(t, do_kernel_read, SIGSEGV); }
static void kernel_write(struct utest *t) { expect_killed(t, do_kernel_write, SIGSEGV); }
static void stack_overflow(struct utest *t) { expect_killed(t, do_stack_overflow, SIGSEGV); }
static void privileged_gp(struct utest *t) { expect_killed(t, do_hlt, SIGSEGV); }
static void ud2_sigill(struct utest *t) { expect_killed(t, do_ud2, SIGILL); }
static void divide_sigfpe(struct utest *t) { expect_killed(t, do_div0, SIGFPE); }

static void exec_from_data(struct utest *t)
{
	if ((t->skip = no_nx_reason()))
		return;
	expect_killed(t, do_exec_data, SIGSEGV);
}

static void exec_from_stack(struct utest *t)
{
	if ((t->skip = no_nx_reason()))
		return;
	expect_killed(t, do_exec_stack, SIGSEGV);
}

/* The parent lives on after a child's fault, and its memory is intact. */
static void parent_survives(struct utest *t)
{
	static int canary = 0x5a5a;
	expect_killed(t, do_null_read, SIGSEGV);
	EXPECT_EQ(t, canary, 0x5a5a);
}

const struct ucase fault_cases[] = {
	{ "null_read", null_read },
	{ "write_to_text", write_to_text },
	{ "write_to_rodata", write_to_rodata },
	{ "exec_from_data", exec_from_data },
	{ "exec_from_stack", exec_from_stack },
	{ "kernel_read", kernel_read },
	{ "kernel_write", kernel_write },
	{ "stack_overflow", stack_overflow },
	{ "privileged_gp", privileged_gp },
	{ "ud2_sigill", ud2_sigill },
	{ "divide_sigfpe", divide_sigfpe },
	{ "parent_survives", parent_survives },
	{ NULL, NULL },
};
