/* Helpers shared by the suites that check monitor commands and the memmap
 * walk (ktest_observe.h). */
#include <pagoda/memmap.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <stdarg.h>
#include "ktest_observe.h"

int ktest_monitor(char *out, size_t size, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_capture_start(out, size);
	int ret = monitor_exec(line);
	console_capture_stop();
	return ret;
}

struct pfn_probe {
	unsigned long pfn;
	struct ktest_pfn_state *st;
};

static void pfn_probe_emit(unsigned long start, unsigned long count, const char *state,
			   const char *detail, void *arg)
{
	struct pfn_probe *p = arg;
	if (p->pfn >= start && p->pfn < start + count) {
		strlcpy(p->st->state, state, sizeof(p->st->state));
		strlcpy(p->st->detail, detail ? detail : "", sizeof(p->st->detail));
	}
}

void ktest_memmap_state(unsigned long pfn, struct ktest_pfn_state *st)
{
	struct pfn_probe p = { .pfn = pfn, .st = st };
	memset(st, 0, sizeof(*st));
	memmap_walk(pfn_probe_emit, &p);
}
