/*
 * vsnprintf: the one formatter behind printk, snprintf and the monitor.
 * Pure code (no kernel state): the host tests compile this same file.
 */
#include <pagoda/sprintf.h>
#include <pagoda/string.h>

int (*vsprintf_symbol_hook)(char *buf, size_t size, unsigned long addr);

struct out {
	char *buf;
	size_t size;
	size_t len;     /* what the full output would be */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };

/* Emit a string of len bytes in a field of width, honouring '-'. */
static void put_field(struct out *o, const char *s, int len, int width, int flags)
{
	if (!(flags & F_LEFT))
		pad(o, ' ', width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (flags & F_LEFT)
		pad(o, ' ', width - len);
}

static void put_number(struct out *o, unsigned long long v, bool negative, unsigned base,
		       bool upper, int width, int prec, int flags)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char sign = negative ? '-' : (flags & F_PLUS) ? '+' : (flags & F_SPACE) ? ' ' : 0;
	const char *prefix = "";

	if (flags & F_ALT) {
		if (base == 16 && v)
			prefix = upper ? "0X" : "0x";
		else if (base == 8)
			prefix = "0";
	}
	if (v == 0 && prec == 0)
		n = 0;
	else
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v);

	int zeros = prec > n ? prec - n : 0;
	/* '#' with octal only makes the first digit a 0: nothing to add when the
	 * precision's zeros or the value 0 itself already start with one. */
	if (base == 8 && *prefix && (zeros || (n && tmp[n - 1] == '0')))
		prefix = "";
	int total = n + zeros + (sign ? 1 : 0) + (int)strlen(prefix);
	if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0 && width > total) {
		zeros += width - total;
		total = width;
	}
	if (!(flags & F_LEFT))
		pad(o, ' ', width - total);
	if (sign)
		put(o, sign);
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		pad(o, ' ', width - total);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		const char *start = fmt++;
		int flags = 0, width = -1, prec = -1;

		for (;; fmt++) {
			if (*fmt == '-') flags |= F_LEFT;
			else if (*fmt == '0') flags |= F_ZERO;
			else if (*fmt == '+') flags |= F_PLUS;
			else if (*fmt == ' ') flags |= F_SPACE;
			else if (*fmt == '#') flags |= F_ALT;
			else break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
				width = width * 10 + (*fmt - '0');
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				for (prec = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
					prec = prec * 10 + (*fmt - '0');
			}
		}
		/* Length: 0 int, 1 long, 2 long long, 3 size_t/ptrdiff_t, -1 short, -2 char. */
		int lmod = 0;
		if (*fmt == 'l') {
			lmod = 1;
			if (*++fmt == 'l') {
				lmod = 2;
				fmt++;
			}
		} else if (*fmt == 'z' || *fmt == 't') {
			lmod = 3;
			fmt++;
		} else if (*fmt == 'h') {
			lmod = -1;
			if (*++fmt == 'h') {
				lmod = -2;
				fmt++;
			}
		}

		unsigned long long u;
		long long s;
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lmod == 2 ? va_arg(ap, long long) : lmod == 1 ? va_arg(ap, long) :
			    lmod == 3 ? (long long)va_arg(ap, ssize_t) : va_arg(ap, int);
			if (lmod == -1) s = (short)s;
			if (lmod == -2) s = (signed char)s;
			put_number(&o, s < 0 ? -(unsigned long long)s : (unsigned long long)s, s < 0,
				   10, false, width, prec, flags);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lmod == 2 ? va_arg(ap, unsigned long long) : lmod == 1 ? va_arg(ap, unsigned long) :
			    lmod == 3 ? va_arg(ap, size_t) : va_arg(ap, unsigned int);
			if (lmod == -1) u = (unsigned short)u;
			if (lmod == -2) u = (unsigned char)u;
			put_number(&o, u, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X',
				   width, prec, flags & ~(F_PLUS | F_SPACE));
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_field(&o, &c, 1, width, flags);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			int len = (int)strnlen(str, prec >= 0 ? (size_t)prec : (size_t)-1);
			put_field(&o, str, len, width, flags);
			break;
		}
		case 'p': {
			unsigned long p = (unsigned long)va_arg(ap, void *);
			if ((fmt[1] == 'S' || fmt[1] == 's') && vsprintf_symbol_hook) {
				char sym[128];
				int len = vsprintf_symbol_hook(sym, sizeof(sym), p);
				if (len > (int)sizeof(sym) - 1)
					len = sizeof(sym) - 1;
				put_field(&o, sym, len, width, flags);
				fmt++;
				break;
			}
			if (fmt[1] == 'S' || fmt[1] == 's')
				fmt++;
			/* Always the full width of a pointer: addresses line up in logs. */
			put_number(&o, p, false, 16, false, width, (int)sizeof(void *) * 2, flags & F_LEFT);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown conversion: print it verbatim so the mistake is visible. */
			for (const char *p = start; p <= fmt && *p; p++)
				put(&o, *p);
			if (!*fmt)
				fmt--;
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
