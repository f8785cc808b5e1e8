/*
 * The mount table's pure part (kernel/fs/mount_path.c): which names are
 * mount points, and the longest-prefix rule on whole components; then the
 * monitor's `mounts` listing the table.
 */
#include <pagoda/errno.h>
#include <pagoda/ktest.h>
#include <pagoda/mount.h>
#include <pagoda/string.h>
#include "ktest_observe.h"

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
}

static struct ktest_case mount_cases[] = {
	KTEST_CASE(path_check),
	KTEST_CASE(rest_on_component_boundaries),
	KTEST_CASE(monitor_lists_mounts),
	{}
};
KTEST_SUITE(mount, mount_cases);
