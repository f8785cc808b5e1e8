/*
 * udev: device access for user-space drivers (issue #15,
 * docs/drivers-in-user-space.md): the device root init starts with, PCI
 * functions opened through it, BARs mapped, DMA memory and its bus
 * addresses, an interrupt delivered to a notification. It needs the root:
 * run it as init (`init=/bin/usertests`), which the kernel starts with
 * HANDLES=devroot:<h> and blk=<kernel|user>. The AHCI cases need q35 (its
 * built-in controller); those that drive it need blk=user and a disk on
 * port 0; the BAR and interrupt cases QEMU's "edu" device (the boots of
 * tests/manifest.d/devices.ini attach both).
 */
#include "utest.h"
#include <pagoda_device.h>

#define R(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })
#define MAXDEV 64
#define CLASS_AHCI 0x010601u

/* AHCI registers (AHCI 1.3 section 3) and the few bits used here. */
#define HBA_CAP   0x00
#define HBA_GHC   0x04
#define HBA_IS    0x08
#define HBA_PI    0x0c
#define HBA_VS    0x10
#define GHC_IE    0x2u
#define GHC_AE    0x80000000u
#define P0(off)   (0x100 + (off))
#define PX_FB     0x08
#define PX_FBU    0x0c
#define PX_IS     0x10
#define PX_IE     0x14
#define PX_CMD    0x18
#define PX_SSTS   0x28
#define PX_SCTL   0x2c
#define PX_SERR   0x30
#define PXCMD_ST  0x1u
#define PXCMD_FRE 0x10u
#define PXIS_DHRS 0x1u           /* a D2H register FIS arrived (a COMRESET's signature) */

static struct device_info devs[MAXDEV];
static int ndevs;

/* The handle named name in HANDLES ("name:h,name:h"), -1 if none. A
 * private copy: user/lib's handle_named (branch consd) replaces it. */
static int env_handle(const char *name)
{
	size_t len = strlen(name);
	for (char **e = environ; e && *e; e++) {
		if (strncmp(*e, HANDLES_ENV "=", sizeof(HANDLES_ENV)))
			continue;
		for (const char *p = *e + sizeof(HANDLES_ENV); *p;) {
			if (!strncmp(p, name, len) && p[len] == ':')
				return (int)strtol(p + len + 1, NULL, 10);
			while (*p && *p != ',')
				p++;
			if (*p)
				p++;
		}
	}
	return -1;
}

