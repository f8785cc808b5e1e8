/*
 * The boot mounts (docs/filesystem.md "Boot mounts"): one /bin/ext2d per
 * disk, at /mnt/sda, /mnt/sdb... in the order the block service numbers
 * the disks (the kernel's RAM disk, ram0, comes first unless ramdisk=0,
 * and is never mounted: it starts empty). Each is a supervised service:
 * init owns its endpoint, a crash restarts it, an exit with status 0
 * (no ext2 on the disk, an image refused, an FS_UNMOUNT) ends it.
 *
 * init starts them one by one and waits for each to answer an FS_STATFS
 * (mounted) or to exit, so the shell (or --run's program) starts with
 * every boot mount done.
 */
#include <errno.h>
#include <pagoda/fs.h>
#include <pagoda_blk.h>
#include <pagoda_handles.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "init.h"

#define MOUNT_WAIT_TRIES 600    /* of MOUNT_POLL_MS each: two minutes under TCG */
#define MOUNT_POLL_MS 200

static struct boot_mount {
	struct service *s;
	int blk;                /* blk=kernel: init's handle to the disk, for the shell */
	char disk[12], path[16], name[8], blk_name[12];
	char *argv[10];
} mounts[MOUNTS_MAX];
static int nmounts;
/* init --cache-kb K: every boot mount's block cache (ext2d --cache-kb),
 * e.g. one large enough for make bench's 64 MiB file; NULL: ext2d's default. */
const char *boot_mount_cache_kb, *boot_mount_chunk_kb;

static void add(unsigned int disk, struct service *blk_of, int blk)
{
	struct boot_mount *m = &mounts[nmounts];
	m->blk = blk;
	snprintf(m->blk_name, sizeof(m->blk_name), "blk%u", disk);
	snprintf(m->name, sizeof(m->name), "sd%c", 'a' + nmounts);
	snprintf(m->path, sizeof(m->path), "/mnt/%s", m->name);
	snprintf(m->disk, sizeof(m->disk), "%u", disk);
	struct service *s = service_add("/bin/ext2d", m->name, !blk_of);
	if (!s)
		return;
	char **a = m->argv;
	*a++ = "ext2d", *a++ = "--disk", *a++ = m->disk, *a++ = "--mount", *a++ = m->path;
	if (boot_mount_cache_kb)
		*a++ = "--cache-kb", *a++ = (char *)boot_mount_cache_kb;
	if (boot_mount_chunk_kb)
		*a++ = "--cache-chunk-kb", *a++ = (char *)boot_mount_chunk_kb;
	*a = NULL;
	s->argv = m->argv;
	s->blk_of = blk_of;
	s->once = 1;
	s->mints = 1;
	m->s = s;
	nmounts++;
}

void boot_mounts_add(int devroot, int user_blk)
{
	if (user_blk) {         /* ahcid serves one disk: sda */
		struct service *ahcid = service_by_name("ahcid");
		if (ahcid)
			add(0, ahcid, -1);
		return;
	}
	if (devroot <= 0)
		return;
	const char *rd = getenv("ramdisk");
	unsigned int first = rd && !strcmp(rd, "0") ? 0 : 1;
	for (unsigned int i = first; nmounts < MOUNTS_MAX; i++) {
		int h = blkdev_open(devroot, i);
		if (h < 0)
			break;
		init_handle_add(h);
		add(i, NULL, h);
	}
}

/* Mounted: the server answers. 1 mounted, 0 gone for good, -1 not yet. */
static int poll_mount(struct boot_mount *m, int devroot)
{
	struct service *s = m->s;
	if (s->ep < 0)
		return 0;
	static struct fs_statfs st;
	struct ipc_ext x = { .recv_buf = &st, .recv_cap = sizeof(st), .timeout_ms = MOUNT_POLL_MS };
	struct ipc_msg msg = { .tag = FS_STATFS };
	if (!ipc_call_ext(s->client_h, &msg, &x) && !(msg.tag & IPC_LABEL_MASK)) {
		printf("init: %s mounted (ext2, %s)\n", m->path, st.f_flags & FS_RDONLY ? "read-only" : "read-write");
		return 1;
	}
	int status;
	if (s->pid > 0 && waitpid(s->pid, &status, WNOHANG) == s->pid)
		service_died(s, status, devroot);       /* restarted after a crash, or done */
	return s->ep < 0 ? 0 : -1;
}

void boot_mounts_wait(int devroot)
{
	for (int i = 0; i < nmounts; i++) {
		if (!mounts[i].s)
			continue;
		/* Started only now, after the one before has mounted: their
		 * lines on the console do not interleave. */
		if (service_create(mounts[i].s, devroot))
			continue;
		int r = -1;
		for (int tries = 0; r < 0 && tries < MOUNT_WAIT_TRIES; tries++)
			r = poll_mount(&mounts[i], devroot);
		if (r < 0)
			printf("init: %s: ext2d did not answer; going on without it\n", mounts[i].path);
	}
}

int boot_mounts_disks(struct handle_name *names, int *keep)
{
	int n = 0;
	for (int i = 0; i < nmounts; i++)
		if (mounts[i].blk > 0 && strcmp(mounts[i].blk_name, "blk0")) {
			keep[n] = mounts[i].blk;
			names[n++] = (struct handle_name){ mounts[i].blk_name, mounts[i].blk };
		}
	return n;
}
