/*
 * Handles from the kernel side and the monitor's `handles <pid>`: the boot
 * context (pid 1) makes objects through the system calls' own handlers and
 * reads its table back through the monitor. The IPC semantics themselves
 * are tested from user space (usertests' uipc suite).
 */
#include <pagoda/errno.h>
#include <pagoda/ipc.h>
#include <pagoda/ktest.h>
#include <pagoda/memobj.h>
#include <pagoda/mm.h>
#include <pagoda/mm_user.h>
#include <uapi/pagoda/mman.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/syscalls.h>
#include <asm/syscall.h>
#include "ktest_observe.h"

static char out[2048];

static void monitor_handles(struct ktest *t)
{
	struct pt_regs regs = { 0 };
	unsigned int kobjs = nr_kobjs();
	int ep = (int)sys_endpoint_create(&regs);
	int n = (int)sys_notify_create(&regs);
	KTEST_ASSERT_TRUE(t, ep > 0 && n > 0);
	int send_only = handle_dup(ep, RIGHT_SEND);
	KTEST_ASSERT_TRUE(t, send_only > 0);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs + 2);

	ktest_monitor(out, sizeof(out), "handles 1");
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "endpoint     srdt"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "endpoint     s---"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "notification srdt"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "0 senders, 0 receivers waiting"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "3 of 64 slots used"));

	KTEST_EXPECT_EQ(t, handle_close(ep), 0);
	KTEST_EXPECT_EQ(t, handle_close(ep), -EBADF);
	KTEST_EXPECT_EQ(t, handle_close(send_only), 0);
	KTEST_EXPECT_EQ(t, handle_close(n), 0);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs);
	/* The slot is reused with a new generation: the old value stays dead. */
	int again = (int)sys_endpoint_create(&regs);
	KTEST_EXPECT_NE(t, again, ep);
	KTEST_EXPECT_EQ(t, handle_close(ep), -EBADF);
	KTEST_EXPECT_EQ(t, handle_close(again), 0);

	console_capture_start(out, sizeof(out));
	monitor_exec("handles 1");
	monitor_exec("handles 99999");
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "0 of 64 slots used"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "no task with pid 99999"));
}

/* A pipe's ends are named in `handles`, with what they hold and whether
 * the other end is still there; the pipe goes with its second end. */
static void monitor_pipe(struct ktest *t)
{
	unsigned int kobjs = nr_kobjs();
	int h[2];
	KTEST_ASSERT_TRUE(t, do_pipe(h) == 0);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs + 2);
	ktest_monitor(out, sizeof(out), "handles 1");
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "pipe read end, 0 bytes buffered (kernel); 0 calls"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "pipe write end, 0 bytes buffered (kernel)"));
	KTEST_EXPECT_EQ(t, handle_close(h[1]), 0);
	ktest_monitor(out, sizeof(out), "handles 1");
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "pipe read end, 0 bytes buffered, no writer"));
	KTEST_EXPECT_NULL(t, strstr(out, "pipe write end"));
	KTEST_EXPECT_EQ(t, handle_close(h[0]), 0);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs);
}

/* A pager's memory object says who pages it and how much is present; the
 * line says when its pager is gone. (The paging itself: usertests'
 * upager.) */
static void monitor_pager(struct ktest *t)
{
	struct pt_regs regs = { 0 };
	unsigned int kobjs = nr_kobjs();
	int ep = (int)sys_endpoint_create(&regs);
	KTEST_ASSERT_TRUE(t, ep > 0);
	syscall_set_arg(&regs, 0, 4 * PAGE_SIZE);
	syscall_set_arg(&regs, 1, (unsigned long)ep);
	syscall_set_arg(&regs, 2, 5);
	int mo = (int)sys_memobj_pager_create(&regs);
	KTEST_ASSERT_TRUE(t, mo > 0);
	ktest_monitor(out, sizeof(out), "handles 1");
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "16 kB in 4 pages, paged by endpoint"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "(badge 5), 0 of 4 pages present"));
	/* Mapped: `vmas` names it; with the pager's endpoint dead, a fault
	 * there is SIGBUS at once (nobody will ever supply the page). */
	long err;
	struct memobj *obj = memobj_get(mo, RIGHT_READ, &err);
	KTEST_ASSERT_NOT_NULL(t, obj);
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	unsigned long a = vm_map_memobj(mm, 0, 4 * PAGE_SIZE, PROT_READ, obj, 0, false, false);
	memobj_put(obj);
	KTEST_ASSERT_FALSE(t, IS_ERR_VALUE(a));
	console_capture_start(out, sizeof(out));
	show_vmas(mm);
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "[memobj paged]"));
	KTEST_EXPECT_EQ(t, handle_close(ep), 0);        /* the object keeps the endpoint, dead */
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs + 2);
	KTEST_EXPECT_EQ(t, handle_user_fault(mm, a + PAGE_SIZE, 0), VM_FAULT_SIGBUS);
	KTEST_EXPECT_EQ(t, mm->rss, 0);
	ktest_monitor(out, sizeof(out), "handles 1");
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "(badge 5) gone, 0 of 4 pages present"));
	KTEST_EXPECT_EQ(t, handle_close(mo), 0);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs + 2);      /* the mapping holds it */
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs);
}

static struct ktest_case ipc_cases[] = {
	KTEST_CASE(monitor_handles),
	KTEST_CASE(monitor_pipe),
	KTEST_CASE(monitor_pager),
	{},
};
KTEST_SUITE(ipc, ipc_cases);
