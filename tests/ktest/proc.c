/*
 * Processes (kernel/fork.c, exec.c, exit.c, the entries in kernel/x86/):
 * real programs from the initramfs run in ring 3 and their wait status is
 * checked -- exit codes, the signal each user trap must end a program
 * with (and the kernel going on after it), fork and wait, kill, the
 * process limit, the system-call door's edges, the sysret check, SSE state
 * across switches, no page leaked by a storm of processes -- and exec
 * refuses malformed ELF images built here in memory. Runs on 1, 2 and 4
 * CPUs on every build (tests/manifest.d/proc.ini). No timing is asserted.
 */
#include <pagoda/errno.h>
#include <pagoda/initramfs.h>
#include <pagoda/ktest.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/process.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <pagoda/slab.h>
#include <pagoda/smp.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>
#include <uapi/pagoda/wait.h>
#include <asm/elf.h>
#include <asm/layout.h>
#include "ktest_observe.h"
#include "ktest_pages.h"
#include "proc_frames.h"

#define RUN(...) run_program(((const char *const []){ __VA_ARGS__, NULL })[0], \
			     (const char *const []){ __VA_ARGS__, NULL })

/* The kernel is fine after a program died: another one runs and exits 0. */
static void expect_still_fine(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, RUN("/bin/true"), W_EXITCODE(0, 0));
}

static void true_exits_0(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, RUN("/bin/true"), W_EXITCODE(0, 0));
}

static void false_exits_1(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, RUN("/bin/false"), W_EXITCODE(1, 0));
}

static void missing_program_enoent(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, RUN("/bin/no-such-program"), -ENOENT);
	KTEST_EXPECT_EQ(t, RUN("/bin"), -EACCES);              /* a directory */
	expect_still_fine(t);
}

/* ---- user traps: each ends the program with Linux's signal -------------- */

static void expect_trap(struct ktest *t, const char *kind, int sig)
{
	int st = RUN("/bin/t_trap", kind);
	KTEST_EXPECT_EQ(t, WTERMSIG(st), sig);
	KTEST_EXPECT_EQ(t, WEXITSTATUS(st), 0);
	expect_still_fine(t);
}

static void trap_divide_error_sigfpe(struct ktest *t) { expect_trap(t, "de", SIGFPE); }
static void trap_invalid_opcode_sigill(struct ktest *t) { expect_trap(t, "ud", SIGILL); }
static void trap_privileged_gp_sigsegv(struct ktest *t) { expect_trap(t, "gp", SIGSEGV); }
static void trap_breakpoint_sigtrap(struct ktest *t) { expect_trap(t, "bp", SIGTRAP); }
/* QEMU's TCG does not emulate alignment checks: t_trap then exits 4 and
 * the case can only say so; on a CPU that checks, SIGBUS is required. */
static void trap_alignment_check_sigbus(struct ktest *t)
{
	if (RUN("/bin/t_trap", "ac") == W_EXITCODE(4, 0)) {
		ktest_skip(t, "this CPU (QEMU TCG) raises no #AC");
		return;
	}
	expect_trap(t, "ac", SIGBUS);
}
static void trap_null_write_sigsegv(struct ktest *t) { expect_trap(t, "segv", SIGSEGV); }

/* ---- the system-call door ------------------------------------------------- */

static void bad_syscalls_enosys_and_efault(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, RUN("/bin/t_syscall"), W_EXITCODE(0, 0));
}

static void sysret_refuses_bad_frames(struct ktest *t)
{
	if (!proc_check_sysret_frames(t))
		ktest_skip(t, "no sysret on this build");
}

static void sysret_at_task_size_sigsegv(struct ktest *t)
{
	int st = RUN("/bin/t_sysret");
	if (st == W_EXITCODE(3, 0)) {
		ktest_skip(t, "no sysret on this build");
		return;
	}
	KTEST_EXPECT_EQ(t, WTERMSIG(st), SIGSEGV);
	expect_still_fine(t);
}

/* ---- processes ------------------------------------------------------------- */

