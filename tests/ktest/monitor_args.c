/*
 * The monitor's one argument convention (<pagoda/monitor_args.h>): every
 * command takes back what the monitor printed (kmalloc -> kfree, vmalloc ->
 * vfree, ioremap -> iounmap, kmap -> kunmap, pt/v2p/page on printed
 * addresses and pfns), mistakes are named, runtime failures print no usage
 * line, and the freeing commands refuse whatever the monitor did not make.
 */
#include <pagoda/gfp.h>
#include <pagoda/highmem.h>
#include <pagoda/io.h>
#include <pagoda/ktest.h>
#include <pagoda/mm.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/sections.h>
#include <pagoda/slab.h>
#include <pagoda/smp.h>
#include <pagoda/sprintf.h>
#include <pagoda/stacks.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>
#include <stdarg.h>

static char out[8192];

static __printf(1, 2) int run(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_capture_start(out, sizeof(out));
	int ret = monitor_exec(line);
	console_capture_stop();
	return ret;
}

/* The word after key in the last output (up to a space, ',', ':' or ')'),
 * copied to word: what a user would select with the mouse. */
static bool word_after(const char *key, char *word, size_t size)
{
	const char *p = strstr(out, key);
	size_t n = 0;
	if (!p)
		return false;
	for (p += strlen(key); *p && !strchr(" ,:)\n", *p) && n + 1 < size; p++)
		word[n++] = *p;
	word[n] = '\0';
	return n > 0;
}

static unsigned long hexval(const char *s)
{
	char buf[40];
	unsigned long long v = 0;
	snprintf(buf, sizeof(buf), "0x%s", s);
	parse_ulong(buf, &v, false);
	return (unsigned long)v;
}

static bool has(const char *s)
{
	return strstr(out, s) != NULL;
}

/* kmalloc prints an address, its phys and pfn: each goes back in as printed. */
static void kmalloc_output_feeds_back(struct ktest *t)
{
	char addr[32], phys[32], pfn[32], want[64];
	KTEST_ASSERT_EQ(t, run("kmalloc 100"), MON_OK);
	KTEST_ASSERT_TRUE(t, word_after("kmalloc(100) = ", addr, sizeof(addr)));
	KTEST_ASSERT_TRUE(t, word_after("phys ", phys, sizeof(phys)));
	KTEST_ASSERT_TRUE(t, word_after("pfn ", pfn, sizeof(pfn)));

	KTEST_EXPECT_EQ(t, run("ksize %s", addr), MON_OK);
	KTEST_EXPECT_TRUE(t, has("ksize 128") || has("ksize 100"));
	KTEST_EXPECT_EQ(t, run("v2p %s", addr), MON_OK);
	snprintf(want, sizeof(want), "-> %s", phys);
	KTEST_EXPECT_TRUE(t, has(want));
	KTEST_EXPECT_EQ(t, run("pt %s", addr), MON_OK);
	snprintf(want, sizeof(want), "=> physical address %s", phys);
	KTEST_EXPECT_TRUE(t, has(want));
	/* the same page, by the physical address and by pfn: */
	snprintf(want, sizeof(want), "pfn %s ", pfn);
	KTEST_EXPECT_EQ(t, run("page %s", phys), MON_OK);
	KTEST_EXPECT_TRUE(t, has(want));
	KTEST_EXPECT_EQ(t, run("page pfn:%s", pfn), MON_OK);
	KTEST_EXPECT_TRUE(t, has(want));
	KTEST_EXPECT_TRUE(t, has("slab"));

	KTEST_EXPECT_EQ(t, run("kfree %s", addr), MON_OK);
	KTEST_EXPECT_TRUE(t, has("freed"));
	KTEST_EXPECT_EQ(t, run("kfree %s", addr), MON_FAILED);       /* once only */
	KTEST_EXPECT_TRUE(t, has("refused"));
}

