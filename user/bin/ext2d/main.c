/*
 * ext2d: an ext2 file system on a disk, served over the file protocol
 * (<pagoda/fs.h>, docs/filesystem.md "The server").
 *
 *   ext2d --disk N --mount PATH [--ro] [--cache-kb K] [--cache-chunk-kb C]
 *   ext2d --stats PATH      print the cache counters of the server mounted
 *                           at PATH (FS_PRIVATE_STATS) and exit
 *   ext2d --drop PATH       make it write back and forget its clean blocks
 *                           (FS_PRIVATE_DROP: cold reads for make bench)
 *     --disk N      the block service's disk N (blkdev_open on "devroot"),
 *                   or the disk behind a "blk" handle when init gives one
 *                   (blk=user: ahcid's endpoint)
 *     --mount PATH  where it goes in the kernel's mount table (/mnt/sda);
 *                   its last component names the source ("sda")
 *     --ro          read-only, whatever the image allows
 *     --cache-kb K  the block cache's size (default: 1/16 of free memory,
 *                   1-32 MiB)
 *     --cache-chunk-kb C  the size of each memory object the cache is made
 *                   of (default 16 MiB): small ones make the tests run
 *                   over chunk ends all the time (ufs.*.chunks)
 *
 * Run by init (boot mounts: one per disk), it serves init's endpoint
 * ("server" in HANDLES), so a crash loses no queued request and init's
 * supervisor starts it again. Exit status 0: no file system to serve (no
 * ext2 on the disk, an image the library refuses) or a clean FS_UNMOUNT;
 * init restarts it only after a crash.
 */
#include <errno.h>
#include <pagoda_handles.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>
#include "../../lib/syscall.h"
#include "ext2d.h"

#define DIRTY_SECONDS 5         /* the timer writes back blocks dirty this long */

static struct ext2_fs fs;
static const char *name = "?";  /* the source, "sda", for messages */
static uint32_t time_base;      /* the image's last write time at mount */

static int read_block(void *ctx, unsigned long long block, void *buf)
{
	const uint8_t *p;
	/* ext2_mount reads the superblock in 1 KiB units first: not the
	 * cache's blocks. */
	if (fs.block_size != cache.bsize)
		return blk_read_buf(cache.blk, buf, (unsigned long)(block * fs.block_size / 512),
				    fs.block_size / 512) ? -errno : 0;
	int r = cache_read(&cache, block, &p);
	if (!r)
		memcpy(buf, p, cache.bsize);
	return r;
}

static int write_block(void *ctx, unsigned long long block, const void *buf)
{
	return cache_write(&cache, block, buf);
}

static void log_line(void *ctx, const char *msg)
{
	printf("ext2d: %s: %s\n", name, msg);
}

static void *alloc(void *ctx, size_t size)
{
	return malloc(size);
}

static void release(void *ctx, void *p)
{
	free(p);
}

/* No wall clock in Pagoda: the image's own last write time, moving on
 * with the time since boot, keeps inode times plausible and ordered. */
static uint32_t now(void *ctx)
{
	return time_base + now_seconds();
}

static struct ext2_ops ops = { read_block, log_line, alloc, release, write_block, now };

static unsigned long default_cache_bytes(void)
{
	struct sysinfo si;
	unsigned long bytes = 4UL << 20;
	if (!sysinfo(&si))
		bytes = (unsigned long)(si.free_pages / 16 * si.page_size);
	if (bytes < (1UL << 20))
		bytes = 1UL << 20;
	if (bytes > (32UL << 20))
		bytes = 32UL << 20;
	return bytes;
}

/* The disk's endpoint: init's "blk" (a user-space driver), the kernel's
 * for disk n through the device root (init's boot mounts), or, run by
 * hand from the shell, the shell's "blk<n>" (init hands out one per disk). */
static int open_disk(unsigned int n)
{
	int h = handle_named("blk");
	if (h >= 0)
		return h;
	int root = handle_named("devroot");
	if (root < 0) {
		char blkn[16];
		snprintf(blkn, sizeof(blkn), "blk%u", n);
		h = handle_named(blkn);
		if (h < 0)
			printf("ext2d: %s: no \"blk\", \"devroot\" or \"%s\" handle\n", name, blkn);
		return h;
	}
	h = blkdev_open(root, n);
	if (h < 0)
		printf("ext2d: %s: disk %u: blkdev_open: %s\n", name, n, strerror(errno));
	handle_close(root);     /* the one disk is all a file system needs */
	return h;
}