static void fork_wait_status_round_trip(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, RUN("/bin/t_fork", "wait", "12"), W_EXITCODE(0, 0));
}

static void kill_ends_sleeping_and_busy(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, RUN("/bin/t_fork", "kill"), W_EXITCODE(0, 0));
}

static void process_limit_eagain(struct ktest *t)
{
	/* t_fork exits with the number of children it had: all the slots
	 * but its own and those of the processes already there. */
	unsigned int before = nr_processes();
	KTEST_EXPECT_EQ(t, RUN("/bin/t_fork", "limit"), W_EXITCODE(MAX_PROCS - 1 - (int)before, 0));
	KTEST_EXPECT_EQ(t, nr_processes(), before);
	expect_still_fine(t);
}

/* Storms of 50 fork + exit + wait, the lazily freed stack addresses
 * purged after each, so that every storm reuses the warm-up's vmalloc
 * addresses and page tables (as sched.exit_and_reap_leak_nothing does). */
static bool storms(int n)
{
	for (int i = 0; i < n; i++) {
		if (RUN("/bin/t_fork", "storm", "50") != W_EXITCODE(0, 0) || RUN("/bin/true") != 0)
			return false;
		vm_unmap_aliases();
	}
	return true;
}

static void exit_storm_leaks_nothing(struct ktest *t)
{
	KTEST_ASSERT_TRUE(t, storms(2));        /* warm-up: caches, tables */
	unsigned long before = ktest_settled_free_pages();
	unsigned int tasks = nr_tasks();
	KTEST_ASSERT_TRUE(t, storms(6));
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
	KTEST_EXPECT_EQ(t, nr_tasks(), tasks);
	KTEST_EXPECT_EQ(t, nr_processes(), 0);
}

/* Two copies per CPU, so copies share CPUs and switch between each other. */
static void sse_state_survives_switches(struct ktest *t)
{
	int n = 2 * (int)num_online_cpus(), pids[16];
	char seed[16][8];
	if (n > 16)
		n = 16;
	for (int i = 0; i < n; i++) {
		snprintf(seed[i], sizeof(seed[i]), "%d", i + 1);
		pids[i] = spawn_program("/bin/t_sse", (const char *const []){ "/bin/t_sse", seed[i], "3000", NULL });
		KTEST_EXPECT_GT(t, pids[i], 0);
	}
	for (int i = 0; i < n; i++) {
		int st = -1;
		if (pids[i] > 0)
			KTEST_EXPECT_EQ(t, kernel_wait4(pids[i], &st, 0), pids[i]);
		KTEST_EXPECT_EQ(t, st, W_EXITCODE(0, 0));
	}
}

/* ---- exec refuses malformed ELF images ------------------------------------ */

struct elf_copy {
	u8 *img;
	size_t size;
};

static bool is64(const u8 *img) { return img[EI_CLASS] == ELFCLASS64; }

/* Program header i: its fields, whichever the class. */
struct ph_view {
	u32 *type, *flags;
	u64 offset, vaddr, filesz, memsz;
};

static void ph_read(const u8 *img, int i, struct ph_view *v)
{
	if (is64(img)) {
		const Elf64_Ehdr *e = (const void *)img;
		const Elf64_Phdr *p = (const void *)(img + e->e_phoff + (u64)i * e->e_phentsize);
		*v = (struct ph_view){ (u32 *)&p->p_type, (u32 *)&p->p_flags, p->p_offset, p->p_vaddr,
				       p->p_filesz, p->p_memsz };
	} else {
		const Elf32_Ehdr *e = (const void *)img;
		const Elf32_Phdr *p = (const void *)(img + e->e_phoff + (u32)i * e->e_phentsize);
		*v = (struct ph_view){ (u32 *)&p->p_type, (u32 *)&p->p_flags, p->p_offset, p->p_vaddr,
				       p->p_filesz, p->p_memsz };
	}
}