/* vmalloc's address goes to pt, v2p and vfree, with or without 0x. */
static void vmalloc_output_feeds_back(struct ktest *t)
{
	char addr[32], pfn[32], want[64];
	unsigned long areas = vmalloc_nr_areas();
	KTEST_ASSERT_EQ(t, run("vmalloc 16K"), MON_OK);
	KTEST_ASSERT_TRUE(t, word_after("vmalloc(16384) = ", addr, sizeof(addr)));
	KTEST_ASSERT_TRUE(t, word_after("first page pfn ", pfn, sizeof(pfn)));
	KTEST_EXPECT_EQ(t, vmalloc_nr_areas(), areas + 1);

	KTEST_EXPECT_EQ(t, run("pt 0x%s", addr), MON_OK);
	KTEST_EXPECT_TRUE(t, has("in the vmalloc area"));
	KTEST_EXPECT_EQ(t, run("v2p %s", addr), MON_OK);
	KTEST_EXPECT_TRUE(t, has("(4 KiB page)"));
	KTEST_EXPECT_EQ(t, run("page pfn:%s", pfn), MON_OK);
	snprintf(want, sizeof(want), "pfn %s ", pfn);
	KTEST_EXPECT_TRUE(t, has(want));

	KTEST_EXPECT_EQ(t, run("vfree %s", addr), MON_OK);
	KTEST_EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	KTEST_EXPECT_EQ(t, run("vfree %s", addr), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("refused"));
}

static void ioremap_output_feeds_back(struct ktest *t)
{
	char addr[32];
	unsigned long areas = vmalloc_nr_areas();
	KTEST_ASSERT_EQ(t, run("ioremap fee00000 4K"), MON_OK);
	KTEST_ASSERT_TRUE(t, word_after("ioremap(0xfee00000, 4096) = ", addr, sizeof(addr)));
	KTEST_EXPECT_EQ(t, run("v2p %s", addr), MON_OK);
	KTEST_EXPECT_TRUE(t, has("-> 0xfee00000"));
	KTEST_EXPECT_EQ(t, run("iounmap %s", addr), MON_OK);
	KTEST_EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	KTEST_EXPECT_EQ(t, run("iounmap %s", addr), MON_FAILED);
}

/* kmap takes a page as printed; its address walks to that page; kunmap
 * takes it back; a highmem page where there is one. */
static void kmap_output_feeds_back(struct ktest *t)
{
	char addr[32] = "", want[64];
	struct page *page = alloc_page(GFP_HIGHUSER);
	KTEST_ASSERT_NOT_NULL(t, page);
	unsigned long long phys = (unsigned long long)page_to_pfn(page) << PAGE_SHIFT;
	KTEST_EXPECT_EQ(t, run("kmap %llx", phys), MON_OK);
	snprintf(want, sizeof(want), "kmap(pfn %#lx) = ", page_to_pfn(page));
	KTEST_EXPECT_TRUE(t, word_after(want, addr, sizeof(addr)));
	if (addr[0]) {
		KTEST_EXPECT_EQ(t, run("v2p %s", addr), MON_OK);
		snprintf(want, sizeof(want), "-> %#llx", phys);
		KTEST_EXPECT_TRUE(t, has(want));
	}
	KTEST_EXPECT_EQ(t, run("held"), MON_OK);
	snprintf(want, sizeof(want), "held: kmap    pfn %#lx", page_to_pfn(page));
	KTEST_EXPECT_TRUE(t, has(want));
	KTEST_EXPECT_EQ(t, run("kunmap pfn:%lx", page_to_pfn(page)), MON_OK);
	KTEST_EXPECT_EQ(t, run("kunmap pfn:%lx", page_to_pfn(page)), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("refused"));
	__free_page(page);
}

/* The first line of vmallocinfo (on x86_64 with two CPUs: CPU 1's stack)
 * must survive vfree and iounmap, and the refusal names its owner. */
