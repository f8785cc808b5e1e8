/* The user library's pure parts of the fd layer on the host
 * (user/lib/path.c, fds.c, posix_crc.c): path canonicalization, the FDS
 * encoding that carries the fd table across execve, and the cksum CRC
 * against the host's own `cksum` (GNU coreutils) on generated files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hosttest.h"
#include "../../user/lib/path.c"
#include "../../user/lib/fds.c"
#include "../../user/lib/posix_crc.c"

static void test_canon(void)
{
	static const struct { const char *cwd, *path, *want; } t[] = {
		{ "/", "/", "/" },
		{ "/", "a", "/a" },
		{ "/a/b", "c", "/a/b/c" },
		{ "/a/b", "/c", "/c" },
		{ "/a/b", "..", "/a" },
		{ "/a/b", "../..", "/" },
		{ "/a/b", "../../../..", "/" },                 /* "/.." is "/" */
		{ "/", "..", "/" },
		{ "/a", ".", "/a" },
		{ "/a", "./", "/a" },
		{ "/", "//a//b///", "/a/b" },
		{ "/", "/a/./b/../c", "/a/c" },
		{ "/x", "a/../../y", "/y" },
		{ "/", "/mnt/sda/", "/mnt/sda" },
		{ "/", "...", "/..." },                          /* only "." and ".." are special */
		{ "/", "a/..b/.c", "/a/..b/.c" },
		{ "/mnt", "sda/../sdb/./f", "/mnt/sdb/f" },
	};
	char out[64];
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r = path_canon(t[i].cwd, t[i].path, out, sizeof(out));
		CHECKF(r == 0 && !strcmp(out, t[i].want), "cwd %s path %s: %d '%s', want '%s'", t[i].cwd,
		       t[i].path, r, r ? "" : out, t[i].want);
	}
	CHECK(path_canon("/", "", out, sizeof(out)) == -ENOENT);
	/* Size limits: exactly fitting, one short. */
	CHECK(path_canon("/", "abc", out, 5) == 0 && !strcmp(out, "/abc"));
	CHECK(path_canon("/", "abcd", out, 5) == -ENAMETOOLONG);
	CHECK(path_canon("/", "a/../b", out, 3) == 0 && !strcmp(out, "/b"));
	CHECK(path_canon("/", "/", out, 1) == -ENAMETOOLONG);
	char longcwd[300];
	memset(longcwd, 'x', sizeof(longcwd));
	longcwd[0] = '/';
	longcwd[sizeof(longcwd) - 1] = '\0';
	CHECK(path_canon(longcwd, "y", out, sizeof(out)) == -ENAMETOOLONG);
	CHECK(path_canon(longcwd, "/y", out, sizeof(out)) == 0 && !strcmp(out, "/y"));
}

static void test_fds(void)
{
	struct fd_entry t[FD_MAX] = { 0 }, back[FD_MAX];
	char buf[FD_MAX * 16];
	t[0].kind = t[1].kind = FD_CONSOLE;
	t[2] = (struct fd_entry){ .kind = FD_FILE, .handle = 1027 };
	t[5] = (struct fd_entry){ .kind = FD_PIPE, .handle = 7, .cloexec = 1 };
	t[63] = (struct fd_entry){ .kind = FD_FILE, .handle = 2147483647 };
	int n = fds_format(buf, sizeof(buf), t, FD_MAX);
	CHECKF(n > 0 && !strcmp(buf, "FDS=0:c,1:c,2:f1027,5:p7e,63:f2147483647"), "%s", buf);
	CHECK(n == (int)strlen(buf));
	CHECK(fds_parse(buf + 4, back, FD_MAX) == 0 && !memcmp(back, t, sizeof(t)));
	/* Too small: refused, never cut. */
	CHECK(fds_format(buf, 20, t, FD_MAX) == -1 && errno == ENAMETOOLONG);
	memset(t, 0, sizeof(t));
	CHECK(fds_format(buf, sizeof(buf), t, FD_MAX) == 4 && !strcmp(buf, "FDS="));
	static const char *const bad[] = {
		"", "0", "0:", "0:x", "0:f", "0:f0", "0:p", "x:c", "-1:c", "64:c", "0:c,", ",0:c", "0:c,0:c",
		"0:c;1:c", "0:f12x", "0:f99999999999", "0:ce,1", "0:cee", "1:c,,2:c",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(back, 0xff, sizeof(back));
		int r = fds_parse(bad[i], back, FD_MAX);
		int all_free = 1;
		for (int fd = 0; fd < FD_MAX; fd++)
			all_free &= back[fd].kind == FD_FREE;
		CHECKF(r == -1 && errno == EINVAL && all_free, "'%s' accepted", bad[i]);
	}
	CHECK(fds_parse(NULL, back, FD_MAX) == -1);
	CHECK(fds_parse("3:ce", back, FD_MAX) == 0 && back[3].kind == FD_CONSOLE && back[3].cloexec &&
	      back[0].kind == FD_FREE);
}

/* Our "CRC SIZE" of data against the host's cksum of the same file. */
static void check_cksum(const char *name, const unsigned char *data, size_t len)
{
	char path[] = "/tmp/pagoda-cksum-XXXXXX", cmd[128], want[128] = "", got[128];
	int fd = mkstemp(path);
	CHECK(fd >= 0 && write(fd, data, len) == (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "cksum < %s", path);
	FILE *p = popen(cmd, "r");
	CHECK(p && fgets(want, sizeof(want), p));
	if (p)
		pclose(p);
	unlink(path);
	unsigned int crc = posix_crc_final(posix_crc_update(0, data, len), len);
	snprintf(got, sizeof(got), "%u %zu\n", crc, len);
	CHECKF(!strcmp(got, want), "%s: ours %s the host's %s", name, got, want);
}

static void test_cksum(void)
{
	static unsigned char big[1 << 20];
	unsigned int x = 12345;
	for (size_t i = 0; i < sizeof(big); i++) {
		x = x * 1103515245 + 12345;
		big[i] = (unsigned char)(x >> 16);
	}
	check_cksum("empty", big, 0);
	check_cksum("one byte", big, 1);
	check_cksum("hello", (const unsigned char *)"hello world\n", 12);
	check_cksum("255 bytes", big, 255);
	check_cksum("256 bytes", big, 256);                     /* the length takes two bytes */
	check_cksum("65537 bytes", big, 65537);
	check_cksum("1 MiB", big, sizeof(big));
	/* In pieces as the program reads: the same CRC. */
	unsigned int crc = 0;
	for (size_t off = 0; off < sizeof(big); off += 4097)
		crc = posix_crc_update(crc, big + off, sizeof(big) - off < 4097 ? sizeof(big) - off : 4097);
	CHECK(posix_crc_final(crc, sizeof(big)) ==
	      posix_crc_final(posix_crc_update(0, big, sizeof(big)), sizeof(big)));
	/* POSIX's check value: "123456789" is 930766865 (0x377a6011). */
	CHECK(posix_crc_final(posix_crc_update(0, "123456789", 9), 9) == 930766865U);
}

int main(void)
{
	test_canon();
	test_fds();
	test_cksum();
	return ht_finish();
}