/* The superblock's magic and block size, read before the cache exists
 * (its blocks are the file system's). 0: not ext2. */
static unsigned int probe(void)
{
	static uint8_t sb[1024] __attribute__((aligned(512)));
	if (blk_read_buf(cache.blk, sb, 2, 2)) {
		printf("ext2d: %s: cannot read the superblock: %s\n", name, strerror(errno));
		return 0;
	}
	const struct ext2_super_block *s = (const void *)sb;
	if (s->s_magic != EXT2_SUPER_MAGIC)
		return 0;
	if (s->s_log_block_size > 2)
		return 1024;    /* let the library refuse it, with its message */
	time_base = s->s_wtime > s->s_mtime ? s->s_wtime : s->s_mtime;
	return 1024u << s->s_log_block_size;
}

/* The kernel's mount table (the `kname` branch's system calls). */
static void enter_mount_table(const char *path, int rdonly)
{
	long r = syscall6(__NR_mount, (long)path, srv.ep, (long)name, (long)"ext2", rdonly ? MOUNT_RDONLY : 0, 0);
	if (r == -EBUSY)
		r = 0;          /* a restarted server: the table names init's endpoint still */
	if (r < 0) {
		printf("ext2d: %s: mount %s: %s (clients reach it through init's \"%s\" handle)\n", name, path,
		       strerror((int)-r), name);
		return;
	}
	struct mount_info mi;
	for (unsigned int i = 0; syscall6(__NR_mount_list, i, (long)&mi, 0, 0, 0, 0) == 0; i++)
		if (!strcmp(mi.path, path))
			srv.mount_id = mi.id;
}

/* FS_UNMOUNT: everything on the disk, marked clean; out of the table. */
static int unmount(void)
{
	minode_evict_unlinked(&fs);
	int e = server_sync();
	if (e)
		return e;
	e = ext2_unmount(&fs);
	int w = cache_writeback(&cache, 0);
	if (!e)
		e = w;
	if (blk_flush(cache.blk) && !e)
		e = -errno;
	syscall6(__NR_umount, (long)srv.mount_path, 0, 0, 0, 0, 0);
	return e;
}

static void close_moved(const struct ipc_ext *x)
{
	for (unsigned int i = 0; i < x->recv_nhandles; i++) {
		struct handle_info hi;
		if (!handle_info(x->recv_handles[i], &hi) && !(hi.flags & HANDLE_INFO_LENT))
			handle_close(x->recv_handles[i]);
	}
}

/* An open file's handle whose reply found its caller gone stays ours
 * (ipc_reply_recv drops such a reply, not its handles): close it, and the
 * no-senders message frees the open file. Its number may already name a
 * handle just received, if the move did happen. */
static void drop_undelivered(int h, const struct ipc_ext *x)
{
	for (unsigned int i = 0; x && i < x->recv_nhandles; i++)
		if (x->recv_handles[i] == h)
			return;
	struct handle_info hi;
	if (!handle_info(h, &hi))
		handle_close(h);
}

