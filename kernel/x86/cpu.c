/* What the boot CPU can do, from CPUID; and the `cpuinfo` command. */
#include <asm/processor.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/time.h>

struct cpuinfo_x86 boot_cpu;

void cpu_detect(void)
{
	u32 a, b, c, d;
	struct cpuinfo_x86 *ci = &boot_cpu;

	cpuid(0, &a, &b, &c, &d);
	ci->max_leaf = a;
	memcpy(ci->vendor, &b, 4);
	memcpy(ci->vendor + 4, &d, 4);
	memcpy(ci->vendor + 8, &c, 4);
	ci->vendor[12] = '\0';

	cpuid(1, &a, &b, &c, &d);
	ci->family = (a >> 8) & 0xf;
	ci->model = (a >> 4) & 0xf;
	ci->stepping = a & 0xf;
	if (ci->family == 0xf)
		ci->family += (a >> 20) & 0xff;
	if (ci->family >= 6)
		ci->model += ((a >> 16) & 0xf) << 4;
	ci->has_pse = d & (1 << 3);
	ci->has_tsc = d & (1 << 4);
	ci->has_pae = d & (1 << 6);
	ci->has_apic = d & (1 << 9);
	ci->has_pge = d & (1 << 13);
	ci->has_pat = d & (1 << 16);

	if (ci->max_leaf >= 7) {
		cpuid_count(7, 0, &a, &b, &c, &d);
		ci->has_smep = b & (1 << 7);
		ci->has_smap = b & (1 << 20);
	}

	cpuid(0x80000000, &a, &b, &c, &d);
	ci->max_ext_leaf = a;
	if (a >= 0x80000001) {
		cpuid(0x80000001, &a, &b, &c, &d);
		ci->has_nx = d & (1 << 20);
		ci->has_pdpe1gb = d & (1 << 26);
		ci->has_lm = d & (1 << 29);
	}
	if (ci->max_ext_leaf >= 0x80000004) {
		u32 *p = (u32 *)ci->model_name;
		for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++, p += 4)
			cpuid(leaf, &p[0], &p[1], &p[2], &p[3]);
		ci->model_name[48] = '\0';
	} else {
		strlcpy(ci->model_name, "(no brand string)", sizeof(ci->model_name));
	}
	if (ci->max_ext_leaf >= 0x80000007) {
		cpuid(0x80000007, &a, &b, &c, &d);
		ci->has_invariant_tsc = d & (1 << 8);
	}
	if (ci->max_ext_leaf >= 0x80000008) {
		cpuid(0x80000008, &a, &b, &c, &d);
		ci->phys_bits = a & 0xff;
		ci->virt_bits = (a >> 8) & 0xff;
	} else {
		ci->phys_bits = ci->has_pae ? 36 : 32;
		ci->virt_bits = 32;
	}
}

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
