/*
 * usertests, suite umount: the kernel's mount table (mount, umount,
 * mount_open, mount_list: <pagoda/unistd.h> 160-163), through the
 * library's wrappers (user/lib/sys_fs.c: each the bare system call, -1
 * and errno), so what is tested is the kernel's contract. Which mount a
 * lookup found is told by the badge of the endpoint alias mounted there:
 * a forked child serves the endpoint and answers each call with the
 * badge it came through.
 */
#include "utest.h"
#include <pagoda/fs.h>
#include <sys/mount.h>

#define ERR(call) (errno = 0, (call) == -1 ? errno : 0)

/* The index of the mount at path in mount_list's order, or -1. */
static int mount_index(const char *path, struct mount_info *out)
{
	struct mount_info mi;
	for (unsigned int i = 0; mount_list(i, &mi) == 0; i++)
		if (!strcmp(mi.path, path)) {
			if (out)
				*out = mi;
			return (int)i;
		}
	return -1;
}

static unsigned int nr_mounts(void)
{
	struct mount_info mi;
	unsigned int n = 0;
	while (mount_list(n, &mi) == 0)
		n++;
	return n;
}

#define BADGE_STOP 0xdead       /* the label that ends the server */

/* A forked child serving ep: each call is answered with w0 = its badge,
 * w1 = its label; a call labelled BADGE_STOP ends it. Kernel messages
 * (no reply wanted) are skipped. */
static int start_badge_server(int ep)
{
	int pid = fork();
	if (pid)
		return pid;
	struct ipc_msg m;
	for (;;) {
		if (ipc_recv(ep, &m) < 0)
			_exit(1);
		if (!(m.tag & IPC_TAG_CALL))
			continue;
		int stop = (m.tag & IPC_LABEL_MASK) == BADGE_STOP;
		struct ipc_msg r = { .tag = 0, .w = { m.badge, m.tag & IPC_LABEL_MASK } };
		int rh = ipc_reply_save();
		if (rh < 0 || ipc_reply(rh, &r) < 0)
			_exit(2);
		if (stop)
			_exit(0);
	}
}

/* Call h: the badge that reached the server, or -errno. */
static long call_badge(int h)
{
	struct ipc_msg m = { .tag = 7 };
	if (ipc_call(h, &m) < 0)
		return -errno;
	return m.w[1] == 7 ? (long)m.w[0] : -1000;
}