static __attribute__((noreturn)) void serve_forever(void)
{
	static char in[IPC_BUF_MAX + 1];
	static uint64_t out[IPC_BUF_MAX / 8];
	struct ipc_msg m;
	struct ipc_ext x;
	int replying = 0;
	uint32_t last_timer = now_seconds();
	for (;;) {
		unsigned long out_len = 0;
		int out_handle = -1;
		if (replying) {
			out_len = x.send_len;
			out_handle = x.send_nhandles ? x.send_handles[0] : -1;
		}
		memset(&x, 0, sizeof(x));
		x.recv_buf = in;
		x.recv_cap = IPC_BUF_MAX;
		x.timeout_ms = cache.ndirty ? 1000 : IPC_FOREVER;
		int rc;
		if (replying) {
			x.send_buf = out;
			x.send_len = out_len;
			if (out_handle >= 0) {
				x.send_handles[0] = out_handle;
				x.send_nhandles = 1;
			}
			rc = ipc_reply_recv_ext(srv.ep, &m, &x);
			if (out_handle >= 0)
				drop_undelivered(out_handle, rc ? NULL : &x);
		} else {
			rc = ipc_recv_ext(srv.ep, &m, &x);
		}
		replying = 0;
		/* The timer: once a block has been dirty DIRTY_SECONDS, all of
		 * it goes (the superblock and descriptors too), so the disk is
		 * never long behind the cache and stays consistent as a whole. */
		if (now_seconds() - last_timer >= 1 || (rc < 0 && errno == ETIMEDOUT)) {
			if (cache.ndirty && cache_dirty_age(&cache) >= DIRTY_SECONDS) {
				ext2_sync(&fs);
				cache_writeback(&cache, 0);
			}
			last_timer = now_seconds();
		}
		if (rc < 0)
			continue;       /* ETIMEDOUT: the timer's turn; else a failed reply */
		unsigned long label = m.tag & IPC_LABEL_MASK;
		if (label == IPC_LABEL_PAGE_IN && !(m.tag & IPC_TAG_CALL)) {
			mmap_page_in(m.badge, FS_OFF(m.w[0], m.w[1]));
			continue;
		}
		if (label == IPC_LABEL_NO_SENDERS && !(m.tag & IPC_TAG_CALL)) {
			struct ofile *of = ofile_of(m.badge);
			if (of)
				ofile_free(&fs, of);
			continue;
		}
		if (!(m.tag & IPC_TAG_CALL)) {
			close_moved(&x);
			continue;       /* nobody waits for an answer */
		}
		unsigned long in_len = x.recv_len > IPC_BUF_MAX ? IPC_BUF_MAX : x.recv_len;
		in[in_len] = 0;
		struct request r = { .m = &m, .in = in, .in_len = in_len, .handles = x.recv_handles,
				     .nhandles = x.recv_nhandles, .out = out, .out_handle = -1 };
		int status = serve(&r);
		if (!status && srv.unmounting) {
			status = -unmount();
			struct ipc_msg reply = { .tag = (unsigned long)status };
			int saved = ipc_reply_save();
			if (!status) {
				printf("ext2d: %s: unmounted %s cleanly\n", name, srv.mount_path);
				ipc_reply(saved, &reply);
				exit(0);
			}
			srv.unmounting = 0;
			ipc_reply(saved, &reply);
			continue;
		}
		close_moved(&x);
		m.tag = (unsigned long)status;
		if (status) {
			r.out_len = 0;
			if (r.out_handle >= 0)
				handle_close(r.out_handle);
			r.out_handle = -1;
		}
		x.send_len = r.out_len;
		x.send_nhandles = r.out_handle >= 0;
		x.send_handles[0] = r.out_handle;
		replying = 1;
	}
}

/* ext2d --stats PATH: a client for once. */
static int print_stats(const char *path)
{
	char rest[MOUNT_PATH_MAX];
	long h = syscall6(__NR_mount_open, (long)path, (long)rest, sizeof(rest), 0, 0, 0);
	if (h < 0) {
		printf("ext2d: %s: %s\n", path, strerror((int)-h));
		return 1;
	}
	struct fs_cache_stats st;
	struct ipc_ext x = { .recv_buf = &st, .recv_cap = sizeof(st), .timeout_ms = IPC_FOREVER };
	struct ipc_msg m = { .tag = FS_PRIVATE_STATS };
	if (ipc_call_ext((int)h, &m, &x) || (m.tag & IPC_LABEL_MASK)) {
		printf("ext2d: %s: no cache counters (%s)\n", path, strerror(m.tag & IPC_LABEL_MASK ? (int)(m.tag & IPC_LABEL_MASK) : errno));
		return 1;
	}
	printf("%s: ext2d pid %u, cache %u blocks of %u bytes\n", path, st.server_pid, st.slots, st.block_size);
	printf("  lookups  %llu hits, %llu misses, %llu blocks read ahead\n", (unsigned long long)st.hits,
	       (unsigned long long)st.misses, (unsigned long long)st.readahead);
	printf("  bios     %llu (%llu reads, %llu writes), %llu sectors, largest %u sectors\n",
	       (unsigned long long)st.bios, (unsigned long long)st.read_bios, (unsigned long long)st.write_bios,
	       (unsigned long long)st.bio_sectors, st.max_bio_sectors);
	printf("  dirty    %u blocks now, %llu written back\n", st.dirty, (unsigned long long)st.written_back);
	if (st.blk_retried)
		printf("  retried  %u bios (the disk's server died under them)\n", st.blk_retried);
	if (st.bio_errors)
		printf("  failed   %u bios\n", st.bio_errors);
	return 0;
}

