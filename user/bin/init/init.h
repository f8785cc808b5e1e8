/* init's parts: main.c (boot, the shell, the wait loop), service.c (the
 * supervisor: start, watch, restart with backoff, give up). */
#ifndef INIT_H
#define INIT_H

#include <time.h>

/* A server init starts, watches and restarts (docs/user-space.md "init"). */
struct service {
	const char *name;       /* its program's name, as logs and ps show it */
	const char *path;
	const char *client;     /* what its clients call the endpoint in HANDLES */
	int devroot;            /* gets the device root ("devroot") too */
	char *const *argv;      /* its arguments (NULL: just its name) */
	struct service *blk_of; /* gets that server's endpoint as "blk" (ahcid's) */
	int mints;              /* gets client_h too, as "mint": a server handing
				 * out badged handles (handle_mint) that clients
				 * may pass on needs RIGHT_TRANSFER on the endpoint
				 * it mints from, which its receive handle lacks */
	int once;               /* exit status 0 means done (ext2d unmounted,
				 * or nothing to mount): not restarted */
	int ep;                 /* init's handle to the endpoint it serves: it
				 * outlives every restart (-1: none, given up) */
	int client_h;           /* init's send-only copy, given to clients */
	int pid;                /* 0: not running */
	int restarts;           /* how often it was started again */
	int quick_deaths;       /* deaths in a row soon after a start */
	struct timespec started;
};

#define SERVICES_MAX 12         /* consd, ahcid, a test's, ext2d per disk */

/* How long a server must run for its death to be a one-off, not a crash
 * at start; how many such crashes in a row init restarts; the first
 * backoff (doubled per crash, at most BACKOFF_MAX_MS). */
#define STABLE_SECONDS   5
#define RESTART_LIMIT    5
#define BACKOFF_FIRST_MS 125
#define BACKOFF_MAX_MS   2000
/* The first backoff in use: BACKOFF_FIRST_MS, or init's --backoff-ms (a
 * test that must see five restarts need not wait four seconds); the cap
 * scales with it. */
extern long backoff_first_ms;

/* Every handle init holds, so that a child can close what it must not
 * keep: the device root, and each service's two. */
#define INIT_HANDLES_MAX 32
extern int init_handles[INIT_HANDLES_MAX];
extern int init_nhandles;
void init_handle_add(int h);
/* In a child: close every handle of init's but the n in keep. */
void init_handles_keep(const int *keep, int n);

/* Make the endpoint and start it; 0 or -1 (logged). */
int service_create(struct service *s, int devroot);
/* Its pid went: log why, restart it (after a backoff) or give it up
 * (closing its endpoint: its clients get EPIPE). */
void service_died(struct service *s, int status, int devroot);
void service_give_up(struct service *s);

/* mount.c: the boot mounts, one ext2d per disk at /mnt/sda, /mnt/sdb...
 * (docs/filesystem.md "Boot mounts"): add the services (before
 * service_create), then wait until each has mounted or declined. */
struct service *service_add(const char *path, const char *client, int needs_devroot);
struct service *service_by_name(const char *name);
extern const char *boot_mount_cache_kb, *boot_mount_chunk_kb;  /* --cache-kb, --cache-chunk-kb for every boot mount's ext2d */
void boot_mounts_add(int devroot, int user_blk);
void boot_mounts_wait(int devroot);
/* blk=kernel: the disks' block-service handles for the shell, "blk1",
 * "blk2"... by the block service's numbers (blk0 is main.c's), so `mount
 * DISK PATH` can start an ext2d by hand. How many it wrote (at most
 * MOUNTS_MAX). */
#define MOUNTS_MAX 8
struct handle_name;
int boot_mounts_disks(struct handle_name *names, int *keep);

#endif