static void stop_badge_server(struct utest *t, int ep, int pid)
{
	struct ipc_msg m = { .tag = BADGE_STOP };
	EXPECT_EQ(t, ipc_call(ep, &m), 0);
	int st = -1;
	EXPECT_EQ(t, waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* A path the table refuses, in each way the contract names. */
static void path_validation(struct utest *t)
{
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	static const char *const bad[] = {
		"", "mnt", "mnt/x", "/mnt/", "/mnt//x", "//", "/.", "/..", "/mnt/.", "/mnt/..",
		"/mnt/./x", "/mnt/../x", "/mnt/x/",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int e = ERR(mount(bad[i], ep, "t", "test", 0));
		if (e != EINVAL)
			printf("    # mount \"%s\": errno %d\n", bad[i], e);
		EXPECT_EQ(t, e, EINVAL);
		EXPECT_EQ(t, ERR(umount(bad[i])), EINVAL);
		char rest[8];
		EXPECT_EQ(t, ERR(mount_open(bad[i], rest, sizeof(rest))), EINVAL);
	}
	/* Names that are fine in form but do not fit. */
	char longp[MOUNT_PATH_MAX + 1];
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[MOUNT_PATH_MAX] = '\0';           /* MOUNT_PATH_MAX bytes: one too many */
	EXPECT_EQ(t, ERR(mount(longp, ep, "t", "test", 0)), ENAMETOOLONG);
	EXPECT_EQ(t, ERR(umount(longp)), ENOENT);
	longp[MOUNT_PATH_MAX - 1] = '\0';       /* the longest that fits */
	EXPECT_EQ(t, mount(longp, ep, "t", "test", 0), 0);
	EXPECT_EQ(t, umount(longp), 0);
	EXPECT_EQ(t, ERR(mount("/t_um", ep, "a_source_of_16ch", "test", 0)), ENAMETOOLONG);
	EXPECT_EQ(t, ERR(mount("/t_um", ep, "t", "a_fstype_of_16ch", 0)), ENAMETOOLONG);
	EXPECT_EQ(t, ERR(mount("/t_um", ep, "t", "test", 2)), EINVAL);
	/* Bad pointers and handles. */
	EXPECT_EQ(t, ERR(mount(KERNEL_ADDR, ep, "t", "test", 0)), EFAULT);
	EXPECT_EQ(t, ERR(mount("/t_um", ep, KERNEL_ADDR, "test", 0)), EFAULT);
	EXPECT_EQ(t, ERR(mount("/t_um", ep, "t", hole(), 0)), EFAULT);
	EXPECT_EQ(t, ERR(umount(hole())), EFAULT);
	EXPECT_EQ(t, ERR(mount("/t_um", 12345, "t", "test", 0)), EBADF);
	int n = notify_create();
	EXPECT_EQ(t, ERR(mount("/t_um", n, "t", "test", 0)), EBADF);
	handle_close(n);
	int recv_only = handle_dup(ep, RIGHT_RECEIVE);
	ASSERT_TRUE(t, recv_only > 0);
	EXPECT_EQ(t, ERR(mount("/t_um", recv_only, "t", "test", 0)), EPERM);
	handle_close(recv_only);
	struct mount_info mi;
	ASSERT_TRUE(t, mount("/t_um", ep, "t", "test", 0) == 0);
	EXPECT_EQ(t, ERR(mount_list(0, KERNEL_ADDR)), EFAULT);
	EXPECT_EQ(t, ERR(mount_list(1000, &mi)), ENOENT);
	EXPECT_EQ(t, umount("/t_um"), 0);
	EXPECT_EQ(t, mount_index("/t_um", NULL), -1);    /* nothing refused got in */
	handle_close(ep);
}

/* The longest mount point covering a path wins, on whole components;
 * rest is what follows it; the handle is to the mounted endpoint. */
static void longest_prefix(struct utest *t)
{
	struct leak_mark mark;
	leak_mark(&mark);
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int a = handle_mint(ep, RIGHT_SEND | RIGHT_DUPLICATE, 1);
	int ab = handle_mint(ep, RIGHT_SEND | RIGHT_DUPLICATE, 2);
	ASSERT_TRUE(t, a > 0 && ab > 0);
	ASSERT_TRUE(t, mount("/t_um/a", a, "srcA", "test", 0) == 0);
	ASSERT_TRUE(t, mount("/t_um/a/b", ab, "srcAB", "test", MOUNT_RDONLY) == 0);
	int pid = start_badge_server(ep);
	ASSERT_TRUE(t, pid > 0);
	static const struct { const char *path, *rest; long badge; } cases[] = {
		{ "/t_um/a", "", 1 },
		{ "/t_um/a/x", "x", 1 },
		{ "/t_um/a/bc", "bc", 1 },              /* not under /t_um/a/b */
		{ "/t_um/a/bc/d", "bc/d", 1 },
		{ "/t_um/a/b", "", 2 },
		{ "/t_um/a/b/c", "c", 2 },
		{ "/t_um/a/b/c/d.e/f", "c/d.e/f", 2 },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char rest[32] = "junk";
		int h = mount_open(cases[i].path, rest, sizeof(rest));
		EXPECT_TRUE(t, h > 0);
		if (h <= 0)
			continue;
		if (strcmp(rest, cases[i].rest))
			printf("    # %s: rest \"%s\", want \"%s\"\n", cases[i].path, rest, cases[i].rest);
		EXPECT_EQ(t, strcmp(rest, cases[i].rest), 0);
		EXPECT_EQ(t, call_badge(h), cases[i].badge);
		struct handle_info hi;
		EXPECT_EQ(t, handle_info(h, &hi), 0);
		EXPECT_EQ(t, hi.type, HANDLE_TYPE_ENDPOINT);
		EXPECT_EQ(t, hi.rights, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER);
		handle_close(h);
	}
	/* rest must fit: "c" needs 2 bytes. */
	char small[2];
	EXPECT_EQ(t, ERR(mount_open("/t_um/a/b/cd", small, sizeof(small))), ENAMETOOLONG);
	int h = mount_open("/t_um/a/b/c", small, sizeof(small));
	EXPECT_TRUE(t, h > 0);
	handle_close(h);
	EXPECT_EQ(t, ERR(mount_open("/t_um/a/b/c", KERNEL_ADDR, 16)), EFAULT);
	EXPECT_EQ(t, ERR(mount_open(KERNEL_ADDR, small, sizeof(small))), EFAULT);
	/* What mount_list says of them. */
	struct mount_info mi;
	int ia = mount_index("/t_um/a", &mi), iab;
	EXPECT_TRUE(t, ia >= 0);
	EXPECT_EQ(t, strcmp(mi.source, "srcA"), 0);
	EXPECT_EQ(t, strcmp(mi.fstype, "test"), 0);
	EXPECT_EQ(t, mi.flags, 0);
	iab = mount_index("/t_um/a/b", &mi);
	EXPECT_EQ(t, iab, ia + 1);                      /* in the order they were made */
	EXPECT_EQ(t, mi.flags, MOUNT_RDONLY);
	EXPECT_EQ(t, strcmp(mi.source, "srcAB"), 0);
	stop_badge_server(t, ep, pid);
	/* Our handles closed, the mounts still hold the aliases. */
	handle_close(a);
	handle_close(ab);
	EXPECT_EQ(t, umount("/t_um/a"), 0);
	EXPECT_EQ(t, umount("/t_um/a/b"), 0);
	handle_close(ep);
	expect_no_leak(t, &mark);
}

/* EBUSY for a second mount at a path; ENOSPC at MOUNT_MAX; ids never
 * reused; after umount the path is gone. */
static void busy_full_ids(struct utest *t)
{
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	ASSERT_TRUE(t, mount("/t_um/x", ep, "x", "test", 0) == 0);
	EXPECT_EQ(t, ERR(mount("/t_um/x", ep, "x", "test", 0)), EBUSY);
	struct mount_info mi;
	ASSERT_TRUE(t, mount_index("/t_um/x", &mi) >= 0);
	unsigned int first_id = mi.id;
	EXPECT_TRUE(t, first_id > 0);
	EXPECT_EQ(t, umount("/t_um/x"), 0);
	EXPECT_EQ(t, ERR(umount("/t_um/x")), ENOENT);
	EXPECT_EQ(t, mount_index("/t_um/x", NULL), -1);

	/* Fill the table: every new mount has a new, higher id. */
	unsigned int have = nr_mounts(), last = first_id;
	char path[32];
	for (unsigned int i = have; i < MOUNT_MAX; i++) {
		snprintf(path, sizeof(path), "/t_um/x%u", i);
		EXPECT_EQ(t, mount(path, ep, "x", "test", 0), 0);
		EXPECT_TRUE(t, mount_index(path, &mi) >= 0);
		EXPECT_TRUE(t, mi.id > last);
		last = mi.id;
	}
	EXPECT_EQ(t, nr_mounts(), MOUNT_MAX);
	EXPECT_EQ(t, ERR(mount("/t_um/one_more", ep, "x", "test", 0)), ENOSPC);
	EXPECT_EQ(t, ERR(mount("/t_um/x", ep, "x", "test", 0)), ENOSPC);
	for (unsigned int i = have; i < MOUNT_MAX; i++) {
		snprintf(path, sizeof(path), "/t_um/x%u", i);
		EXPECT_EQ(t, umount(path), 0);
	}
	EXPECT_EQ(t, nr_mounts(), have);
	/* The same path again: a new id. */
	ASSERT_TRUE(t, mount("/t_um/x", ep, "x", "test", 0) == 0);
	EXPECT_TRUE(t, mount_index("/t_um/x", &mi) >= 0);
	EXPECT_TRUE(t, mi.id > last);
	EXPECT_EQ(t, umount("/t_um/x"), 0);
	handle_close(ep);
}

/* Once unmounted, a path under it is no longer served by it: ENOENT, or
 * the next mount covering it (the root's, once "/" is mounted). */
static void umount_then_enoent(struct utest *t)
{
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	ASSERT_TRUE(t, mount("/t_um/gone", ep, "x", "test", 0) == 0);
	char rest[64];
	int h = mount_open("/t_um/gone/f", rest, sizeof(rest));
	EXPECT_TRUE(t, h > 0);
	EXPECT_EQ(t, strcmp(rest, "f"), 0);
	handle_close(h);
	EXPECT_EQ(t, umount("/t_um/gone"), 0);
	bool root = mount_index("/", NULL) >= 0;
	h = mount_open("/t_um/gone/f", rest, sizeof(rest));
	if (root) {
		EXPECT_TRUE(t, h > 0);
		EXPECT_EQ(t, strcmp(rest, "t_um/gone/f"), 0);
		handle_close(h);
	} else {
		EXPECT_EQ(t, h, -1);
		EXPECT_EQ(t, errno, ENOENT);
	}
	handle_close(ep);
}

/* A mount's handle is a real endpoint: a forked child serves it, and a
 * call through mount_open reaches it; the child's endpoint outlives our
 * handle to it (the table holds one). */
static void child_serves_mount(struct utest *t)
{
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int send = handle_dup(ep, RIGHT_SEND);
	ASSERT_TRUE(t, send > 0 && mount("/t_um/srv", send, "child", "test", 0) == 0);
	handle_close(send);
	int pid = start_badge_server(ep);
	ASSERT_TRUE(t, pid > 0);
	handle_close(ep);                       /* the child holds the receive side now */
	char rest[16];
	int h = mount_open("/t_um/srv/file", rest, sizeof(rest));
	ASSERT_TRUE(t, h > 0);
	EXPECT_EQ(t, call_badge(h), 0);         /* reached, unminted */
	struct ipc_msg m = { .tag = BADGE_STOP };
	EXPECT_EQ(t, ipc_call(h, &m), 0);
	int st = -1;
	EXPECT_EQ(t, waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Its server gone, the mount stays until umount; calls fail. */
	EXPECT_EQ(t, call_badge(h), -EPIPE);
	handle_close(h);
	EXPECT_EQ(t, umount("/t_um/srv"), 0);
}

/* The table's copy counts as a sender: a server hears no
 * IPC_LABEL_NO_SENDERS for a minted alias while it is mounted, however
 * many of its handles close, and hears it once the umount drops it. */
static void mount_counts_as_sender(struct utest *t)
{
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int alias = handle_mint(ep, RIGHT_SEND, 5);
	ASSERT_TRUE(t, alias > 0);
	ASSERT_TRUE(t, mount("/t_um/ns", alias, "x", "test", 0) == 0);
	char rest[8];
	int h = mount_open("/t_um/ns", rest, sizeof(rest));
	EXPECT_TRUE(t, h > 0);
	handle_close(h);
	handle_close(alias);
	struct ipc_msg m;
	struct ipc_ext x = { .timeout_ms = IPC_POLL };
	errno = 0;
	EXPECT_EQ(t, ipc_recv_ext(ep, &m, &x), -1);
	EXPECT_EQ(t, errno, ETIMEDOUT);
	EXPECT_EQ(t, umount("/t_um/ns"), 0);
	x = (struct ipc_ext){ .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, ipc_recv_ext(ep, &m, &x), 0);
	EXPECT_EQ(t, m.tag & IPC_LABEL_MASK, IPC_LABEL_NO_SENDERS);
	EXPECT_EQ(t, m.badge, 5);
	handle_close(ep);
}

/* A lent endpoint cannot be mounted: the table would keep it after the
 * call that lent it. A forked server tries, and answers with the errno. */
static void lent_handle_refused(struct utest *t)
{
	int ep = endpoint_create(), lent = endpoint_create();
	ASSERT_TRUE(t, ep > 0 && lent > 0);
	int pid = fork();
	if (!pid) {
		struct ipc_msg m;
		struct ipc_ext x = { .timeout_ms = IPC_FOREVER };
		if (ipc_recv_ext(ep, &m, &x) < 0 || x.recv_nhandles != 1)
			_exit(1);
		errno = 0;
		long r = mount("/t_um/lent", x.recv_handles[0], "x", "test", 0) == -1 ? errno : 0;
		struct ipc_msg rep = { .w = { (unsigned long)r } };
		int rh = ipc_reply_save();
		_exit(rh > 0 && ipc_reply(rh, &rep) == 0 ? 0 : 2);
	}
	struct ipc_ext x = { .send_handles = { lent }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	struct ipc_msg m = { .tag = 1 | IPC_TAG_LEND };
	EXPECT_EQ(t, ipc_call_ext(ep, &m, &x), 0);
	EXPECT_EQ(t, m.w[0], EPERM);
	int st = -1;
	EXPECT_EQ(t, waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(st) && WEXITSTATUS(st) == 0);
	EXPECT_EQ(t, mount_index("/t_um/lent", NULL), -1);
	/* Our own handle to it mounts. */
	EXPECT_EQ(t, mount("/t_um/lent", lent, "x", "test", 0), 0);
	EXPECT_EQ(t, umount("/t_um/lent"), 0);
	handle_close(lent);
	handle_close(ep);
}

const struct ucase mount_cases[] = {
	{ "path_validation", path_validation },
	{ "longest_prefix", longest_prefix },
	{ "busy_full_ids", busy_full_ids },
	{ "umount_then_enoent", umount_then_enoent },
	{ "child_serves_mount", child_serves_mount },
	{ "mount_counts_as_sender", mount_counts_as_sender },
	{ "lent_handle_refused", lent_handle_refused },
	{ NULL, NULL },
};
