/* ps: every process, from the kernel's proc_stat: pid, parent, state, CPU,
 * resident and mapped pages, page faults, copy-on-write copies, program. */
#include <stdio.h>
#include <sys/proc.h>

int main(void)
{
	struct proc_stat st;
	printf("  PID  PPID S CPU    RSS     VM  FAULTS    COW COMMAND\n");
	for (int pid = 1; proc_stat(pid, &st, PROC_STAT_NEXT) > 0; pid = st.pid + 1)
		printf("%5d %5d %c %3d %6llu %6llu %7llu %6llu %s\n", st.pid, st.ppid, st.state, st.cpu,
		       (unsigned long long)st.rss_pages, (unsigned long long)st.vm_pages,
		       (unsigned long long)st.page_faults, (unsigned long long)st.cow_copies, st.comm);
	return 0;
}