static void ph_write(u8 *img, int i, u64 vaddr, u64 filesz, u64 memsz, u64 offset)
{
	if (is64(img)) {
		Elf64_Ehdr *e = (void *)img;
		Elf64_Phdr *p = (void *)(img + e->e_phoff + (u64)i * e->e_phentsize);
		p->p_vaddr = vaddr; p->p_filesz = filesz; p->p_memsz = memsz; p->p_offset = offset;
	} else {
		Elf32_Ehdr *e = (void *)img;
		Elf32_Phdr *p = (void *)(img + e->e_phoff + (u32)i * e->e_phentsize);
		p->p_vaddr = (u32)vaddr; p->p_filesz = (u32)filesz; p->p_memsz = (u32)memsz; p->p_offset = (u32)offset;
	}
}

static int phnum(const u8 *img)
{
	return is64(img) ? ((const Elf64_Ehdr *)img)->e_phnum : ((const Elf32_Ehdr *)img)->e_phnum;
}

/* The i-th PT_LOAD with bytes, or -1. */
static int load_seg(const u8 *img, int nth)
{
	for (int i = 0; i < phnum(img); i++) {
		struct ph_view v;
		ph_read(img, i, &v);
		if (*v.type == PT_LOAD && v.memsz && nth-- == 0)
			return i;
	}
	return -1;
}

enum malformation {
	BAD_MAGIC, BAD_CLASS, OTHER_CLASS, WRONG_MACHINE, TRUNCATED, PHDRS_OUTSIDE,
	REACHES_KERNEL, OVERLAP, SIZE_WRAPS, FILESZ_GT_MEMSZ, BYTES_OUTSIDE, TOO_BIG,
	INTERP, ENTRY_OUTSIDE, NR_MALFORMATIONS,
};

static const char *const malformation_names[] = {
	"bad magic", "bad class", "the other class", "wrong machine", "truncated", "phdrs outside",
	"segment reaches TASK_SIZE", "overlapping segments", "size wraps", "filesz > memsz",
	"file bytes outside", "segments over 1 GiB", "PT_INTERP", "entry outside",
};

/* Break a fresh copy one way; the size exec is given. */
static size_t malform(u8 *img, size_t size, enum malformation m)
{
	int s0 = load_seg(img, 0), s1 = load_seg(img, 1);
	struct ph_view v0, v1;
	ph_read(img, s0, &v0);
	ph_read(img, s1, &v1);
	u64 wrap = is64(img) ? ~0ULL - 0xfff : 0xffffffffULL - 0xfff;
	switch (m) {
	case BAD_MAGIC: img[1] = 'X'; break;
	case BAD_CLASS: img[EI_CLASS] = 7; break;
	case OTHER_CLASS: img[EI_CLASS] = is64(img) ? ELFCLASS32 : ELFCLASS64; break;
	case WRONG_MACHINE: ((Elf32_Ehdr *)img)->e_machine = 40; break;    /* same offset in both */
	case TRUNCATED: return 30;
	case PHDRS_OUTSIDE:
		if (is64(img)) ((Elf64_Ehdr *)img)->e_phnum = 0xffff;
		else ((Elf32_Ehdr *)img)->e_phnum = 0xffff;
		break;
	case REACHES_KERNEL:
		ph_write(img, s1, (TASK_SIZE - PAGE_SIZE) | (v1.offset & 0xfff), v1.filesz, 2 * PAGE_SIZE, v1.offset);
		break;
	case OVERLAP:
		ph_write(img, s1, (v0.vaddr & ~0xfffULL) | (v1.offset & 0xfff), v1.filesz, v1.memsz, v1.offset);
		break;
	case SIZE_WRAPS: ph_write(img, s1, v1.vaddr, v1.filesz, wrap, v1.offset); break;
	case FILESZ_GT_MEMSZ: ph_write(img, s1, v1.vaddr, v1.memsz + 1, v1.memsz, v1.offset); break;
	case BYTES_OUTSIDE:             /* one byte past the end of the file */
		ph_write(img, s1, v1.vaddr, size - v1.offset + 1, v1.memsz + size, v1.offset);
		break;
	case TOO_BIG: ph_write(img, s1, v1.vaddr, v1.filesz, 3ULL << 29, v1.offset); break;   /* 1.5 GiB */
	case INTERP: *v1.type = PT_INTERP; break;
	case ENTRY_OUTSIDE:
		if (is64(img)) ((Elf64_Ehdr *)img)->e_entry = 0x10;
		else ((Elf32_Ehdr *)img)->e_entry = 0x10;
		break;
	default: break;
	}
	return size;
}

