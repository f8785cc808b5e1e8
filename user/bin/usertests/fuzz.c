/*
 * usertests, suite ufuzz: garbage into every system call a hostile program
 * could make without blocking or printing, from children that hold real
 * handles of every kind (endpoint, notification, memory object, saved
 * reply) beside forged ones, real pointers beside kernel, unmapped and
 * misaligned ones. What must hold: the kernel survives every call (a
 * child may die of a signal it brought on itself), and when the children
 * are gone every page and every kernel object is back.
 *
 * The calls left out, and why: exit, fork, execve, wait4 and kill act on
 * processes (the test's own), nanosleep, debug_read and the monitor
 * block, debug_write would print garbage into the KTAP. The IPC calls that
 * could block always carry an ipc_ext whose timeout is IPC_POLL (the rest
 * of it garbage); notify_wait always polls.
 */
#include "utest.h"
#include <pagoda_handles.h>

enum { CHILDREN = 4, CALLS = 2000 };     /* per boot: every usertests boot of a run has its own seed */

static unsigned long rng;

static unsigned long next(void)
{
	return xorshift(&rng);
}

static int pool[8];                     /* real handles */
static unsigned char scratch[3 * 4096] __attribute__((aligned(4096)));
static struct ipc_ext ext;

/* One argument: a small number, a handle (real or forged), a pointer
 * (into scratch, the kernel, nowhere, misaligned), a size, or noise. */
static unsigned long arg(void)
{
	switch (next() % 10) {
	case 0: return next() % 8;
	case 1: return (unsigned long)pool[next() % 8];
	case 2: return (unsigned long)pool[next() % 8] ^ (1UL << (8 + next() % 8));     /* a stale generation */
	case 3: return (unsigned long)scratch + (next() % sizeof(scratch));
	case 4: return (unsigned long)KERNEL_ADDR + (next() % 65536);
	case 5: return 4096UL << (next() % 16);                 /* page multiples, up to 128 MiB */
	case 6: return (unsigned long)-1L - next() % 4096;      /* -errno-like, huge */
	case 7: return next() & 0xffff;
	case 8: return 0;
	default: return next();
	}
}

static const int calls[] = {
	__NR_getpid, __NR_getppid, __NR_sched_yield, __NR_clock_gettime, __NR_brk, __NR_mmap, __NR_munmap,
	__NR_mprotect, __NR_proc_stat, __NR_getcpu, __NR_sysinfo, __NR_handle_close, __NR_handle_dup,
	__NR_endpoint_create, __NR_ipc_send, __NR_ipc_recv, __NR_ipc_call, __NR_ipc_reply_recv,
	__NR_notify_create, __NR_notify_signal, __NR_notify_wait, __NR_memobj_create, __NR_memobj_map,
	__NR_memobj_from_user, __NR_memobj_size, __NR_ipc_reply_save, __NR_ipc_reply, __NR_handle_info, __NR_pipe,
	__NR_device_list, __NR_device_open, __NR_device_map_bar, __NR_device_dma_alloc, __NR_device_dma_addr,
	__NR_device_irq_bind, __NR_device_irq_ack, __NR_device_config_read, __NR_blkdev_open,
	__NR_mount_open, __NR_mount_list, 63, 127, 159, 164,
};

/* Calls that change the caller's own mappings get addresses in an arena
 * of their own (or none, or the kernel's, or misaligned), never the
 * program's text, data or stack: the point is the kernel's checks, not a
 * child that unmaps itself. */
#define ARENA (1UL << 20)
static unsigned char *arena;

static void aim_at_arena(unsigned long *addr, unsigned long *len)
{
	unsigned long off = (next() % (ARENA / 4096)) * 4096;
	switch (next() % 5) {
	case 0: *addr = 0; break;
	case 1: *addr = (unsigned long)KERNEL_ADDR; break;
	case 2: *addr = (unsigned long)arena + off + 1 + next() % 4095; break;
	default: *addr = (unsigned long)arena + off; break;
	}
	if (!len)
		return;
	if (*addr >= (unsigned long)arena && *addr < (unsigned long)arena + ARENA)
		*len = next() % ((unsigned long)arena + ARENA - *addr + 1);
	else if (!*addr)
		*len = next() % 4096;   /* the first page is never mapped */
}

static bool is_ipc_wait(int nr)
{
	return nr == __NR_ipc_send || nr == __NR_ipc_recv || nr == __NR_ipc_call || nr == __NR_ipc_reply_recv;
}

/* Where each child is (shared with the parent): its call count and the
 * last call's number, for the report of a child that died. */
static volatile unsigned long *progress;