/* ext2d --drop PATH: the server at PATH writes back and forgets its clean
 * blocks (FS_PRIVATE_DROP), so the next reads come from the disk. */
static int drop_cache(const char *path)
{
	char rest[MOUNT_PATH_MAX];
	long h = syscall6(__NR_mount_open, (long)path, (long)rest, sizeof(rest), 0, 0, 0);
	if (h < 0) {
		printf("ext2d: %s: %s\n", path, strerror((int)-h));
		return 1;
	}
	struct ipc_msg m = { .tag = FS_PRIVATE_DROP };
	int e = ipc_call((int)h, &m) ? errno : (int)(m.tag & IPC_LABEL_MASK);
	handle_close((int)h);
	if (e)
		printf("ext2d: %s: cache not dropped (%s)\n", path, strerror(e));
	return e != 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--stats"))
		return print_stats(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--drop"))
		return drop_cache(argv[2]);
	long disk = -1;
	unsigned long cache_bytes = 0, chunk_bytes = CACHE_CHUNK;
	int rdonly = 0;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--disk") && i + 1 < argc)
			disk = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--mount") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--ro"))
			rdonly = 1;
		else if (!strcmp(argv[i], "--cache-kb") && i + 1 < argc)
			cache_bytes = strtoul(argv[++i], NULL, 10) << 10;
		else if (!strcmp(argv[i], "--cache-chunk-kb") && i + 1 < argc)
			chunk_bytes = strtoul(argv[++i], NULL, 10) << 10;
		else
			disk = -2;
	}
	if (disk < 0 || !path || path[0] != '/') {
		printf("usage: ext2d --disk N --mount PATH [--ro] [--cache-kb K] [--cache-chunk-kb C] | --stats PATH | --drop PATH\n");
		return 2;
	}
	const char *slash = strrchr(path, '/');
	name = slash[1] ? slash + 1 : path;
	srv.mount_path = path;
	srv.source = name;
	srv.fs = &fs;
	cache.st.server_pid = (uint32_t)getpid();
	srv.ep = handle_named(HANDLE_SERVER);
	if (srv.ep < 0)
		srv.ep = endpoint_create();     /* run by hand: its own endpoint */
	/* init's send handle with RIGHT_TRANSFER: the open files' handles
	 * minted from it may be moved to clients and passed on. */
	srv.mint_ep = handle_named("mint");
	if (srv.mint_ep < 0)
		srv.mint_ep = srv.ep;
	cache.blk = open_disk((unsigned int)disk);
	if (cache.blk < 0 || srv.ep < 0)
		return 1;
	if (blk_info(cache.blk, &cache.disk)) {
		printf("ext2d: %s: BLK_INFO: %s\n", name, strerror(errno));
		return 1;
	}
	unsigned int bsize = probe();
	if (!bsize) {
		printf("ext2d: %s: no ext2 file system; not mounted\n", name);
		return 0;
	}
	int e = cache_init(&cache, cache_bytes ? cache_bytes : default_cache_bytes(), chunk_bytes, bsize);
	if (e) {
		printf("ext2d: %s: the cache: %s\n", name, strerror(-e));
		return 1;
	}
	if (rdonly)
		ops.write_block = NULL;
	e = ext2_mount(&fs, &ops, &fs);
	if (e) {
		printf("ext2d: %s: not mounted: %s\n", name, strerror(-e));
		return 0;
	}
	enter_mount_table(path, fs.read_only);
	printf("ext2d: %s mounted at %s (%s): %u blocks of %u bytes, cache %lu KiB, bios up to %u KiB\n", name,
	       path, fs.read_only ? "read-only" : "read-write", fs.blocks_count, fs.block_size, cache.size >> 10,
	       cache.max_run * fs.block_size >> 10);
	serve_forever();
}
