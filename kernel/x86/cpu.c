/* What the boot CPU can do, from CPUID; and the `cpuinfo` command. */
#include <asm/processor.h>
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
