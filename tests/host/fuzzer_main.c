/*
 * fuzzer_main.c - a stand-in for libFuzzer's main(), linked with a
 * fuzz_<name>.c when clang's libFuzzer is not available (the Makefile
 * decides).  Built with gcc and ASan/UBSan, so the target still runs under
 * the sanitizers; it takes the same command line as libFuzzer:
 *
 *   fuzz_x FILE...          run the target once on each file
 *   fuzz_x [-flags] DIR...  run it on every file in the DIRs, then on
 *                           mutations of them and on random inputs, from a
 *                           fixed seed, until -runs=N or -max_total_time=S
 *
 * Flags: -runs=N, -max_total_time=S, -seed=N, -max_len=N, -artifact_prefix=P;
 * other -flags are accepted and ignored.  A sanitizer report or an abort()
 * ends the run (non-zero exit) after writing the input to <P>crash-driver;
 * run the program on that file to reproduce.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sanitizer/common_interface_defs.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	uint8_t *data;
	size_t size;
};

static struct input *corpus;
static size_t ncorpus;
static uint64_t rng_state;

/* The input being run, saved when the target dies. */
static const uint8_t *cur_data;
static size_t cur_size;
static char crash_path[4096] = "crash-driver";

static void save_crash(void)
{
	static volatile sig_atomic_t saved;
	if (saved || !cur_data)
		return;
	saved = 1;
	int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		ssize_t w = write(fd, cur_data, cur_size);
		close(fd);
		(void)w;
		static const char msg[] = "fuzzer_main: crashing input saved\n";
		w = write(2, msg, sizeof(msg) - 1);
	}
}

static void on_signal(int sig)
{
	save_crash();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void run_one(const uint8_t *data, size_t size)
{
	cur_data = data;
	cur_size = size;
	LLVMFuzzerTestOneInput(data, size);
	cur_data = NULL;
}

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static size_t below(size_t n)
{
	return n ? rnd() % n : 0;
}

static int read_file(const char *path, struct input *in)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 4096;
	in->data = malloc(cap);
	in->size = 0;
	for (;;) {
		if (in->size == cap)
			in->data = realloc(in->data, cap *= 2);
		size_t n = fread(in->data + in->size, 1, cap - in->size, f);
		if (!n)
			break;
		in->size += n;
	}
	fclose(f);
	return 0;
}

static void add_file(const char *path)
{
	struct input in;
	if (read_file(path, &in)) {
		fprintf(stderr, "fuzzer_main: cannot read %s\n", path);
		exit(2);
	}
	corpus = realloc(corpus, (ncorpus + 1) * sizeof(*corpus));
	corpus[ncorpus++] = in;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file in dir, in name order (the run is reproducible). */
static void add_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		fprintf(stderr, "fuzzer_main: cannot open %s\n", dir);
		exit(2);
	}
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(path);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		add_file(names[i]);
		free(names[i]);
	}
	free(names);
}

static uint32_t interesting32(size_t len, size_t off)
{
	static const uint32_t v[] = { 0, 1, 4, 7, 8, 9, 12, 15, 16, 17, 20, 23, 24, 28, 32, 36,
				      64, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffff8,
				      0xfffffff9, 0xffffffff };
	switch (below(4)) {
	case 0: return (uint32_t)len;
	case 1: return (uint32_t)(len - off);
	case 2: return (uint32_t)(len - off + below(17) - 8);
	default: return v[below(sizeof(v) / sizeof(v[0]))];
	}
}

