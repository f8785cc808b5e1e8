/*
 * Suite uahcid: the AHCI driver as a user-space server (/bin/ahcid,
 * docs/ahcid.md), under blk=user (the kernel leaves the controller alone).
 * The suite is its own small supervisor, as init is: it makes the endpoint,
 * keeps it (so the endpoint outlives a server), and starts /bin/ahcid with
 * HANDLES=server:<h>,devroot:<h>. It then names the client side "blk0" in
 * its own HANDLES, so the ublk suite that follows runs the block service's
 * client tests against ahcid too.
 *
 * The disk is the manifest's 16 MiB image with the pattern of
 * tools/disk_pattern.py (seed 0); the writes land where the ublk suite
 * does not, and the manifest's `after` checks them on the host image:
 *   [17000, +512)     write_flush_read_back, seed 41
 *   [18000, +6144)    kill_during_io: 3 MiB written and read while ahcid
 *                     is killed and started again, seed 43
 * Without blk=user or a device root the cases skip and say why. The
 * usertests argument ahcid=OPT,OPT... gives ahcid its options (--noncq,
 * --dma32, --pio, --poll).
 */
#include "utest.h"
#include <pagoda_blk.h>
#include <pagoda_handles.h>

#define DISK_SECTORS    32768UL
#define WRITE_SECTOR    17000UL
#define WRITE_COUNT     512u
#define WRITE_SEED      41u
#define KILL_SECTOR     18000UL
#define KILL_COUNT      6144u
#define KILL_CHUNK      128u            /* 64 KiB a request */
#define KILL_SEED       43u
#define KILL_AFTER      8               /* chunks done before the kill */

#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })

static int ep = -1, client = -1, root = -1, ahcid_pid = -1;

/* Start /bin/ahcid on ep: its pid, or -1. */
static int start_ahcid(void)
{
	int pid = fork();
	if (pid == 0) {
		static char handles[96];
		int serve = handle_dup(ep, RIGHT_SEND | RIGHT_RECEIVE | RIGHT_DUPLICATE);
		struct handle_name names[] = { { HANDLE_SERVER, serve }, { "devroot", root } };
		if (serve < 0 || handles_format(handles, sizeof(handles), names, 2) < 0)
			_exit(126);
		static char opts[64];
		char *argv[8] = { "ahcid" };
		int n = 1;
		for (char **a = usertests_args; *a; a++)
			if (!strncmp(*a, "ahcid=", 6))
				strlcpy(opts, *a + 6, sizeof(opts));
		for (char *p = opts; *p && n < 7; n++) {
			argv[n] = p;
			while (*p && *p != ',')
				p++;
			if (*p)
				*p++ = '\0';
		}
		argv[n] = NULL;
		char *envp[] = { "PATH=/bin", handles, NULL };
		execve("/bin/ahcid", argv, envp);
		_exit(127);
	}
	return pid;
}

/* Put "blk0" (and "devroot") in this process's HANDLES, for ublk. */
static void name_blk0(void)
{
	static char handles[96];
	static char *env[8];
	struct handle_name names[] = { { "blk0", client }, { "devroot", root } };
	if (handles_format(handles, sizeof(handles), names, 2) < 0)
		return;
	int n = 0;
	for (char **e = environ; *e && n < 6; e++)
		if (strncmp(*e, "HANDLES=", 8))
			env[n++] = *e;
	env[n++] = handles;
	env[n] = NULL;
	environ = env;
}

/* The server's endpoint, or -1 with t->skip set. */
static int disk(struct utest *t)
{
	if (client < 0)
		t->skip = "ahcid is not running (needs blk=user and a device root)";
	return client;
}

static int memobj_of(void *addr, size_t len, int prot)
{
	return (int)__syscall_ret(syscall3(__NR_memobj_from_user, addr, len, prot));
}

