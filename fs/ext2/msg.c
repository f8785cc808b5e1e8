/*
 * msg.c - the messages of a refusal or a corruption, formatted here: the
 * library runs where no printf exists (a freestanding server) and must
 * name the inode or block that is wrong.
 */
#include <stdarg.h>
#include "internal.h"

#define MSG_MAX 200

struct out {
	char *p, *end;
};

static void put(struct out *o, char c)
{
	if (o->p < o->end)
		*o->p++ = c;
}

static void put_num(struct out *o, unsigned long long v, unsigned int base)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		put(o, digits[--n]);
}

void ext2_msg(struct ext2_fs *fs, const char *fmt, ...)
{
	if (!fs->ops || !fs->ops->log)
		return;
	char buf[MSG_MAX];
	struct out o = { buf, buf + sizeof(buf) - 1 };
	va_list ap;
	va_start(ap, fmt);
	const char *prefix = "ext2: ";
	while (*prefix)
		put(&o, *prefix++);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f++;
		int longs = 0;
		while (*f == 'l') {
			longs++;
			f++;
		}
		switch (*f) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			while (s && *s)
				put(&o, *s++);
			break;
		}
		case 'u':
		case 'o':
		case 'x': {
			unsigned long long v = longs == 0 ? va_arg(ap, unsigned int)
					     : longs == 1 ? va_arg(ap, unsigned long)
					     : va_arg(ap, unsigned long long);
			put_num(&o, v, *f == 'x' ? 16 : *f == 'o' ? 8 : 10);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:	/* not a format this file knows: stop, never guess an argument */
			goto done;
		}
	}
done:
	va_end(ap);
	*o.p = '\0';
	fs->ops->log(fs->ctx, buf);
}