static const char *env_value(const char *key)
{
	size_t len = strlen(key);
	for (char **e = environ; e && *e; e++)
		if (!strncmp(*e, key, len) && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

static bool blk_user(void)
{
	const char *v = env_value("blk");
	return v && !strcmp(v, "user");
}

/* The root, and the list behind devs; NULL reason if usable. */
static int root_or_skip(struct utest *t)
{
	int root = env_handle("devroot");
	if (root <= 0) {
		/* As init the kernel must have given it; from the shell it is
		 * init's to give, and it gives none. */
		EXPECT_TRUE(t, getpid() != 1);
		t->skip = "no device root: run as init (init=/bin/usertests)";
		return -1;
	}
	ndevs = device_list(root, devs, MAXDEV);
	if (ndevs > MAXDEV)
		ndevs = MAXDEV;
	return root;
}

static const struct device_info *find_class(unsigned int class_code)
{
	for (int i = 0; i < ndevs; i++)
		if (devs[i].class_code == class_code)
			return &devs[i];
	return NULL;
}

static unsigned long long smallest_bar(const struct device_info *d, int *bar)
{
	unsigned long long best = 0;
	for (int i = 0; i < DEVICE_BARS; i++)
		if (d->bar_size[i] && (!best || d->bar_size[i] < best)) {
			best = d->bar_size[i];
			*bar = i;
		}
	return best;
}

/* QEMU's teaching device "edu" (docs/specs/edu.rst in QEMU): registers
 * in BAR 0, and an interrupt raised by a register write. */
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_ID        0x00      /* 0x010000ed: version 1.0 */
#define EDU_LIVENESS  0x04      /* reads back the complement of what was written */
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK   0x64

static const struct device_info *find_edu(void)
{
	for (int i = 0; i < ndevs; i++)
		if (devs[i].vendor == EDU_VENDOR && devs[i].device == EDU_DEVICE)
			return &devs[i];
	return NULL;
}

/* A function nobody drives and that is no bridge, safe to open and close:
 * edu where the boot attached one, else whatever is free (pc: the IDE
 * controller, q35: the SMBus controller; nothing here uses them). */
static const struct device_info *free_function(int *bar)
{
	const struct device_info *d = find_edu();
	for (int i = 0; i < ndevs && !d; i++)
		if (devs[i].owner == 0 && (devs[i].class_code >> 16) != 0x06)
			d = &devs[i];
	*bar = -1;
	if (d)
		smallest_bar(d, bar);
	return d;
}

static const struct device_info *relist(int root, unsigned int bdf)
{
	ndevs = device_list(root, devs, MAXDEV);
	for (int i = 0; i < ndevs && i < MAXDEV; i++)
		if (devs[i].bdf == bdf)
			return &devs[i];
	return NULL;
}

/* init's environment: the root's handle and the back end. */
static void root_given(struct utest *t)
{
	int root = root_or_skip(t);
	if (root < 0)
		return;
	EXPECT_TRUE(t, env_value("blk") != NULL);
	EXPECT_TRUE(t, ndevs > 0);
	/* Asking for none still counts them. */
	EXPECT_EQ(t, device_list(root, NULL, 0), ndevs);
}

/* What the list says is what configuration space says. */
static void list_matches_config(struct utest *t)
{
	int root = root_or_skip(t), bar = -1;
	if (root < 0)
		return;
	for (int i = 0; i < ndevs; i++)
		for (int j = 0; j < i; j++)
			EXPECT_TRUE(t, devs[i].bdf != devs[j].bdf);
	const struct device_info *d = free_function(&bar);
	ASSERT_TRUE(t, d != NULL);
	struct device_info want = *d;
	int dev = device_open(root, want.bdf);
	ASSERT_TRUE(t, dev > 0);
	EXPECT_EQ(t, device_config_read(dev, 0x00, 2), want.vendor);
	EXPECT_EQ(t, device_config_read(dev, 0x02, 2), want.device);
	EXPECT_EQ(t, device_config_read(dev, 0x09, 1), want.class_code & 0xff);
	EXPECT_EQ(t, device_config_read(dev, 0x0a, 2), want.class_code >> 8);
	EXPECT_EQ(t, device_config_read(dev, 0x3d, 1) ? device_config_read(dev, 0x3c, 1) : -1, want.irq);
	/* A 4-byte read is the two 2-byte halves. */
	EXPECT_EQ(t, device_config_read(dev, 0x00, 4) & 0xffff, want.vendor);
	EXPECT_EQ(t, device_config_read(dev, 0x04, 2), relist(root, want.bdf)->command);
	EXPECT_EQ(t, handle_close(dev), 0);
}

/* blk=kernel: the kernel's AHCI driver owns the controller. */
static void kernel_owned_busy(struct utest *t)
{
	int root = root_or_skip(t);
	if (root < 0)
		return;
	const struct device_info *a = find_class(CLASS_AHCI);
	if (!a) {
		t->skip = "no AHCI controller (q35 has one)";
		return;
	}
	if (blk_user()) {
		EXPECT_EQ(t, a->owner, 0);
		EXPECT_EQ(t, a->driver[0], 0);
		t->skip = "blk=user: no kernel driver owns it";
		return;
	}
	EXPECT_EQ(t, a->owner, 1);
	EXPECT_EQ(t, strcmp(a->driver, "ahci"), 0);
	EXPECT_EQ(t, R(device_open(root, a->bdf)), -EBUSY);
}

/* One holder at a time; dup'd handles share the one object. */
static void one_holder(struct utest *t)
{
	int root = root_or_skip(t), bar;
	if (root < 0)
		return;
	const struct device_info *d = free_function(&bar);
	ASSERT_TRUE(t, d != NULL);
	unsigned int bdf = d->bdf;
	int dev = device_open(root, bdf);
	ASSERT_TRUE(t, dev > 0);
	EXPECT_EQ(t, relist(root, bdf)->owner, 2);
	EXPECT_EQ(t, R(device_open(root, bdf)), -EBUSY);
	int dup = handle_dup(dev, RIGHT_READ);
	ASSERT_TRUE(t, dup > 0);
	EXPECT_EQ(t, handle_close(dev), 0);
	EXPECT_EQ(t, R(device_open(root, bdf)), -EBUSY);        /* dup still holds it */
	EXPECT_EQ(t, device_config_read(dup, 0, 2), relist(root, bdf)->vendor);
	EXPECT_EQ(t, handle_close(dup), 0);
	EXPECT_EQ(t, relist(root, bdf)->owner, 0);
	dev = device_open(root, bdf);
	EXPECT_TRUE(t, dev > 0);
	handle_close(dev);
}

static int child_root, child_bdf;
static void open_and_die(void)
{
	int dev = device_open(child_root, (unsigned int)child_bdf);
	if (dev <= 0)
		_exit(2);
	int n = notify_create();
	device_irq_bind(dev, n, 1);     /* may fail (no interrupt): the open is what counts */
	*(volatile int *)0 = 1;          /* dies holding both */
}

/* Open turns bus mastering on; the last close turns it off, even when
 * the last holder is a driver that died. */
static void close_stops_device(struct utest *t)
{
	int root = root_or_skip(t), bar;
	if (root < 0)
		return;
	const struct device_info *d = free_function(&bar);
	ASSERT_TRUE(t, d != NULL);
	unsigned int bdf = d->bdf;
	int dev = device_open(root, bdf);
	ASSERT_TRUE(t, dev > 0);
	EXPECT_TRUE(t, device_config_read(dev, 0x04, 2) & 0x4);
	EXPECT_TRUE(t, relist(root, bdf)->command & 0x6);
	EXPECT_EQ(t, handle_close(dev), 0);
	d = relist(root, bdf);
	EXPECT_EQ(t, d->command & 0x4, 0);
	EXPECT_EQ(t, d->owner, 0);

	child_root = root;
	child_bdf = (int)bdf;
	expect_killed(t, open_and_die, SIGSEGV);
	d = relist(root, bdf);
	EXPECT_EQ(t, d->owner, 0);
	EXPECT_EQ(t, d->command & 0x4, 0);
}

static volatile unsigned int *mapped;
static void touch_mapped(void)
{
	(void)*mapped;
	_exit(0);
}

static int open_edu(struct utest *t, int root)
{
	const struct device_info *e = find_edu();
	if (!e) {
		t->skip = "no edu device (tests/manifest.d/devices.ini attaches one)";
		return -1;
	}
	int dev = device_open(root, e->bdf);
	EXPECT_TRUE(t, dev > 0);
	return dev;
}

/* A memory BAR in the address space: reads and writes reach the device
 * (uncached), a fork's child does not have it, mprotect is refused,
 * munmap takes it away. */
static void map_bar(struct utest *t)
{
	int root = root_or_skip(t);
	if (root < 0)
		return;
	int dev = open_edu(t, root);
	if (dev <= 0)
		return;
	volatile unsigned int *regs = device_map_bar(dev, 0, 0);
	ASSERT_TRUE(t, regs != MAP_FAILED);
	EXPECT_EQ(t, (unsigned long)regs & (PAGE - 1), 0);
	EXPECT_EQ(t, regs[EDU_ID / 4], 0x010000ed);
	regs[EDU_LIVENESS / 4] = 0x12345678;
	EXPECT_EQ(t, regs[EDU_LIVENESS / 4], ~0x12345678u);
	mapped = regs;
	EXPECT_EQ(t, R(mprotect((void *)regs, PAGE, PROT_READ)), -EINVAL);
	/* Registers are no memory to lend: no struct page to pin. */
	EXPECT_EQ(t, R(memobj_from_user((void *)regs, PAGE, PROT_READ)), -EFAULT);
	expect_killed(t, touch_mapped, SIGSEGV);        /* fork left a hole */
	EXPECT_EQ(t, munmap((void *)regs, (size_t)find_edu()->bar_size[0]), 0);
	expect_killed(t, touch_mapped, SIGSEGV);
	/* At an address the caller asks for (a hint, as mmap's). */
	void *want = hole();
	ASSERT_TRUE(t, want != NULL);
	EXPECT_EQ(t, (unsigned long)device_map_bar(dev, 0, want) & 0xfff, 0);
	EXPECT_EQ(t, handle_close(dev), 0);
}

/* A real interrupt, twice: edu raises it on a register write; the kernel
 * masks it and signals the bound bits; the driver quiets the device and
 * acks. MSI on the APIC boots, INTx (INTX_DISABLE as the mask) with noapic. */
static void edu_irq(struct utest *t)
{
	int root = root_or_skip(t);
	if (root < 0)
		return;
	int dev = open_edu(t, root);
	if (dev <= 0)
		return;
	volatile unsigned int *regs = device_map_bar(dev, 0, 0);
	ASSERT_TRUE(t, regs != MAP_FAILED);
	int n = notify_create();
	ASSERT_TRUE(t, n > 0);
	EXPECT_EQ(t, device_irq_bind(dev, n, 0x30), 0);
	EXPECT_EQ(t, R(device_irq_bind(dev, n, 0x30)), -EBUSY);
	EXPECT_EQ(t, R(notify_wait(n, IPC_POLL)), -ETIMEDOUT);         /* nothing yet */
	for (int round = 1; round <= 2; round++) {
		regs[EDU_IRQ_RAISE / 4] = (unsigned int)round;
		/* Bounded: an interrupt that never comes fails here. */
		EXPECT_EQ(t, notify_wait(n, 10000), 0x30);
		EXPECT_EQ(t, regs[EDU_IRQ_STATUS / 4], (unsigned int)round);
		regs[EDU_IRQ_ACK / 4] = (unsigned int)round;   /* the driver's part */
		EXPECT_EQ(t, device_irq_ack(dev), 0);
	}
	EXPECT_EQ(t, device_irq_ack(dev), 0);           /* acking an unmasked one: harmless */
	long msi = device_config_read(dev, 0x04, 2) & 0x400;   /* INTX_DISABLE: MSI in use */
	printf("    # %s: 2 interrupts delivered (%s)\n", t->name, msi ? "MSI" : "INTx");
	EXPECT_EQ(t, handle_close(dev), 0);
	EXPECT_EQ(t, R(notify_wait(n, IPC_POLL)), -ETIMEDOUT);
	handle_close(n);
}

/* Every refusal: forged, closed and wrong-type handles, each missing
 * right, bad arguments. */
static void errors(struct utest *t)
{
	int root = root_or_skip(t), bar = -1;
	if (root < 0)
		return;
	const struct device_info *d = free_function(&bar);
	ASSERT_TRUE(t, d != NULL);
	unsigned int bdf = d->bdf;
	struct device_info info;
	struct dma_seg seg;
	int n = notify_create();
	ASSERT_TRUE(t, n > 0);

	/* EBADF: forged, and the wrong type. */
	EXPECT_EQ(t, R(device_list(12345, &info, 1)), -EBADF);
	EXPECT_EQ(t, R(device_list(n, &info, 1)), -EBADF);
	EXPECT_EQ(t, R(device_open(n, bdf)), -EBADF);
	EXPECT_EQ(t, R(device_config_read(n, 0, 2)), -EBADF);
	EXPECT_EQ(t, R((long)device_map_bar(n, bar, 0)), -EBADF);
	EXPECT_EQ(t, R(device_irq_ack(n)), -EBADF);
	/* ENODEV, EFAULT. */
	EXPECT_EQ(t, R(device_open(root, 0xffff)), -ENODEV);
	EXPECT_EQ(t, R(device_list(root, (struct device_info *)KERNEL_ADDR, 1)), -EFAULT);
	EXPECT_EQ(t, R(device_list(root, hole(), 1)), -EFAULT);

	/* The root without each right it needs. */
	int r_only = handle_dup(root, RIGHT_READ | RIGHT_DUPLICATE);
	int w_only = handle_dup(root, RIGHT_WRITE | RIGHT_DUPLICATE);
	ASSERT_TRUE(t, r_only > 0 && w_only > 0);
	EXPECT_EQ(t, R(device_list(w_only, &info, 1)), -EPERM);
	EXPECT_EQ(t, R(device_open(r_only, bdf)), -EPERM);

	int dev = device_open(root, bdf);
	ASSERT_TRUE(t, dev > 0);
	/* A root where a function is wanted, and the reverse: EINVAL. */
	EXPECT_EQ(t, R(device_config_read(root, 0, 2)), -EINVAL);
	EXPECT_EQ(t, R(device_list(dev, &info, 1)), -EINVAL);
	EXPECT_EQ(t, R(device_open(dev, bdf)), -EINVAL);

	int no_read = handle_dup(dev, RIGHTS_ALL & ~RIGHT_READ);
	int no_write = handle_dup(dev, RIGHTS_ALL & ~RIGHT_WRITE);
	int no_recv = handle_dup(dev, RIGHTS_ALL & ~RIGHT_RECEIVE);
	int n_no_send = handle_dup(n, RIGHTS_ALL & ~RIGHT_SEND);
	ASSERT_TRUE(t, no_read > 0 && no_write > 0 && no_recv > 0 && n_no_send > 0);
	EXPECT_EQ(t, R((long)device_map_bar(no_read, bar, 0)), -EPERM);
	EXPECT_EQ(t, R((long)device_map_bar(no_write, bar, 0)), -EPERM);
	EXPECT_EQ(t, R(device_config_read(no_read, 0, 2)), -EPERM);
	EXPECT_EQ(t, R(device_dma_alloc(no_write, PAGE, 32)), -EPERM);
	EXPECT_EQ(t, R(device_dma_addr(no_write, n, 0, &seg)), -EPERM);
	EXPECT_EQ(t, R(device_irq_bind(no_recv, n, 1)), -EPERM);
	EXPECT_EQ(t, R(device_irq_ack(no_recv)), -EPERM);
	EXPECT_EQ(t, R(device_irq_bind(dev, n_no_send, 1)), -EPERM);
	/* A memory object handle is needed for dma_addr. */
	EXPECT_EQ(t, R(device_dma_addr(dev, n, 0, &seg)), -EBADF);

	/* EINVAL: BARs that are not there or not memory, config offsets and
	 * sizes, DMA sizes and masks, an interrupt not bound, no bits. */
	EXPECT_EQ(t, R((long)device_map_bar(dev, -1, 0)), -EINVAL);
	EXPECT_EQ(t, R((long)device_map_bar(dev, DEVICE_BARS, 0)), -EINVAL);
	for (int i = 0; i < DEVICE_BARS; i++)
		if (!d->bar_size[i])    /* absent, or an I/O BAR */
			EXPECT_EQ(t, R((long)device_map_bar(dev, i, 0)), -EINVAL);
	EXPECT_EQ(t, R(device_config_read(dev, 0, 3)), -EINVAL);
	EXPECT_EQ(t, R(device_config_read(dev, 1, 2)), -EINVAL);
	EXPECT_EQ(t, R(device_config_read(dev, 4096, 1)), -EINVAL);
	EXPECT_EQ(t, R(device_dma_alloc(dev, PAGE, 16)), -EINVAL);
	EXPECT_EQ(t, R(device_dma_alloc(dev, 0, 32)), -EINVAL);
	EXPECT_EQ(t, R(device_irq_ack(dev)), -EINVAL);
	EXPECT_EQ(t, R(device_irq_bind(dev, n, 0)), -EINVAL);
	EXPECT_EQ(t, R(device_irq_bind(dev, n, 1UL << 31)), -EINVAL);

	int all[] = { r_only, w_only, no_read, no_write, no_recv, n_no_send, dev };
	for (unsigned int i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		EXPECT_EQ(t, handle_close(all[i]), 0);
	/* Closed. */
	EXPECT_EQ(t, R(device_config_read(dev, 0, 2)), -EBADF);
	EXPECT_EQ(t, R(device_irq_bind(dev, n, 1)), -EBADF);
	handle_close(n);
}

static int open_ahci(struct utest *t, int root)
{
	const struct device_info *a = find_class(CLASS_AHCI);
	if (!a) {
		t->skip = "no AHCI controller (q35 has one)";
		return -1;
	}
	if (!blk_user()) {
		t->skip = "blk=kernel: the kernel's driver owns the controller";
		return -1;
	}
	int dev = device_open(root, a->bdf);
	EXPECT_TRUE(t, dev > 0);
	return dev;
}

/* blk=user: the controller's registers through BAR 5 (ABAR). */
static void ahci_abar(struct utest *t)
{
	int root = root_or_skip(t);
	if (root < 0)
		return;
	int dev = open_ahci(t, root);
	if (dev <= 0)
		return;
	EXPECT_EQ(t, device_config_read(dev, 0x00, 2), 0x8086);
	EXPECT_EQ(t, device_config_read(dev, 0x02, 2), 0x2922);        /* ICH9 */
	volatile unsigned int *abar = device_map_bar(dev, 5, 0);
	ASSERT_TRUE(t, abar != MAP_FAILED);
	unsigned int cap = abar[HBA_CAP / 4], vs = abar[HBA_VS / 4], pi = abar[HBA_PI / 4];
	printf("    # %s: CAP %#x VS %#x PI %#x\n", t->name, cap, vs, pi);
	EXPECT_TRUE(t, vs == 0x10000 || vs == 0x10100 || vs == 0x10300);
	unsigned int nports = (cap & 0x1f) + 1, bits = 0;
	for (unsigned int p = pi; p; p &= p - 1)
		bits++;
	EXPECT_TRUE(t, pi != 0 && bits <= nports);
	EXPECT_TRUE(t, ((cap >> 8) & 0x1f) + 1 >= 1);  /* NCS: command slots */
	EXPECT_TRUE(t, cap & (1u << 31));               /* S64A: QEMU's is 64-bit */
	EXPECT_EQ(t, handle_close(dev), 0);
}

/* DMA memory: physically contiguous, below the mask, bus addresses only
 * of what the caller holds. */
static void dma_memory(struct utest *t)
{
	int root = root_or_skip(t), bar;
	if (root < 0)
		return;
	const struct device_info *d = free_function(&bar);
	ASSERT_TRUE(t, d != NULL);
	int dev = device_open(root, d->bdf);
	ASSERT_TRUE(t, dev > 0);
	int mo = device_dma_alloc(dev, PAGE, 32);
	ASSERT_TRUE(t, mo > 0);
	struct dma_seg seg = { 0 };
	EXPECT_EQ(t, device_dma_addr(dev, mo, 0, &seg), 0);
	EXPECT_EQ(t, seg.bus_addr & (PAGE - 1), 0);
	EXPECT_TRUE(t, seg.bus_addr != 0 && seg.bus_addr + PAGE <= 1ULL << 32);
	EXPECT_EQ(t, seg.len, PAGE);
	struct dma_seg in = { 0 };
	EXPECT_EQ(t, device_dma_addr(dev, mo, 100, &in), 0);
	EXPECT_EQ(t, in.bus_addr, seg.bus_addr + 100);
	EXPECT_EQ(t, in.len, PAGE - 100);
	EXPECT_EQ(t, R(device_dma_addr(dev, mo, PAGE, &in)), -EINVAL);
	EXPECT_EQ(t, R(device_dma_addr(dev, mo, 0, (struct dma_seg *)KERNEL_ADDR)), -EFAULT);
	/* A memory object without READ or WRITE cannot be aimed at. */
	int none = handle_dup(mo, RIGHT_DUPLICATE);
	ASSERT_TRUE(t, none > 0);
	EXPECT_EQ(t, R(device_dma_addr(dev, none, 0, &in)), -EPERM);
	handle_close(none);
	EXPECT_EQ(t, handle_close(mo), 0);

	/* Four pages in one stretch. */
	mo = device_dma_alloc(dev, 4 * PAGE, 64);
	ASSERT_TRUE(t, mo > 0);
	EXPECT_EQ(t, device_dma_addr(dev, mo, 0, &seg), 0);
	EXPECT_EQ(t, seg.len, 4 * PAGE);
	EXPECT_EQ(t, device_dma_addr(dev, mo, 3 * PAGE + 8, &in), 0);
	EXPECT_EQ(t, in.bus_addr, seg.bus_addr + 3 * PAGE + 8);
	EXPECT_EQ(t, handle_close(mo), 0);
	printf("    # %s: 4 contiguous pages at bus %#llx\n", t->name, seg.bus_addr);
	EXPECT_EQ(t, handle_close(dev), 0);
}

static void port_reset(volatile unsigned int *abar)
{
	abar[P0(PX_SCTL) / 4] = 1;      /* COMRESET ... */
	abar[P0(PX_SCTL) / 4] = 0;      /* ... released: the device sends its signature */
}

/* The port's interrupt, twice: bound, masked at delivery, unmasked by
 * the ack. The source is a COMRESET, whose D2H register FIS (written by
 * DMA into our FIS page) sets PxIS.DHRS. */
static void ahci_irq(struct utest *t)
{
	int root = root_or_skip(t);
	if (root < 0)
		return;
	int dev = open_ahci(t, root);
	if (dev <= 0)
		return;
	volatile unsigned int *abar = device_map_bar(dev, 5, 0);
	ASSERT_TRUE(t, abar != MAP_FAILED);
	if (!(abar[HBA_PI / 4] & 1) || (abar[P0(PX_SSTS) / 4] & 0xf) != 3) {
		handle_close(dev);
		t->skip = "no disk on port 0";
		return;
	}
	int fis = device_dma_alloc(dev, PAGE, 32);
	ASSERT_TRUE(t, fis > 0);
	struct dma_seg seg;
	ASSERT_TRUE(t, device_dma_addr(dev, fis, 0, &seg) == 0);
	volatile unsigned char *rfis = memobj_map(fis, 0, PAGE, PROT_READ | PROT_WRITE, 0);
	ASSERT_TRUE(t, rfis != MAP_FAILED);
	int n = notify_create();
	ASSERT_TRUE(t, n > 0);
	EXPECT_EQ(t, device_irq_bind(dev, n, 0x50), 0);
	EXPECT_EQ(t, R(device_irq_bind(dev, n, 0x50)), -EBUSY);

	abar[HBA_GHC / 4] = GHC_AE;
	abar[P0(PX_CMD) / 4] &= ~(PXCMD_ST | PXCMD_FRE);
	abar[P0(PX_FB) / 4] = (unsigned int)seg.bus_addr;
	abar[P0(PX_FBU) / 4] = (unsigned int)(seg.bus_addr >> 32);
	abar[P0(PX_CMD) / 4] |= PXCMD_FRE;
	abar[P0(PX_SERR) / 4] = ~0u;
	abar[P0(PX_IS) / 4] = ~0u;
	EXPECT_EQ(t, R(notify_wait(n, IPC_POLL)), -ETIMEDOUT);       /* nothing yet */
	abar[P0(PX_IE) / 4] = PXIS_DHRS;
	abar[HBA_GHC / 4] = GHC_AE | GHC_IE;

	for (int round = 0; round < 2; round++) {
		port_reset(abar);
		/* Bounded: an interrupt that never comes fails here, it does
		 * not hang the suite. */
		EXPECT_EQ(t, notify_wait(n, 10000), 0x50);
		EXPECT_TRUE(t, abar[P0(PX_IS) / 4] & PXIS_DHRS);
		/* The device wrote the FIS by DMA where device_dma_addr said. */
		EXPECT_EQ(t, rfis[0x40], 0x34);         /* FIS type: register D2H */
		rfis[0x40] = 0;
		abar[P0(PX_IS) / 4] = ~0u;      /* the driver's part: quiet the device */
		abar[HBA_IS / 4] = ~0u;
		EXPECT_EQ(t, device_irq_ack(dev), 0);
	}
	printf("    # %s: 2 interrupts delivered, FIS at bus %#llx\n", t->name, seg.bus_addr);
	abar[HBA_GHC / 4] = GHC_AE;
	abar[P0(PX_IE) / 4] = 0;
	abar[P0(PX_CMD) / 4] &= ~PXCMD_FRE;
	EXPECT_EQ(t, handle_close(dev), 0);     /* unbinds: the notification is free again */
	munmap((void *)rfis, PAGE);
	handle_close(fis);
	handle_close(n);
}

const struct ucase device_cases[] = {
	{ "root_given", root_given },
	{ "list_matches_config", list_matches_config },
	{ "kernel_owned_busy", kernel_owned_busy },
	{ "one_holder", one_holder },
	{ "close_stops_device", close_stops_device },
	{ "map_bar", map_bar },
	{ "edu_irq", edu_irq },
	{ "errors", errors },
	{ "ahci_abar", ahci_abar },
	{ "dma_memory", dma_memory },
	{ "ahci_irq", ahci_irq },
	{ NULL, NULL },
};
