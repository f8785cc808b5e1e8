/*
 * start_kernel: where C begins, called by boot/head_*.S in the higher half
 * on the boot stack with interrupts off. The order matters: the console
 * first so that anything can be reported, the trap tables next so a fault
 * gets a readable report, then the boot information, the command line,
 * paging, interrupts and the clock. Then pid 1 goes on in kernel_init.
 */
#include <pagoda/acpi.h>
#include <pagoda/apic.h>
#include <pagoda/smp.h>
#include <pagoda/bootinfo.h>
#include <pagoda/cmdline.h>
#include <pagoda/init.h>
#include <pagoda/blk_backend.h>
#include <pagoda/ipc.h>
#include <pagoda/irq.h>
#include <pagoda/kallsyms.h>
#include <pagoda/ktest.h>
#include <pagoda/mm.h>
#include <pagoda/initramfs.h>
#include <pagoda/monitor.h>
#include <pagoda/mount.h>
#include <pagoda/panic.h>
#include <pagoda/pci.h>
#include <pagoda/blkdev.h>
#include <pagoda/printk.h>
#include <pagoda/process.h>
#include <pagoda/errno.h>
#include <pagoda/string.h>
#include <pagoda/sched.h>
#include <pagoda/serial.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/time.h>
#include <pagoda/vmalloc.h>
#include <asm/desc.h>
#include <asm/entry.h>
#include <asm/multiboot2.h>
#include <asm/pvh.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

#define PAGODA_VERSION "0.1"

/*
 * What pid 1 does once the kernel is up (Linux's kernel_init). `monitor`,
 * `moncmd=` or `ktest=` on the command line: the tests, then the monitor,
 * in this boot context. Otherwise it becomes the user program init= names
 * (default /bin/init) by exec, and leaves for user mode for good; when it
 * exits, the kernel powers off (kernel/exit.c). `ktest=` with an explicit
 * `init=` runs the tests first, then init: one boot with every suite.
 */
static bool monitor_requested;
CMDLINE_FLAG(monitor, monitor_requested, "start the kernel monitor in pid 1 instead of the init program");

#define INIT_PATH_MAX 64
static char init_path[INIT_PATH_MAX] = "/bin/init";
static bool init_given;

static int setup_init(const char *val)
{
	if (!val || val[0] != '/' || strlen(val) >= sizeof(init_path)) {
		pr_err("cmdline: init= needs an absolute path of at most %zu bytes, e.g. init=/bin/sh\n",
		       sizeof(init_path) - 1);
		return -1;
	}
	strlcpy(init_path, val, sizeof(init_path));
	init_given = true;
	return 0;
}
CMDLINE_OPTION(init, setup_init, "the first user program, pid 1 (default /bin/init)");

bool boot_execs_init(void)
{
	if (ktest_requested())
		return init_given;
	return !monitor_requested && !monitor_has_boot_commands();
}

#define INIT_ARGS_MAX 8

static __noreturn void run_init_process(void)
{
	/* argv: the path, then the words after `--` on the command line. */
	static char args[256];
	char *words[INIT_ARGS_MAX];
	const char *argv[INIT_ARGS_MAX + 2] = { init_path };
	strlcpy(args, cmdline_init_args(), sizeof(args));
	int n = split_words(args, words, INIT_ARGS_MAX);      /* words past the 8th: dropped */
	for (int i = 0; i < n; i++)
		argv[i + 1] = words[i];
	/* The one handle init starts with: the device root, from which it
	 * hands drivers their devices (docs/drivers-in-user-space.md). */
	static char handles_env[32], blk_env[16];
	int root = device_root_create(RIGHTS_ALL);
	if (root > 0)
		snprintf(handles_env, sizeof(handles_env), "%s=devroot:%d", HANDLES_ENV, root);
	else
		pr_err("init: no device root (%s); init starts without handles\n", errname(root));
	snprintf(blk_env, sizeof(blk_env), "blk=%s", blk_backend_name());
	const char *const envp[] = { "PATH=/bin", "HOME=/", blk_env, root > 0 ? handles_env : NULL, NULL };
	pr_info("init: starting %s as pid 1\n", init_path);
	long err = kernel_execve(init_path, (const char *const *)argv, envp);
	if (!err)
		ret_to_user(task_pt_regs(current));
	pr_err("init: cannot run %s: %s (%ld); starting the monitor instead\n", init_path, errname(err), err);
	monitor_run();
}

