/* cowdemo: copy-on-write to watch from the kernel monitor, one step at a
 * time (docs/labs/lab8-faults.md). `run cowdemo` in the monitor:
 *
 *   parent   maps COW_PAGES pages at COW_ADDR, writes each (demand paging:
 *            a fault each), forks the child, then waits for it to die and
 *            writes its pages again: their last user, it keeps them
 *   child    forks the trigger, waits for it to die, then writes page 0:
 *            a copy-on-write break
 *   trigger  unmaps the pages (so it shares none), says "ready", sleeps
 *
 * The program `run` started prints the three pids and exits once all are
 * in place; they stay, sleeping, for `ps`, `pt <pid> <addr>` and `page`.
 * `kill <trigger>` makes the child write, `kill <child>` the parent. A
 * process only waits, on a sleep or a child: nothing here depends on time.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/proc.h>
#include <sys/wait.h>

#define COW_ADDR 0x20000000UL
#define COW_PAGES 4
#define PAGE 4096

static void sleep_forever(void)
{
	struct timespec ts = { 1000, 0 };
	for (;;)
		nanosleep(&ts, NULL);
}

static struct proc_stat counters(const char *who, const char *when)
{
	struct proc_stat st;
	proc_stat(0, &st, 0);
	printf("cowdemo: %s (pid %d) %s: %llu faults, %llu COW copies, %llu pages resident\n", who, getpid(), when,
	       (unsigned long long)st.page_faults, (unsigned long long)st.cow_copies,
	       (unsigned long long)st.rss_pages);
	return st;
}

/* What the writes between two readings cost: the same in every build. */
static void cost(const char *who, const char *what, struct proc_stat a, struct proc_stat b)
{
	printf("cowdemo: %s: %s: faults +%llu, copies +%llu\n", who, what,
	       (unsigned long long)(b.page_faults - a.page_faults), (unsigned long long)(b.cow_copies - a.cow_copies));
}

static void child(int ready)
{
	int trigger = fork();
	if (trigger == 0) {
		munmap((void *)COW_ADDR, COW_PAGES * PAGE);
		write(ready, "r", 2);
		sleep_forever();
	}
	char msg[32];
	int n = snprintf(msg, sizeof(msg), "t%d", trigger);
	write(ready, msg, n + 1);
	waitpid(trigger, NULL, 0);
	struct proc_stat a = counters("child", "before its write to page 0");
	*(volatile char *)COW_ADDR = 'C';
	cost("child", "write to page 0, shared", a, counters("child", "after its write to page 0"));
	sleep_forever();
}

static void parent(int ready)
{
	char *p = mmap((void *)COW_ADDR, COW_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED) {
		printf("cowdemo: mmap failed\n");
		write(ready, "x", 2);
		write(ready, "x", 2);
		return;
	}
	struct proc_stat a = counters("parent", "after mmap");
	for (int i = 0; i < COW_PAGES; i++)
		p[i * PAGE] = 'P';
	cost("parent", "first writes to its 4 pages", a, counters("parent", "after writing its pages"));
	int pid = fork();
	if (pid == 0)
		child(ready);
	char msg[32];
	int n = snprintf(msg, sizeof(msg), "c%d", pid);
	write(ready, msg, n + 1);
	waitpid(pid, NULL, 0);
	a = counters("parent", "alone again");
	for (int i = 0; i < COW_PAGES; i++)
		p[i * PAGE] = 'Q';
	cost("parent", "writes to its 4 pages, alone", a, counters("parent", "after writing its pages again"));
	sleep_forever();
}

int main(void)
{
	int fds[2];
	if (pipe(fds)) {
		printf("cowdemo: no pipe\n");
		return 1;
	}
	int pid = fork();
	if (pid == 0) {
		close(fds[0]);
		parent(fds[1]);
		_exit(1);
	}
	close(fds[1]);
	/* Three NUL-terminated messages, in any order: the trigger's "r"
	 * (ready), "c<child pid>" from the parent, "t<trigger pid>" from the
	 * child; "x" for a failure. */
	char msg[16], child[16] = "?", trigger[16] = "?";
	for (int m = 0; m < 3; m++) {
		int len = 0;
		while (len < (int)sizeof(msg) - 1 && read(fds[0], msg + len, 1) == 1 && msg[len])
			len++;
		msg[len] = 0;
		if (msg[0] == 'x' || !len)
			return 1;
		if (msg[0] == 'c')
			strcpy(child, msg + 1);
		if (msg[0] == 't')
			strcpy(trigger, msg + 1);
	}
	printf("cowdemo: parent %d, child %s, trigger %s; %d pages at %#lx\n", pid, child, trigger, COW_PAGES,
	       COW_ADDR);
	return 0;
}
