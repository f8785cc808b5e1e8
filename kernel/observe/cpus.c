/*
 * The `cpus` monitor command: each logical CPU with its APIC id, state,
 * timer ticks and call-function IPIs, and what its per-CPU caches hold
 * right now: free pages in its per-CPU page lists (all zones) and objects
 * in its slab per-CPU arrays (all caches). Those caches are why per-CPU
 * ids matter: each CPU takes from and gives to its own without a lock.
 */
#include <pagoda/smp.h>
#include <pagoda/apic.h>
#include <pagoda/mmzone.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/time.h>
#include <pagoda/slab_stats.h>

static const char *state_name(enum cpu_state s)
{
	switch (s) {
	case CPU_ONLINE: return "online";
	case CPU_BOOTING: return "booting";
	case CPU_STOPPED: return "stopped";
	default: return "absent";
	}
}

static unsigned long pcp_pages(int cpu)
{
	unsigned long n = 0;
	struct zone *z;
	for_each_zone(z)
		n += READ_ONCE(per_cpu_ptr(z->per_cpu_pageset, cpu)->count);
	return n;
}

static int cmd_cpus(int argc, char **argv)
{
	printk("CPU  APIC  state     ticks      IPIs      pcp pages  slab objs\n");
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (per_cpu(cpu_info, cpu).state == CPU_ABSENT)
			continue;
		printk("%3d  %4u  %-8s %9lu %9lu %10lu %10lu\n", cpu, per_cpu(cpu_info, cpu).apic_id,
		       state_name(per_cpu(cpu_info, cpu).state), per_cpu(cpu_info, cpu).ticks, per_cpu(cpu_info, cpu).ipis,
		       pcp_pages(cpu), slab_cpu_objects(cpu));
	}
	for (int i = 0; i < nr_cpus_failed; i++)
		printk("  -  %4u  failed (did not check in; left offline)\n", cpu_failed_apic_ids[i]);
	if (apic_enabled)
		printk("%u online of %u usable; LAPIC timer on each CPU at %d Hz; I/O APIC\n",
		       num_online_cpus(), nr_cpus_possible, HZ);
	else
		printk("%u online; 8259 PIC and PIT, one CPU\n", num_online_cpus());
	return 0;
}
MONITOR_CMD(cpus, cmd_cpus, "", "CPUs: APIC id, state, timer ticks, IPIs, per-CPU page and slab cache sizes");
