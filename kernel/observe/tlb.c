/*
 * `tlbinfo`: TLB shootdowns so far (tlb_stats_read, <pagoda/tlbflush.h>).
 */
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <pagoda/tlbflush.h>

static int cmd_tlbinfo(int argc, char **argv)
{
	struct tlb_stats s;
	int cpu;
	tlb_stats_read(&s);
	printk("tlbinfo: %u CPUs online; shootdowns %lu, IPIs sent %lu, pages %lu; local-only flushes %lu\n",
	       num_online_cpus(), s.shootdowns, s.ipis, s.pages, s.local_flushes);
	for_each_online_cpu(cpu)
		printk("tlbinfo: cpu %d ran %lu flush requests, %lu as a whole-TLB flush\n", cpu, s.received[cpu],
		       s.full[cpu]);
	return 0;
}
MONITOR_CMD(tlbinfo, cmd_tlbinfo, "", "TLB shootdowns: rounds, IPIs sent, pages, flushes run per CPU");