static void foreign_vmalloc_refused(struct ktest *t)
{
	char addr[32];
	KTEST_ASSERT_EQ(t, run("vmallocinfo"), MON_OK);
	KTEST_ASSERT_TRUE(t, word_after("", addr, sizeof(addr)));
	char *dash = strchr(addr, '-');
	if (dash)
		*dash = '\0';
	unsigned long areas = vmalloc_nr_areas();
	KTEST_EXPECT_EQ(t, run("vfree %s", addr), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("refused"));
	KTEST_EXPECT_TRUE(t, has("not created by the monitor"));
	KTEST_EXPECT_TRUE(t, has(" by "));                          /* its caller */
	KTEST_EXPECT_EQ(t, run("iounmap %s", addr), MON_FAILED);
	KTEST_EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	if (num_online_cpus() > 1) {
		/* smp_init vmallocs each AP's stack (on x86_64 the first line):
		 * find it in vmallocinfo's output; the refusal says whose. */
		char stack[32] = "";
		KTEST_ASSERT_EQ(t, run("vmallocinfo"), MON_OK);
		for (const char *l = out; *l && !stack[0]; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "") {
			char a[32];
			size_t n = 0;
			while (l[n] && l[n] != '-' && l[n] != '\n' && n + 1 < sizeof(a))
				a[n] = l[n], n++;
			a[n] = '\0';
			const struct stack_info *st = stack_lookup(hexval(a));
			if (n && st && !strcmp(st->name, "CPU 1 stack"))
				strlcpy(stack, a, sizeof(stack));
		}
		KTEST_ASSERT_TRUE(t, stack[0]);
		KTEST_EXPECT_EQ(t, run("vfree %s", stack), MON_FAILED);
		KTEST_EXPECT_TRUE(t, has("is the CPU 1 stack (vmalloc'd by "));
		KTEST_EXPECT_EQ(t, vmalloc_nr_areas(), areas);
	}
	/* A vmalloc of the test's own, and the inside of the monitor's own. */
	void *mine = vmalloc(8192);
	KTEST_ASSERT_NOT_NULL(t, mine);
	KTEST_EXPECT_EQ(t, run("vfree %p", mine), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("not created by the monitor"));
	KTEST_EXPECT_EQ(t, vmalloc_nr_areas(), areas + 1);
	vfree(mine);
	KTEST_ASSERT_EQ(t, run("vmalloc 8K"), MON_OK);
	KTEST_ASSERT_TRUE(t, word_after(" = ", addr, sizeof(addr)));
	KTEST_EXPECT_EQ(t, run("vfree %lx", hexval(addr) + PAGE_SIZE), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("inside the area at"));
	KTEST_EXPECT_EQ(t, run("vfree %s", addr), MON_OK);
	KTEST_EXPECT_EQ(t, run("vfree %lx", VMALLOC_START - PAGE_SIZE), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("not in the vmalloc area"));
	void *regs = ioremap(0xfee00000, PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, regs);
	KTEST_EXPECT_EQ(t, run("iounmap %p", regs), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("ioremap area"));
	iounmap(regs);
}

static void foreign_kmalloc_and_kmap_refused(struct ktest *t)
{
	void *obj = kmalloc(64, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, obj);
	memset(obj, 0x5a, 64);
	KTEST_EXPECT_EQ(t, run("kfree %p", obj), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("a live kmalloc object (64 bytes), not created by the monitor"));
	KTEST_EXPECT_EQ(t, ((unsigned char *)obj)[63], 0x5a);      /* untouched */
	kfree(obj);
	KTEST_EXPECT_EQ(t, run("kfree %p", (void *)_text), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("refused"));
	KTEST_EXPECT_EQ(t, run("kfree 0"), MON_FAILED);
	KTEST_EXPECT_EQ(t, run("kfree zzz"), MON_USAGE);
	KTEST_EXPECT_TRUE(t, has("kfree: address 'zzz': not a hex number"));

	char addr[32];
	KTEST_ASSERT_EQ(t, run("kmalloc 200"), MON_OK);
	KTEST_ASSERT_TRUE(t, word_after(" = ", addr, sizeof(addr)));
	KTEST_EXPECT_EQ(t, run("kfree %lx", hexval(addr) + 8), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("inside the object at"));
	KTEST_EXPECT_EQ(t, run("kfree %s", addr), MON_OK);

	struct page *page = alloc_page(GFP_HIGHUSER);
	KTEST_ASSERT_NOT_NULL(t, page);
	void *va = kmap(page);
	KTEST_EXPECT_EQ(t, run("kunmap pfn:%lx", page_to_pfn(page)), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("the kmap command holds no mapping of it"));
	KTEST_EXPECT_PTR_EQ(t, kmap(page), va);                     /* still mapped */
	kunmap(page);
	kunmap(page);
	__free_page(page);
}

/* One convention: hex addresses with or without 0x; sizes with K/M/G;
 * errors name the argument; runtime failures show no usage line. */
