/*
 * `cpuinfo`: what CPUID said about the boot CPU, and its paging registers.
 */
#include <asm/processor.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/time.h>

static int cmd_cpuinfo(int argc, char **argv)
{
	const struct cpuinfo_x86 *ci = &boot_cpu;
	const char *model = ci->model_name;
	while (*model == ' ')
		model++;
	printk("vendor      : %s\n", ci->vendor);
	printk("model name  : %s\n", model);
	printk("family/model/stepping: %u/%u/%u\n", ci->family, ci->model, ci->stepping);
	printk("TSC         : %llu.%03llu MHz%s\n", tsc_khz / 1000, tsc_khz % 1000,
	       ci->has_invariant_tsc ? " (invariant)" : "");
	printk("address bits: %u physical, %u virtual\n", ci->phys_bits, ci->virt_bits);
	printk("features    :%s%s%s%s%s%s%s%s%s%s%s\n",
	       ci->has_pse ? " pse" : "", ci->has_tsc ? " tsc" : "", ci->has_pae ? " pae" : "",
	       ci->has_apic ? " apic" : "", ci->has_pge ? " pge" : "", ci->has_nx ? " nx" : "",
	       ci->has_lm ? " lm" : "", ci->has_pdpe1gb ? " pdpe1gb" : "",
	       ci->has_smep ? " smep" : "", ci->has_smap ? " smap" : "", ci->has_pat ? " pat" : "");
	printk("paging      : CR0 %lx CR3 %lx CR4 %lx\n", read_cr0(), read_cr3(), read_cr4());
	return 0;
}
MONITOR_CMD(cpuinfo, cmd_cpuinfo, "", "CPU vendor, model, TSC frequency and paging features");