static void exec_refuses_malformed_elf(struct ktest *t)
{
	struct cpio_entry e;
	KTEST_ASSERT_EQ(t, initramfs_find("/bin/true", &e), 0);
	u8 *img = kmalloc(e.size, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, img);
	memcpy(img, e.data, e.size);
	KTEST_ASSERT_GE(t, load_seg(img, 1), 0);        /* a program with two segments at least */
	for (int m = 0; m < NR_MALFORMATIONS; m++) {
		memcpy(img, e.data, e.size);
		size_t size = malform(img, e.size, m);
		long err = kernel_execve_image("/bin/broken", img, size);
		long want = m == TOO_BIG ? -ENOMEM : -ENOEXEC;
		if (err != want)
			ktest_fail_msg(t, __FILE__, __LINE__, "%s: exec returned %ld, want %ld",
				       malformation_names[m], err, want);
		/* Refused before anything changed: still the kernel task it was. */
		KTEST_ASSERT_NULL(t, current->mm);
		KTEST_ASSERT_FALSE(t, current->flags & PF_PROCESS);
	}
	kfree(img);
	expect_still_fine(t);
}

/* ---- the monitor's run, ps and kill ----------------------------------------- */

static char out[4096];
#define mon(...) ktest_monitor(out, sizeof(out), __VA_ARGS__)

static void monitor_run_ps_kill(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, mon("run false"), MON_OK);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "ended: exit code 1"));
	KTEST_EXPECT_EQ(t, mon("run t_trap ud"), MON_OK);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "ended: killed by SIGILL"));
	KTEST_EXPECT_EQ(t, mon("run no-such-program"), MON_FAILED);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "ENOENT"));

	/* A process that runs until killed: ps lists it with its program and
	 * memory counters, kill ends it, wait4 sees the signal. */
	int pid = spawn_program("/bin/t_sse", (const char *const []){ "/bin/t_sse", "5", "2000000000", NULL });
	KTEST_ASSERT_GT(t, pid, 0);
	KTEST_EXPECT_EQ(t, mon("ps"), MON_OK);
	char row[32];
	snprintf(row, sizeof(row), "%5d ", pid);
	const char *r = strstr(out, row);
	KTEST_EXPECT_NOT_NULL(t, r);
	if (r)
		KTEST_EXPECT_NOT_NULL(t, strstr(r, "t_sse"));
	KTEST_EXPECT_EQ(t, mon("kill %d", pid), MON_OK);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "SIGKILL sent to t_sse/"));
	int st = 0;
	KTEST_EXPECT_EQ(t, kernel_wait4(pid, &st, 0), pid);
	KTEST_EXPECT_EQ(t, st, W_EXITCODE(0, SIGKILL));
	KTEST_EXPECT_EQ(t, mon("kill %d", pid), MON_FAILED);    /* reaped: gone */
	KTEST_EXPECT_EQ(t, mon("kill 1"), MON_FAILED);
}

/* Idle balancing (kernel/sched/core.c): two processes start on CPU 0
 * while every other CPU is kept busy by pinned kernel threads; once those
 * stop, a CPU that goes idle takes one of the two, which were queued as
 * migratable on their way back to user mode. Without the balancing they
 * would share CPU 0 for ever (tasks are placed once, at creation). */
static int busy_thread(void *arg)
{
	(void)arg;
	while (!kthread_should_stop())
		cpu_relax();
	return 0;
}

static int task_cpu_of(int pid)
{
	struct task_struct *p = find_get_task(pid);
	if (!p)
		return -1;
	int cpu = READ_ONCE(p->cpu);
	put_task_struct(p);
	return cpu;
}

