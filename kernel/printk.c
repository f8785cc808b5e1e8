/*
 * printk: format, filter by level, copy into the log ring (for `dmesg`) and
 * write to the console. Interrupts are off while one message is written so
 * that an interrupt handler's message never lands in the middle of another.
 */
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <pagoda/cmdline.h>
#include <pagoda/smp.h>
#include <pagoda/panic.h>
#include <asm/processor.h>

int console_loglevel = LOGLEVEL_DEFAULT;
static void (*console_write)(const char *s, size_t n);

#define LOG_BUF_SIZE (16 * 1024)
static char log_buf[LOG_BUF_SIZE];
static size_t log_next;          /* total bytes ever logged */

void (*console_register(void (*write)(const char *s, size_t n)))(const char *, size_t)
{
	void (*old)(const char *, size_t) = console_write;
	console_write = write;
	return old;
}

/* While a capture buffer is set, printk output is also copied into it, so
 * a test can check what a command printed. */
static char *capture_buf;
static size_t capture_size, capture_len;

void console_capture_start(char *buf, size_t size)
{
	capture_buf = buf;
	capture_size = size;
	capture_len = 0;
	if (size)
		buf[0] = '\0';
}

size_t console_capture_stop(void)
{
	capture_buf = NULL;
	return capture_len;
}

static void capture(const char *s, size_t n)
{
	for (size_t i = 0; i < n && capture_len + 1 < capture_size; i++)
		capture_buf[capture_len++] = s[i];
	capture_buf[capture_len] = '\0';
}

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_next + i) % LOG_BUF_SIZE] = s[i];
	log_next += n;
}

/* Copy the newest part of the log ring into out through emit (for dmesg). */
void log_dump(void (*emit)(const char *s, size_t n))
{
	size_t start = log_next > LOG_BUF_SIZE ? log_next - LOG_BUF_SIZE : 0;
	for (size_t i = start; i < log_next;) {
		size_t pos = i % LOG_BUF_SIZE;
		size_t chunk = LOG_BUF_SIZE - pos;
		if (chunk > log_next - i)
			chunk = log_next - i;
		emit(&log_buf[pos], chunk);
		i += chunk;
	}
}

/*
 * One message at a time across CPUs. The lock remembers its owner CPU: a
 * fault inside printk on the same CPU (then a panic report) must not wait
 * for itself, and once a panic is under way a lock held by a CPU that was
 * stopped mid-message is taken over after a while.
 */
static volatile int printk_owner = -1;

static bool printk_lock(void)
{
	int me = smp_processor_id(), old;
	if (READ_ONCE(printk_owner) == me)
		return false;           /* nested on this CPU: already ours */
	for (unsigned long spins = 0;; spins++) {
		old = -1;
		if (__atomic_compare_exchange_n(&printk_owner, &old, me, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
		if (panic_in_progress && spins > 10000000UL) {
			__atomic_store_n(&printk_owner, me, __ATOMIC_RELAXED);
			return true;
		}
		cpu_relax();
	}
}

static void printk_unlock(void)
{
	__atomic_store_n(&printk_owner, -1, __ATOMIC_RELEASE);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	static int last_level = LOGLEVEL_DEFAULT;
	int level = LOGLEVEL_DEFAULT;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		else if (fmt[1] == 'c')
			level = last_level;     /* a continuation shares its line's fate */
		fmt += 2;
	}
	last_level = level;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n > (int)sizeof(buf) - 1) {
		n = sizeof(buf) - 1;
		buf[n - 1] = '\n';      /* truncated: still end the line */
	}

	unsigned long flags = local_irq_save();
	bool mine = printk_lock();
	log_store(buf, n);
	if (capture_buf)
		capture(buf, n);
	if (level <= console_loglevel && console_write)
		console_write(buf, n);
	if (mine)
		printk_unlock();
	local_irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static int setup_loglevel(const char *val)
{
	unsigned long long v;
	if (!val || parse_ulong(val, &v, false) || v > 7) {
		pr_err("cmdline: loglevel must be a number from 0 (emergencies only) to 7 (debug), got '%s'\n",
		       val ? val : "");
		return -1;
	}
	console_loglevel = (int)v;
	return 0;
}
CMDLINE_OPTION(loglevel, setup_loglevel, "console log level, 0-7 (default 6: info)");

void console_emit(const char *s, size_t n)
{
	if (console_write)
		console_write(s, n);
}
