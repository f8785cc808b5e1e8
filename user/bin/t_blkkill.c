/*
 * t_blkkill: the user-space disk driver killed under load, with the real
 * supervisor in the loop (tests/manifest.d/ahcid.ini, docs/ahcid.md). Run
 * by init instead of the shell (`blk=user init=/bin/init -- --run
 * /bin/t_blkkill SECTOR COUNT SEED`), it writes the disk pattern of seed
 * over COUNT sectors from SECTOR through "blk0" in 128 KiB requests and
 * reads each back, while a child SIGKILLs ahcid twice: init must restart
 * it, the library must send again what the dead one had taken (EPIPE),
 * and nothing may be lost or corrupted. Then it reads the whole range once
 * more through the third ahcid and checks every sector; the runner checks
 * the host image after QEMU exits. Exit 0 and "t_blkkill: ok" if all held.
 */
#include <errno.h>
#include <pagoda_blk.h>
#include <pagoda_handles.h>
#include <pagoda_ipc.h>
#include <pagoda_lib.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/proc.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK 256               /* sectors per request: 128 KiB */
#define KILLS 2

/* The pid of the running ahcid, or 0. */
static int ahcid_pid(void)
{
	struct proc_stat st;
	for (int pid = 1; proc_stat(pid, &st, PROC_STAT_NEXT) > 0; pid = st.pid + 1)
		if (!strcmp(st.comm, "ahcid") && st.state != 'Z')
			return st.pid;
	return 0;
}

/* Wait (bounded by a count of yields, never a time) until init has
 * started an ahcid other than old. */
static int restarted(int old)
{
	for (long i = 0; i < 2000000; i++) {
		int now = ahcid_pid();
		if (now && now != old)
			return now;
		sched_yield();
	}
	return 0;
}

/* The killer, a child: at a third and at two thirds of the way (the
 * parent's progress in shared[0]), SIGKILL the running ahcid, most likely
 * while it holds one of the parent's requests, and wait for init to start
 * the next; the pids go to shared[1..]. */
static __attribute__((noreturn)) void killer(volatile unsigned long *shared, unsigned long chunks)
{
	for (int k = 1; k <= KILLS; k++) {
		for (long i = 0; shared[0] < chunks * (unsigned long)k / (KILLS + 1); i++) {
			if (i > 50000000 || shared[0] == ~0UL)
				_exit(3);       /* the writer stopped */
			sched_yield();
		}
		int pid = ahcid_pid();
		if (!pid || kill(pid, SIGKILL))
			_exit(1);
		shared[k] = (unsigned long)pid;
		int next = restarted(pid);
		if (!next)
			_exit(2);
		shared[k + 1] = (unsigned long)next;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		dprintf(2, "usage: t_blkkill SECTOR COUNT SEED (under blk=user, run by init --run)\n");
		return 2;
	}
	unsigned long first = strtoul(argv[1], NULL, 0), count = strtoul(argv[2], NULL, 0);
	unsigned int seed = (unsigned int)strtoul(argv[3], NULL, 0);
	int h = handle_named("blk0");
	if (h < 0 || !ahcid_pid() || count < 3 * CHUNK) {
		printf("t_blkkill: FAIL: blk0 %d, ahcid pid %d, %lu sectors (at least %d)\n", h, ahcid_pid(),
		       count, 3 * CHUNK);
		return 1;
	}
	int mo = memobj_create(4096);
	volatile unsigned long *shared = mo < 0 ? MAP_FAILED : memobj_map(mo, NULL, 4096, PROT_READ | PROT_WRITE, 0);
	if (shared == MAP_FAILED) {
		printf("t_blkkill: FAIL: shared page: %s\n", strerror(errno));
		return 1;
	}
	unsigned long chunks = count / CHUNK, bad = 0;
	int kpid = fork();
	if (kpid == 0)
		killer(shared, chunks);
	if (kpid < 0) {
		printf("t_blkkill: FAIL: fork: %s\n", strerror(errno));
		return 1;
	}
	static unsigned int out[CHUNK * 128], in[CHUNK * 128];
	for (unsigned long c = 0; c < chunks; c++) {
		unsigned long sector = first + c * CHUNK;
		disk_pattern_fill(out, sector, CHUNK, seed);
		memset(in, 0, sizeof(in));
		if (blk_write_buf(h, out, sector, CHUNK) || blk_read_buf(h, in, sector, CHUNK)) {
			printf("t_blkkill: FAIL: sector %lu: %s (after %d resends)\n", sector, strerror(errno),
			       blk_retried);
			shared[0] = ~0UL;
			return 1;
		}
		bad += memcmp(in, out, sizeof(in)) != 0;
		shared[0] = c + 1;
	}
	int status = -1;
	waitpid(kpid, &status, 0);
	if (status) {
		printf("t_blkkill: FAIL: the killer ended with status %#x (1: no ahcid to kill, 2: init did "
		       "not start it again, 3: no progress)\n", status);
		return 1;
	}
	if (blk_flush(h)) {
		printf("t_blkkill: FAIL: flush: %s\n", strerror(errno));
		return 1;
	}
	/* The whole range again, through the last ahcid. */
	for (unsigned long c = 0; c < chunks; c++) {
		unsigned long sector = first + c * CHUNK;
		if (blk_read_buf(h, in, sector, CHUNK)) {
			printf("t_blkkill: FAIL: reading back sector %lu: %s\n", sector, strerror(errno));
			return 1;
		}
		bad += disk_pattern_mismatches(in, sector, CHUNK, seed);
	}
	printf("t_blkkill: %lu sectors written and read twice; ahcid pids %lu -> %lu -> %lu; %d requests "
	       "sent again after EPIPE; %lu bad\n", chunks * CHUNK, shared[1], shared[2], shared[3],
	       blk_retried, bad);
	if (bad)
		return 1;
	printf("t_blkkill: ok\n");
	return 0;
}