static void start(struct utest *t)
{
	const char *blk = getenv("blk");
	if (!blk || strcmp(blk, "user")) {
		t->skip = "not booted with blk=user";
		return;
	}
	root = handle_named("devroot");
	if (root < 0) {
		t->skip = "no devroot handle in HANDLES";
		return;
	}
	ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	client = handle_dup(ep, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER);
	ASSERT_TRUE(t, client > 0);
	ahcid_pid = start_ahcid();
	ASSERT_TRUE(t, ahcid_pid > 0);
	/* The first call waits until ahcid receives: its start-up. A server
	 * that could not start would leave it waiting (this suite keeps the
	 * endpoint), so this one call has a bound. */
	struct ipc_msg m = { .tag = BLK_INFO };
	struct ipc_ext x = { .timeout_ms = 60000 };
	int r = E(ipc_call_ext(client, &m, &x));
	EXPECT_EQ(t, r, 0);
	if (r) {
		int status;
		printf("    # ahcid did not answer; it %s\n",
		       waitpid(ahcid_pid, &status, WNOHANG) == ahcid_pid ? "exited" : "is still running");
		client = -1;
		return;
	}
	name_blk0();
}

static void info(struct utest *t)
{
	int h = disk(t);
	if (h < 0)
		return;
	struct blk_info info;
	EXPECT_EQ(t, E(blk_info(h, &info)), 0);
	EXPECT_EQ(t, info.sectors, DISK_SECTORS);
	EXPECT_EQ(t, info.sector_size, 512);
	EXPECT_TRUE(t, info.flags & BLK_INFO_USER);
	EXPECT_TRUE(t, info.max_sectors >= 8192);
	printf("    # uahcid: %lu sectors, at most %u per request, %s\n", info.sectors, info.max_sectors,
	       info.flags & BLK_INFO_NCQ ? "NCQ" : "no NCQ");
}

/* The read-only half of the disk through ahcid: its CRC-32 must be the
 * pattern's, which is the host image's (and what `dcrc` finds with
 * blk=kernel). */
static void read_crc(struct utest *t)
{
	enum { COUNT = 16384, STEP = 2048 };
	int h = disk(t);
	if (h < 0)
		return;
	unsigned int *buf = map(STEP / 8, PROT_READ | PROT_WRITE);
	unsigned int *want = map(STEP / 8, PROT_READ | PROT_WRITE);
	int mo = memobj_of(buf, STEP * 512, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, mo >= 0);
	unsigned int crc = 0, crc_want = 0;
	unsigned long bad = 0;
	for (unsigned long s = 0; s < COUNT; s += STEP) {
		EXPECT_EQ(t, E(blk_read(h, mo, 0, s, STEP)), 0);
		bad += disk_pattern_mismatches(buf, s, STEP, 0);
		disk_pattern_fill(want, s, STEP, 0);
		crc = crc32(crc, buf, STEP * 512);
		crc_want = crc32(crc_want, want, STEP * 512);
	}
	EXPECT_EQ(t, bad, 0);
	EXPECT_EQ(t, crc, crc_want);
	printf("    # uahcid: sectors 0-%d: CRC-32 %08x\n", COUNT - 1, crc);
	handle_close(mo);
	munmap(buf, STEP * 512);
	munmap(want, STEP * 512);
}

static void write_flush_read_back(struct utest *t)
{
	int h = disk(t);
	if (h < 0)
		return;
	unsigned int *out = map(WRITE_COUNT / 8, PROT_READ | PROT_WRITE);
	unsigned int *in = map(WRITE_COUNT / 8, PROT_READ | PROT_WRITE);
	disk_pattern_fill(out, WRITE_SECTOR, WRITE_COUNT, WRITE_SEED);
	EXPECT_EQ(t, E(blk_write_buf(h, out, WRITE_SECTOR, WRITE_COUNT)), 0);
	EXPECT_EQ(t, E(blk_flush(h)), 0);
	EXPECT_EQ(t, E(blk_read_buf(h, in, WRITE_SECTOR, WRITE_COUNT)), 0);
	EXPECT_EQ(t, disk_pattern_mismatches(in, WRITE_SECTOR, WRITE_COUNT, WRITE_SEED), 0);
	munmap(out, WRITE_COUNT * 512);
	munmap(in, WRITE_COUNT * 512);
}

