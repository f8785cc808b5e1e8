/* usertests, suite usyscall: the system-call conventions. */
#include "utest.h"

static void getpid_positive(struct utest *t)
{
	EXPECT_TRUE(t, getpid() > 0);
	EXPECT_TRUE(t, getppid() >= 0);
}

static void unknown_number_is_enosys(struct utest *t)
{
	EXPECT_EQ(t, syscall0(__NR_syscalls), -ENOSYS);
	EXPECT_EQ(t, syscall0(-1L), -ENOSYS);
	EXPECT_EQ(t, syscall0(__NR_syscalls - 1), -ENOSYS);      /* a number with no call */
}

static void clock_advances(struct utest *t)
{
	struct timespec a, b;
	EXPECT_EQ(t, clock_gettime(CLOCK_MONOTONIC, &a), 0);
	EXPECT_EQ(t, usleep(1000), 0);
	EXPECT_EQ(t, clock_gettime(CLOCK_MONOTONIC, &b), 0);
	EXPECT_TRUE(t, b.tv_sec * 1000000000LL + b.tv_nsec >= a.tv_sec * 1000000000LL + a.tv_nsec + 1000000);
	EXPECT_EQ(t, syscall2(__NR_clock_gettime, 12345, &a), -EINVAL);
	struct timespec bad = { .tv_sec = 0, .tv_nsec = 1000000000 };
	EXPECT_EQ(t, syscall2(__NR_nanosleep, &bad, NULL), -EINVAL);
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	EXPECT_EQ(t, syscall2(__NR_nanosleep, &bad, NULL), -EINVAL);
}

static void info_calls(struct utest *t)
{
	struct sysinfo si;
	unsigned int cpu = 99999, node = 99999;
	EXPECT_EQ(t, sysinfo(&si), 0);
	EXPECT_TRUE(t, si.nr_cpus >= 1 && si.free_pages > 0 && si.free_pages <= si.total_pages);
	EXPECT_EQ(t, si.page_size, PAGE);
	EXPECT_TRUE(t, si.nr_procs >= 1 && si.max_procs >= si.nr_procs);
	EXPECT_EQ(t, getcpu(&cpu, &node), 0);
	EXPECT_TRUE(t, cpu < si.nr_cpus);
	EXPECT_EQ(t, node, 0);
	EXPECT_EQ(t, getcpu(NULL, NULL), 0);
	struct proc_stat st;
	EXPECT_EQ(t, proc_stat(0, &st, 0), getpid());
	EXPECT_EQ(t, st.pid, getpid());
	EXPECT_EQ(t, st.ppid, getppid());
	EXPECT_EQ(t, st.state, 'R');
	EXPECT_EQ(t, strcmp(st.comm, "usertests"), 0);
	EXPECT_EQ(t, proc_stat(1, &st, PROC_STAT_NEXT) > 0, 1);
	EXPECT_EQ(t, syscall3(__NR_proc_stat, 0, &st, 4), -EINVAL);
	EXPECT_EQ(t, syscall3(__NR_proc_stat, 0x7ffffff0, &st, 0), -ESRCH);
}

static void debug_read_len_zero(struct utest *t)
{
	EXPECT_EQ(t, syscall2(__NR_debug_read, NULL, 0), 0);
}

const struct ucase syscall_cases[] = {
	{ "getpid_positive", getpid_positive },
	{ "unknown_number_is_enosys", unknown_number_is_enosys },
	{ "clock_advances", clock_advances },
	{ "info_calls", info_calls },
	{ "debug_read_len_zero", debug_read_len_zero },
	{ NULL, NULL },
};
