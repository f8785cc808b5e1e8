/*
 * ext2_host.h - what the ext2 host tests share: an image held in memory
 * and mounted through it (read, write, log, clock), and the
 * host's tools run on the result (e2fsck, debugfs, dumpe2fs). Included by
 * one test_*.c each (every test is one translation unit, after
 * ext2_lib.h); static inline so a test need not use all of it.
 */
#ifndef EXT2_HOST_H
#define EXT2_HOST_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/wait.h>
#include "hosttest.h"

#define NOW 1700000000u

static char out_dir[4096];

struct image {
	uint8_t *data;
	size_t size;
	struct ext2_fs *fs;
	char log[2048];
	int writes;
};

static inline int img_read(void *ctx, unsigned long long block, void *buf)
{
	struct image *im = ctx;
	unsigned long long bs = im->fs->block_size;
	if ((block + 1) * bs > im->size)
		return -EIO;
	memcpy(buf, im->data + block * bs, bs);
	return 0;
}

static inline int img_write(void *ctx, unsigned long long block, const void *buf)
{
	struct image *im = ctx;
	unsigned long long bs = im->fs->block_size;
	if ((block + 1) * bs > im->size)
		return -EIO;
	memcpy(im->data + block * bs, buf, bs);
	im->writes++;
	return 0;
}

static inline void img_log(void *ctx, const char *msg)
{
	struct image *im = ctx;
	size_t have = strlen(im->log), n = strlen(msg);
	if (have + n + 2 > sizeof(im->log))
		have = 0;
	memcpy(im->log + have, msg, n);
	im->log[have + n] = '\n';
	im->log[have + n + 1] = '\0';
	if (getenv("EXT2_VERBOSE"))
		fprintf(stderr, "  log: %s\n", msg);
}

static inline void *img_alloc(void *ctx, size_t size)
{
	return malloc(size);
}

static inline void img_free(void *ctx, void *p)
{
	free(p);
}

static inline uint32_t img_now(void *ctx)
{
	return NOW;
}

static const struct ext2_ops rw_ops = {
	.read_block = img_read, .write_block = img_write, .log = img_log,
	.alloc = img_alloc, .free = img_free, .now = img_now,
};


static inline int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int sh(const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A command's output (at most size - 1 bytes). */
static inline void capture(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static inline void capture(char *out, size_t size, const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	size_t n = p ? fread(out, 1, size - 1, p) : 0;
	out[n] = '\0';
	if (p)
		pclose(p);
}

static inline int load(struct image *im, const char *path)
{
	memset(im, 0, sizeof(*im));
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	im->size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	im->data = malloc(im->size);
	size_t got = fread(im->data, 1, im->size, f);
	fclose(f);
	im->fs = calloc(1, sizeof(*im->fs));
	return got == im->size ? 0 : -1;
}

static inline void save(struct image *im, const char *path)
{
	FILE *f = fopen(path, "wb");
	CHECKF(f && fwrite(im->data, 1, im->size, f) == im->size, "save %s", path);
	if (f)
		fclose(f);
	free(im->data);
	free(im->fs);
}

/* e2fsck -fn: 0, nothing found. */
static inline void fsck_clean(const char *img, const char *what)
{
	char out[8192];
	capture(out, sizeof(out), "e2fsck -fn %s 2>&1; echo \"exit $?\"", img);
	CHECKF(strstr(out, "\nexit 0\n") != NULL, "%s: e2fsck -fn %s:\n%s", what, img, out);
}


static inline void pattern(uint8_t *buf, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
}


/* out_dir := build/host/<sub>, from the test source's place; the sbin
 * tools on PATH; e2fsprogs' clock fixed, so every run makes the same
 * images. Returns the source's directory (tests/host). */
static inline const char *ext2_host_init(const char *file, const char *sub)
{
	static char here[4096], path_env[8192];
	snprintf(path_env, sizeof(path_env), "%s:/usr/sbin:/sbin",
		 getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", path_env, 1);
	setenv("E2FSPROGS_FAKE_TIME", "1700000000", 1);
	setenv("MKE2FS_DETERMINISTIC", "1", 1);
	snprintf(here, sizeof(here), "%s", file);
	*strrchr(here, '/') = '\0';
	snprintf(out_dir, sizeof(out_dir), "%s/../../build/host/%s", here, sub);
	sh("mkdir -p %s", out_dir);
	return here;
}

#endif