/* Mutate buf (len bytes of cap) in place; returns the new length. */
static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
	int n = 1 + below(6);
	while (n--) {
		switch (below(8)) {
		case 0:         /* flip a bit */
			if (len)
				buf[below(len)] ^= 1u << below(8);
			break;
		case 1:         /* a random byte */
			if (len)
				buf[below(len)] = rnd();
			break;
		case 2:         /* an interesting 32-bit word at an aligned offset */
		case 3:
			if (len >= 4) {
				size_t off = below(len / 4) * 4;
				uint32_t v = interesting32(len, off);
				memcpy(buf + off, &v, 4);
			}
			break;
		case 4:         /* truncate */
			len = below(len + 1);
			break;
		case 5:         /* append random bytes */
			for (size_t k = below(32); k-- && len < cap;)
				buf[len++] = rnd();
			break;
		case 6:         /* copy a chunk over another place */
			if (len) {
				size_t from = below(len), to = below(len), m = below(len) + 1;
				if (from + m > len) m = len - from;
				if (to + m > len) m = len - to;
				memmove(buf + to, buf + from, m);
			}
			break;
		case 7:         /* insert 8 zero bytes at an 8-aligned offset */
			if (len + 8 <= cap) {
				size_t off = below(len / 8 + 1) * 8;
				memmove(buf + off + 8, buf + off, len - off);
				memset(buf + off, 0, 8);
				len += 8;
			}
			break;
		}
	}
	/* often keep total_size in step with the length, to get past it */
	if (len >= 4 && below(2)) {
		uint32_t v = (uint32_t)len;
		memcpy(buf, &v, 4);
	}
	return len;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long long runs = ~0ull, seed = 1;
	double max_time = 0;
	size_t max_len = 4096;
	int dirs = 0, files = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		struct stat st;
		if (a[0] == '-') {
			if (!strncmp(a, "-runs=", 6))
				runs = strtoull(a + 6, NULL, 0);
			else if (!strncmp(a, "-max_total_time=", 16))
				max_time = strtod(a + 16, NULL);
			else if (!strncmp(a, "-seed=", 6))
				seed = strtoull(a + 6, NULL, 0);
			else if (!strncmp(a, "-max_len=", 9))
				max_len = strtoull(a + 9, NULL, 0);
			else if (!strncmp(a, "-artifact_prefix=", 17))
				snprintf(crash_path, sizeof(crash_path), "%scrash-driver", a + 17);
			continue;
		}
		if (stat(a, &st)) {
			fprintf(stderr, "fuzzer_main: no such file or directory: %s\n", a);
			return 2;
		}
		if (S_ISDIR(st.st_mode)) {
			add_dir(a);
			dirs++;
		} else {
			add_file(a);
			files++;
		}
	}

	__sanitizer_set_death_callback(save_crash);
	signal(SIGABRT, on_signal);
	signal(SIGSEGV, on_signal);

	/* every corpus input as it is */
	for (size_t i = 0; i < ncorpus; i++)
		run_one(corpus[i].data, corpus[i].size);
	if (!dirs) {
		printf("fuzzer_main: ran %zu inputs\n", ncorpus);
		return 0;
	}

	rng_state = seed ? seed : 1;
	if (!max_len)
		max_len = 4096;
	uint8_t *buf = malloc(max_len);
	double start = now();
	unsigned long long n = 0;
	printf("fuzzer_main: seed %llu, %zu corpus inputs, max_len %zu\n", seed, ncorpus, max_len);
	for (; n < runs; n++) {
		if ((n & 255) == 0 && max_time > 0 && now() - start >= max_time)
			break;
		size_t len;
		if (!ncorpus || below(10) == 0) {
			/* random bytes, often with a matching total_size */
			len = below(below(8) ? 256 : max_len + 1);
			for (size_t k = 0; k < len; k++)
				buf[k] = below(4) ? 0 : rnd();
			if (len >= 4 && below(2)) {
				uint32_t v = (uint32_t)len;
				memcpy(buf, &v, 4);
			}
		} else {
			const struct input *in = &corpus[below(ncorpus)];
			len = in->size < max_len ? in->size : max_len;
			memcpy(buf, in->data, len);
			len = mutate(buf, len, max_len);
		}
		run_one(buf, len);
	}
	printf("Done %llu runs in %.1f second(s)\n", n, now() - start);
	free(buf);
	for (size_t i = 0; i < ncorpus; i++)
		free(corpus[i].data);
	free(corpus);
	return 0;
}
