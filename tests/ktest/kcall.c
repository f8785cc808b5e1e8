/*
 * struct kcall from the kernel side (kernel/ipc/kendpoint.c, white-box):
 * a test service behind a kernel-served endpoint gets the request's bytes,
 * answers bytes in a reply buffer and a new endpoint as a handle out, and
 * kendpoint_call turns that into the reply message the caller would store.
 * The pipe (usertests upipe) uses the buffers from user space; nothing in
 * the tree returns a handle out yet (the initramfs at "/" will), so this
 * is where hout is proved.
 */
#include <pagoda/errno.h>
#include <pagoda/ipc.h>
#include <pagoda/ktest.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include "../../kernel/ipc/ipc_wait.h"

static int released;            /* endpoints of the test service gone */
static long service_result;     /* what its call returns */
static char seen[16];

static long echo_call(void *priv, struct kcall *c);

static void echo_release(void *priv)
{
	(void)priv;
	released++;
}

static const struct endpoint_kops echo_ops = {
	.name = "kcall-test",
	.call = echo_call,
	.release = echo_release,
};

/* The request's bytes reversed, their count in w0, the room it was given
 * in w1, and a new endpoint of the same service as the handle out. */
static long echo_call(void *priv, struct kcall *c)
{
	(void)priv;
	unsigned long n = c->len < sizeof(seen) ? c->len : sizeof(seen);
	memcpy(seen, c->buf, n);
	char *out = kcall_reply_buf(c, c->len);
	if (!out)
		return -ENOMEM;
	for (unsigned long i = 0; i < c->len; i++)
		out[i] = ((const char *)c->buf)[c->len - 1 - i];
	c->w[0] = c->len;
	c->w[1] = c->rcap;
	c->hout = kernel_endpoint_new(&echo_ops, NULL);
	c->hout_rights = RIGHT_SEND | RIGHT_TRANSFER;
	c->tag = 0;
	return service_result;
}

static void buffers_and_handle_out(struct ktest *t)
{
	released = 0;
	service_result = 0;
	struct kobj *obj = kernel_endpoint_new(&echo_ops, NULL);
	KTEST_ASSERT_NOT_NULL(t, obj);
	struct endpoint *ep = to_endpoint(obj);
	unsigned int kobjs = nr_kobjs();

	struct kmsg m = { .tag = 7, .len = 5 };
	m.kbuf = kmalloc(5, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, m.kbuf);
	memcpy(m.kbuf, "abcde", 5);
	struct kmsg reply;
	KTEST_EXPECT_EQ(t, kendpoint_call(ep, &m, &reply, 1 << 20, IPC_FOREVER), 0);
	KTEST_EXPECT_EQ(t, memcmp(seen, "abcde", 5), 0);
	KTEST_EXPECT_NULL(t, m.kbuf);                   /* taken, and freed after the call */
	KTEST_EXPECT_EQ(t, reply.tag, 0);
	KTEST_EXPECT_EQ(t, reply.w[0], 5);
	KTEST_EXPECT_EQ(t, reply.w[1], IPC_BUF_MAX);    /* the caller's room, capped */
	KTEST_EXPECT_EQ(t, reply.len, 5);
	KTEST_EXPECT_EQ(t, memcmp(reply.kbuf, "edcba", 5), 0);
	KTEST_EXPECT_EQ(t, reply.nh, 1);
	KTEST_EXPECT_EQ(t, reply.hrights[0], RIGHT_SEND | RIGHT_TRANSFER);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs + 1);      /* the endpoint given out */
	kmsg_free(&reply);                              /* a caller with no room: dropped */
	KTEST_EXPECT_EQ(t, released, 1);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs);

	/* A failed call: the reply (its buffer and handle) goes nowhere. */
	service_result = -EINTR;
	m = (struct kmsg){ .tag = 7 };
	KTEST_EXPECT_EQ(t, kendpoint_call(ep, &m, &reply, 0, IPC_POLL), -EINTR);
	KTEST_EXPECT_EQ(t, reply.len, 0);               /* nothing asked, nothing made */
	kmsg_free(&reply);
	KTEST_EXPECT_EQ(t, released, 2);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs);

	kobj_put(obj);
	KTEST_EXPECT_EQ(t, released, 3);
}

static struct ktest_case kcall_cases[] = {
	KTEST_CASE(buffers_and_handle_out),
	{},
};
KTEST_SUITE(kcall, kcall_cases);