static __noreturn void kernel_init(void)
{
	if (ktest_requested()) {
		if (!boot_execs_init())
			ktest_run_selected();   /* does not return */
		if (ktest_run())
			init_exit_must_fail();
	} else if (!boot_execs_init()) {
		monitor_run();
	}
	run_init_process();
}

/* Parse the boot information or stop with the reason; also used by tests. */
void bootinfo_init(const void *mbi, size_t size)
{
	char err[160];
	if (multiboot2_parse(mbi, size, &bootinfo, err, sizeof(err)))
		panic("%s", err);
}

/* PVH: mbi holds the copied start_info; the rest is read through the boot
 * mapping, which covers the low BOOT_MAP_SIZE bytes of RAM at __va(0). */
static void pvh_bootinfo_init(const void *start_info)
{
	static struct pvh_copy copy;
	char err[160];
	if (pvh_parse(start_info, __va(0), BOOT_MAP_SIZE, &bootinfo, &copy, err, sizeof(err)))
		panic("%s", err);
}

/* magic: MB2_BOOTLOADER_MAGIC (GRUB) or XEN_HVM_START_MAGIC (boot/pvh.S);
 * mbi: boot_mbi_copy, holding the multiboot2 information or start_info. */
void start_kernel(unsigned long magic, const void *mbi)
{
	setup_per_cpu_areas();          /* first: every CPU's copy of the per-CPU data */
	cpu_tables_init();              /* then the per-CPU base behind smp_processor_id() */
	sched_init();                   /* this boot context is init_task, pid 1 */
	serial_init();
	vsprintf_symbol_hook = sprint_symbol;

	printk(KERN_NOTICE "\nPagoda %s (%s) booting\n", PAGODA_VERSION, UTS_MACHINE);
	if (magic == MB2_BOOTLOADER_MAGIC)
		bootinfo_init(mbi, MBI_COPY_SIZE);
	else if (magic == XEN_HVM_START_MAGIC)
		pvh_bootinfo_init(mbi);
	else
		panic("not started by a multiboot2 boot loader nor through the PVH entry (magic %#lx)", magic);
	cmdline_parse(bootinfo.cmdline);
	cpu_detect();

	pr_info("boot: %s entry, loader '%s', command line '%s', %d tags, %u bytes of boot information\n",
		bootinfo.protocol, bootinfo.loader, bootinfo.cmdline, bootinfo.nr_tags, bootinfo.total_size);
	pr_info("boot: %lu kernel symbols, ACPI RSDP %s, ELF sections %u\n", kallsyms_count(),
		bootinfo.rsdp ? (bootinfo.rsdp_version == 2 ? "v2" : "v1") : "absent", bootinfo.elf_num);
	e820_print_table();

	paging_init();
	mm_init();
	vmalloc_init();
	kmem_cache_init();
	initramfs_init();               /* may vmap the module (above the direct map): after both */
	acpi_madt_init();
	irq_init();
	time_init();
	serial_enable_input();
	local_irq_enable();
	sched_init_late();              /* CPU 0's idle task, the reaper: tasks can sleep */
	smp_init();
	acpi_init();
	pci_init();
	ramdisk_init();
	ahci_init();
	rootfs_mount();                 /* "/": after the slab allocator and initramfs_init */

	u64 ns = ktime_get_ns();
	pr_info("Pagoda: kernel init took %llu.%03llu ms (TSC)\n", ns / 1000000, ns / 1000 % 1000);
	/* The TSC starts at 0 when the CPU is reset (QEMU: when the machine
	 * starts), so its value at our first instruction is the firmware's
	 * and the loader's time. */
	u64 before = tsc_to_ns(boot_tsc);
	pr_info("Pagoda: first kernel instruction %llu.%03llu ms after the CPU's reset (TSC)\n",
		before / 1000000, before / 1000 % 1000);

	kernel_init();
}