/* The client: write each chunk, read it back, check it; count the chunks
 * done in shared memory so the parent knows when I/O is under way. */
static __attribute__((noreturn)) void kill_client(int h, volatile unsigned long *shared)
{
	static unsigned int out[KILL_CHUNK * 128], in[KILL_CHUNK * 128];
	for (unsigned int c = 0; c < KILL_COUNT / KILL_CHUNK; c++) {
		unsigned long sector = KILL_SECTOR + c * KILL_CHUNK;
		disk_pattern_fill(out, sector, KILL_CHUNK, KILL_SEED);
		memset(in, 0, sizeof(in));
		/* The library sends a request again after EPIPE (blk_retried). */
		int bad = blk_write_buf(h, out, sector, KILL_CHUNK) || blk_read_buf(h, in, sector, KILL_CHUNK);
		shared[1] = (unsigned long)blk_retried;
		if (bad)
			_exit(2);
		if (memcmp(in, out, sizeof(in)))
			_exit(3);
		shared[0]++;
	}
	_exit(blk_flush(h) ? 4 : 0);
}

/*
 * The restart story: ahcid is killed (SIGKILL) while a client writes and
 * reads 3 MiB in 64 KiB requests. The request ahcid had taken fails with
 * EPIPE (the kernel closes its saved reply) and the client sends it again;
 * requests sent meanwhile wait in the endpoint, which this suite keeps,
 * for the ahcid started again. Every byte is checked here, and on the
 * host image after QEMU exits.
 */
static void kill_during_io(struct utest *t)
{
	int h = disk(t);
	if (h < 0)
		return;
	int mo = memobj_create(PAGE);
	ASSERT_TRUE(t, mo >= 0);
	volatile unsigned long *shared = memobj_map(mo, 0, PAGE, PROT_READ | PROT_WRITE, 0);   /* fork shares it */
	ASSERT_TRUE(t, shared != MAP_FAILED);
	int pid = fork();
	if (pid == 0)
		kill_client(h, shared);
	ASSERT_TRUE(t, pid > 0);
	/* Bounded by a count, not a time: the client is making progress. */
	for (long spins = 0; shared[0] < KILL_AFTER && spins < 100000000; spins++)
		sched_yield();
	EXPECT_TRUE(t, shared[0] >= KILL_AFTER);
	unsigned long at = shared[0];
	EXPECT_EQ(t, kill(ahcid_pid, SIGKILL), 0);
	int status = 0;
	EXPECT_EQ(t, waitpid(ahcid_pid, &status, 0), ahcid_pid);
	EXPECT_TRUE(t, WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ahcid_pid = start_ahcid();
	ASSERT_TRUE(t, ahcid_pid > 0);
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
	printf("    # uahcid: killed after %lu of %u chunks; %lu requests sent again after EPIPE\n", at,
	       KILL_COUNT / KILL_CHUNK, shared[1]);
	/* Every byte again, through the new server. */
	unsigned int *buf = map(KILL_COUNT / 8, PROT_READ | PROT_WRITE);
	for (unsigned long s = 0; s < KILL_COUNT; s += 2048)
		EXPECT_EQ(t, E(blk_read_buf(h, (char *)buf + s * 512, KILL_SECTOR + s, 2048)), 0);
	EXPECT_EQ(t, disk_pattern_mismatches(buf, KILL_SECTOR, KILL_COUNT, KILL_SEED), 0);
	munmap(buf, KILL_COUNT * 512);
	munmap((void *)shared, PAGE);
	handle_close(mo);
}

const struct ucase ahcid_cases[] = {
	{ "start", start },
	{ "info", info },
	{ "read_crc", read_crc },
	{ "write_flush_read_back", write_flush_read_back },
	{ "kill_during_io", kill_during_io },
	{ 0 }
};