static void arguments_read_one_way(struct ktest *t)
{
	char a[sizeof(out)];
	KTEST_EXPECT_EQ(t, run("pt %lx", (unsigned long)_text), MON_OK);
	strlcpy(a, out, sizeof(a));
	KTEST_EXPECT_EQ(t, run("pt 0x%lx", (unsigned long)_text), MON_OK);
	KTEST_EXPECT_STREQ(t, a, out);
	KTEST_EXPECT_EQ(t, run("page 100000"), MON_OK);           /* phys 1 MiB */
	KTEST_EXPECT_TRUE(t, has("pfn 0x100 "));
	KTEST_EXPECT_EQ(t, run("page pfn:100"), MON_OK);
	KTEST_EXPECT_TRUE(t, has("pfn 0x100 "));
	KTEST_EXPECT_EQ(t, run("page pfn:0x100"), MON_OK);
	KTEST_EXPECT_TRUE(t, has("pfn 0x100 "));

	KTEST_EXPECT_EQ(t, run("kmalloc 1K"), MON_OK);
	KTEST_EXPECT_TRUE(t, has("ksize 1024"));
	KTEST_EXPECT_EQ(t, run("held release"), MON_OK);
	KTEST_EXPECT_TRUE(t, has("1 object made by the monitor, released"));
	KTEST_EXPECT_EQ(t, run("held"), MON_OK);
	KTEST_EXPECT_TRUE(t, has("held: 0 objects"));

	KTEST_EXPECT_EQ(t, run("kmalloc -5"), MON_USAGE);
	KTEST_EXPECT_TRUE(t, has("kmalloc: size '-5': negative"));
	KTEST_EXPECT_TRUE(t, has("usage: kmalloc <size>"));
	KTEST_EXPECT_EQ(t, run("kmalloc 99999999999999999999"), MON_USAGE);
	KTEST_EXPECT_TRUE(t, has("too large"));
	KTEST_EXPECT_EQ(t, run("kmalloc 12Q"), MON_USAGE);
	KTEST_EXPECT_TRUE(t, has("not a size"));
	KTEST_EXPECT_EQ(t, run("kmalloc"), MON_USAGE);
	KTEST_EXPECT_TRUE(t, has("kmalloc: missing argument"));
	KTEST_EXPECT_EQ(t, run("pt 1 2 3"), MON_USAGE);
	KTEST_EXPECT_TRUE(t, has("pt: too many arguments"));
	KTEST_EXPECT_EQ(t, run("mem now"), MON_USAGE);
	KTEST_EXPECT_EQ(t, run("page pfn:"), MON_USAGE);
	KTEST_EXPECT_TRUE(t, has("page: page 'pfn:'"));
	KTEST_EXPECT_EQ(t, run("page 0xg"), MON_USAGE);
	KTEST_EXPECT_TRUE(t, has("no hex digits after 0x"));

	/* Runtime failures: said, no usage line. */
	KTEST_EXPECT_EQ(t, run("kmalloc 3G"), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("failed"));
	KTEST_EXPECT_FALSE(t, has("usage:"));
	KTEST_EXPECT_EQ(t, run("page pfn:fffffff"), MON_FAILED);
	KTEST_EXPECT_TRUE(t, has("beyond max_pfn"));
	KTEST_EXPECT_FALSE(t, has("usage:"));
	KTEST_EXPECT_EQ(t, run("dread nodisk 0"), MON_FAILED);
	KTEST_EXPECT_FALSE(t, has("usage:"));
	/* An I/O error (sectors past ram0's end) is a runtime failure too,
	 * for every disk command that reads or writes. */
	static const char *const past_end[] = {
		"dread ram0 99999999 1", "dcrc ram0 99999999 8", "dplug ram0 99999999 8",
		"dwrite ram0 99999999 8 1",
	};
	for (unsigned int i = 0; i < ARRAY_SIZE(past_end); i++) {
		KTEST_EXPECT_EQ(t, run(past_end[i]), MON_FAILED);
		KTEST_EXPECT_TRUE(t, has("error") || has("EIO"));
		KTEST_EXPECT_FALSE(t, has("usage:"));
	}
}

/* Every command's usage parses to a sane arity; help shows the rule's words. */
static void usage_strings_are_contracts(struct ktest *t)
{
	for (const struct monitor_cmd *c = __monitor_cmds_start; c < __monitor_cmds_end; c++) {
		int min, max;
		monitor_usage_arity(c->usage, &min, &max);
		KTEST_EXPECT_LE(t, min, max);
		KTEST_EXPECT_LE(t, max, 4);
		KTEST_EXPECT_EQ(t, run("help %s", c->name), MON_OK);
	}
	KTEST_EXPECT_EQ(t, run("help page"), MON_OK);
	KTEST_EXPECT_TRUE(t, has("<phys|pfn:N>"));
}

static struct ktest_case monitor_args_cases[] = {
	KTEST_CASE(kmalloc_output_feeds_back),
	KTEST_CASE(vmalloc_output_feeds_back),
	KTEST_CASE(ioremap_output_feeds_back),
	KTEST_CASE(kmap_output_feeds_back),
	KTEST_CASE(foreign_vmalloc_refused),
	KTEST_CASE(foreign_kmalloc_and_kmap_refused),
	KTEST_CASE(arguments_read_one_way),
	KTEST_CASE(usage_strings_are_contracts),
	{}
};
KTEST_SUITE(monitor_args, monitor_args_cases);
