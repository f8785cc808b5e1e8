/* strlcpy: a bounded copy that always terminates. In a file of its own so
 * the host tests can compile it too (glibc before 2.38 has none). */
#include <pagoda/string.h>

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