static __attribute__((noreturn)) void fuzz_child(int c, unsigned long seed)
{
	rng = seed;
	/* An untrusted program holds no device root. */
	int root = handle_named("devroot");
	if (root > 0)
		handle_close(root);
	pool[0] = endpoint_create();
	pool[1] = handle_dup(pool[0], RIGHT_SEND);
	pool[2] = notify_create();
	pool[3] = memobj_create(8192);
	pool[4] = memobj_from_user(scratch, sizeof(scratch), PROT_READ | PROT_WRITE);
	pool[5] = handle_dup(pool[2], RIGHT_SEND | RIGHT_TRANSFER);
	pool[6] = 0;
	pool[7] = -1;
	arena = mmap(NULL, ARENA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED)
		_exit(2);
	for (int i = 0; i < CALLS; i++) {
		int nr = calls[next() % (sizeof(calls) / sizeof(calls[0]))];
		unsigned long a[6];
		for (int k = 0; k < 6; k++)
			a[k] = arg();
		if (is_ipc_wait(nr)) {
			/* Garbage, but never a wait: IPC_TAG_EXT and a polling ext. */
			for (unsigned int k = 0; k < sizeof(ext) / sizeof(unsigned long); k++)
				((unsigned long *)&ext)[k] = arg();
			ext.timeout_ms = IPC_POLL;
			ext.send_nhandles %= IPC_HANDLES_MAX + 2;
			a[1] = (a[1] & ~IPC_TAG_EXT) | IPC_TAG_EXT;
			a[5] = (unsigned long)&ext;
		} else if (nr == __NR_notify_wait) {
			a[1] = IPC_POLL;
		} else if (nr == __NR_mmap || nr == __NR_munmap || nr == __NR_mprotect) {
			aim_at_arena(&a[0], &a[1]);
		} else if (nr == __NR_memobj_map) {
			aim_at_arena(&a[1], &a[2]);
		} else if (nr == __NR_device_map_bar) {
			aim_at_arena(&a[2], NULL);
		} else if (nr == __NR_brk) {
			a[0] = next() % 2 ? 0 : a[0];
		} else if (nr == __NR_memobj_create && a[0] > (1UL << 20) && next() % 8) {
			/* An object's pages are zeroed when it is made: up to 128
			 * MiB a call took the 1-6 GiB boots 2-6 s per run (zeroing
			 * and the host's first touch of each page). Mostly small
			 * now; a big one still comes now and then, and the budget
			 * has its own case (umemobj.budget_enomem). */
			a[0] &= (1UL << 20) - 1;
		}
		progress[2 * c] = (unsigned long)i;
		progress[2 * c + 1] = (unsigned long)nr;
		syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		/* A handle made along the way joins the pool now and then. */
		if (nr == __NR_ipc_reply_save || nr == __NR_endpoint_create || nr == __NR_memobj_create)
			pool[next() % 6] = (int)handle_dup(pool[0], RIGHT_SEND);
	}
	_exit(0);
}

static void garbage_in_no_crash(struct utest *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	unsigned long seed = (unsigned long)now.tv_nsec | 1;
	printf("    # %s: seed %#lx, %d children x %d calls\n", t->name, seed, CHILDREN, CALLS);
	int mo = memobj_create(4096);
	ASSERT_TRUE(t, mo > 0);
	progress = memobj_map(mo, NULL, 4096, PROT_READ | PROT_WRITE, 0);
	ASSERT_TRUE(t, progress != MAP_FAILED);
	/* Counted after the progress page and its page table exist. */
	struct leak_mark mark;
	leak_mark(&mark);
	int pids[CHILDREN], exited = 0, signalled = 0;
	for (int c = 0; c < CHILDREN; c++) {
		pids[c] = fork();
		if (pids[c] == 0)
			fuzz_child(c, seed * (unsigned long)(c + 1) * 0x9e3779b97f4a7c15UL | 1);
		ASSERT_TRUE(t, pids[c] > 0);
	}
	for (int c = 0; c < CHILDREN; c++) {
		int status = -1;
		EXPECT_EQ(t, waitpid(pids[c], &status, 0), pids[c]);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			exited++;
		else if (WIFSIGNALED(status) && ++signalled)
			printf("    # %s: child %d died of signal %d at call %lu (system call %lu)\n", t->name, c,
			       WTERMSIG(status), progress[2 * c], progress[2 * c + 1]);
		else
			printf("    # %s: child %d ended with status %#x\n", t->name, c, status);
	}
	printf("    # %s: %d children finished, %d died of a signal they caused\n", t->name, exited, signalled);
	EXPECT_EQ(t, exited + signalled, CHILDREN);
	expect_no_leak(t, &mark);
	munmap((void *)progress, 4096);
	handle_close(mo);
}

const struct ucase fuzz_cases[] = {
	{ "garbage_in_no_crash", garbage_in_no_crash },
	{ NULL, NULL },
};