static void idle_cpu_takes_a_waiting_process(struct ktest *t)
{
	unsigned int ncpu = num_online_cpus();
	if (ncpu < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	struct task_struct *busy[2 * 8];
	unsigned int nbusy = 0;
	for (unsigned int cpu = 1; cpu < ncpu && nbusy + 2 <= 2 * 8; cpu++)
		for (int k = 0; k < 2; k++) {
			struct task_struct *b = kthread_create(busy_thread, NULL, "busy/%u", cpu);
			KTEST_ASSERT_NOT_NULL(t, b);
			kthread_bind(b, (int)cpu);
			wake_up_process(b);
			busy[nbusy++] = b;
		}
	const char *const argv[] = { "/bin/t_sse", "7", "2000000000", NULL };
	int a = spawn_program("/bin/t_sse", argv), b = spawn_program("/bin/t_sse", argv);
	KTEST_EXPECT_GT(t, a, 0);
	KTEST_EXPECT_GT(t, b, 0);
	KTEST_EXPECT_EQ(t, task_cpu_of(a), 0);  /* the least loaded at creation */
	KTEST_EXPECT_EQ(t, task_cpu_of(b), 0);
	unsigned long before = 0;
	for (unsigned int cpu = 1; cpu < ncpu; cpu++)
		before += nr_migrations_to((int)cpu);
	for (unsigned int i = 0; i < nbusy; i++)
		kthread_stop(busy[i]);
	int tries = 0;
	while (task_cpu_of(a) == task_cpu_of(b) && tries++ < 500)
		msleep(10);
	unsigned long after = 0;
	for (unsigned int cpu = 1; cpu < ncpu; cpu++)
		after += nr_migrations_to((int)cpu);
	printk("# t_sse %d on CPU %d, %d on CPU %d after %d looks; %lu taken by idle balancing\n",
	       a, task_cpu_of(a), b, task_cpu_of(b), tries, after - before);
	KTEST_EXPECT_NE(t, task_cpu_of(a), task_cpu_of(b));
	KTEST_EXPECT_GT(t, after, before);
	int st;
	for (int pid = a, k = 0; k < 2; pid = b, k++) {
		struct task_struct *p = find_get_task(pid);
		if (p) {
			send_fatal_sig(p, SIGKILL);
			put_task_struct(p);
		}
		KTEST_EXPECT_EQ(t, kernel_wait4(pid, &st, 0), pid);
	}
	/* The busy threads' stacks go back before the next suite counts pages. */
	ktest_settled_free_pages();
}

static struct ktest_case proc_cases[] = {
	KTEST_CASE(true_exits_0),
	KTEST_CASE(false_exits_1),
	KTEST_CASE(missing_program_enoent),
	KTEST_CASE(trap_divide_error_sigfpe),
	KTEST_CASE(trap_invalid_opcode_sigill),
	KTEST_CASE(trap_privileged_gp_sigsegv),
	KTEST_CASE(trap_breakpoint_sigtrap),
	KTEST_CASE(trap_alignment_check_sigbus),
	KTEST_CASE(trap_null_write_sigsegv),
	KTEST_CASE(bad_syscalls_enosys_and_efault),
	KTEST_CASE(sysret_refuses_bad_frames),
	KTEST_CASE(sysret_at_task_size_sigsegv),
	KTEST_CASE(fork_wait_status_round_trip),
	KTEST_CASE(kill_ends_sleeping_and_busy),
	KTEST_CASE(process_limit_eagain),
	KTEST_CASE(exit_storm_leaks_nothing),
	KTEST_CASE(sse_state_survives_switches),
	KTEST_CASE(exec_refuses_malformed_elf),
	KTEST_CASE(monitor_run_ps_kill),
	KTEST_CASE(idle_cpu_takes_a_waiting_process),
	{}
};
/* The programs come from the initramfs: a boot that ran the initramfs
 * suite first (ktest=*) has given its pages back, and nothing can run. */
static int proc_init(void)
{
	struct cpio_entry e;
	return initramfs_find("/bin/t_fork", &e);
}
KTEST_SUITE_INIT(proc, proc_cases, proc_init);
