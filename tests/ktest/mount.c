/*
 * The mount table's pure part (kernel/fs/mount_path.c): which names are
 * mount points, and the longest-prefix rule on whole components; then the
 * monitor's `mounts` listing the table, "/" (the initramfs) first.
 */
#include <pagoda/errno.h>
#include <pagoda/ipc.h>
#include <pagoda/ktest.h>
#include <pagoda/mount.h>
#include <pagoda/string.h>
#include <pagoda/syscalls.h>
#include "ktest_observe.h"

static int endpoint_create_for_ktest(void)
{
	struct pt_regs regs = { 0 };
	return (int)sys_endpoint_create(&regs);
}

static void path_check(struct ktest *t)
{
	static const char *const good[] = { "/", "/mnt", "/mnt/sda", "/a/b/c", "/.x", "/..x", "/x.", "/a/...", };
	static const char *const bad[] = {
		"", "mnt", "//", "/mnt/", "/mnt//sda", "/.", "/..", "/mnt/.", "/mnt/..", "/./mnt", "/../mnt",
		"/mnt/./sda", "/mnt/../sda", "/mnt/sda/",
	};
	for (unsigned i = 0; i < ARRAY_SIZE(good); i++)
		if (mount_path_check(good[i]))
			ktest_fail_msg(t, __FILE__, __LINE__, "\"%s\" refused", good[i]);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		if (mount_path_check(bad[i]) != -EINVAL)
			ktest_fail_msg(t, __FILE__, __LINE__, "\"%s\" accepted", bad[i]);
}

static void rest_on_component_boundaries(struct ktest *t)
{
	static const struct { const char *mnt, *path, *rest; } cases[] = {
		{ "/", "/", "" },
		{ "/", "/bin/sh", "bin/sh" },
		{ "/mnt/sda", "/mnt/sda", "" },
		{ "/mnt/sda", "/mnt/sda/x", "x" },
		{ "/mnt/sda", "/mnt/sda/x/y", "x/y" },
		{ "/mnt/sda", "/mnt/sdab", NULL },
		{ "/mnt/sda", "/mnt/sd", NULL },
		{ "/mnt/sda", "/mnt", NULL },
		{ "/mnt/sda", "/", NULL },
		{ "/mnt/sda", "/bin", NULL },
		{ "/mnt", "/mnt/sda/x", "sda/x" },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *r = mount_path_rest(cases[i].mnt, cases[i].path);
		bool ok = cases[i].rest ? r && !strcmp(r, cases[i].rest) : !r;
		if (!ok)
			ktest_fail_msg(t, __FILE__, __LINE__, "%s under %s: \"%s\", want \"%s\"", cases[i].path,
				       cases[i].mnt, r ? r : "(none)", cases[i].rest ? cases[i].rest : "(none)");
	}
}

static void monitor_lists_mounts(struct ktest *t)
{
	static char out[4096];
	KTEST_ASSERT_EQ(t, ktest_monitor(out, sizeof(out), "mounts"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "path"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "mounts; the next id is"));
	/* The boot mounted the initramfs at "/", served by the kernel. */
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "   1  /                    initramfs        initramfs        ro"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "the initramfs at /"));
}

/* The kernel's own API (what rootfs_mount uses), and `handles` naming
 * the mount of an endpoint the boot context (pid 1) holds. */
static void kernel_api_and_handles(struct ktest *t)
{
	static char out[2048];
	unsigned int kobjs = nr_kobjs();
	int ep = endpoint_create_for_ktest();
	KTEST_ASSERT_TRUE(t, ep > 0);
	long err;
	struct kobj *obj = handle_get(ep, HANDLE_TYPE_ENDPOINT, RIGHT_SEND, &err);
	KTEST_ASSERT_NOT_NULL(t, obj);
	int id = mount_add("/kt_mnt/a", obj, "kt", "test", 0);
	KTEST_EXPECT_GT(t, id, 1);
	kobj_get(obj);
	KTEST_EXPECT_EQ(t, mount_add("/kt_mnt/a", obj, "kt", "test", 0), -EBUSY);
	kobj_get(obj);
	KTEST_EXPECT_EQ(t, mount_add("/kt_mnt/a", obj, "a_source_of_16ch", "test", 0), -ENAMETOOLONG);

	const char *rest = NULL;
	struct kobj *found = mount_lookup("/kt_mnt/a/b/c", &rest, &err);
	KTEST_EXPECT_PTR_EQ(t, found, obj);
	KTEST_EXPECT_STREQ(t, rest, "b/c");
	if (found)
		kobj_put(found);
	found = mount_lookup("/kt_mnt/ab", &rest, &err);   /* the root's */
	KTEST_EXPECT_TRUE(t, found && found != obj);
	KTEST_EXPECT_STREQ(t, rest, "kt_mnt/ab");
	if (found)
		kobj_put(found);

	ktest_monitor(out, sizeof(out), "handles 1");
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "mounted at /kt_mnt/a"));
	KTEST_EXPECT_EQ(t, mount_remove("/kt_mnt/a"), 0);
	KTEST_EXPECT_EQ(t, mount_remove("/kt_mnt/a"), -ENOENT);
	ktest_monitor(out, sizeof(out), "handles 1");
	KTEST_EXPECT_NULL(t, strstr(out, "mounted at"));
	KTEST_EXPECT_EQ(t, handle_close(ep), 0);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs);          /* the table's reference went */
}

static struct ktest_case mount_cases[] = {
	KTEST_CASE(path_check),
	KTEST_CASE(rest_on_component_boundaries),
	KTEST_CASE(monitor_lists_mounts),
	KTEST_CASE(kernel_api_and_handles),
	{}
};
KTEST_SUITE(mount, mount_cases);
