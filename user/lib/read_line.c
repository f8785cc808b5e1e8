/*
 * read_line: the console's line editor, in the program as a terminal's
 * line discipline would be in the kernel (there is no tty layer: the
 * console passes raw bytes, from consd or debug_read). What is typed is
 * echoed; the line is handed over at Enter.
 */
#include <unistd.h>

static void echo(const char *s, size_t n)
{
	write(STDOUT_FILENO, s, n);
}

int read_line(char *buf, size_t size)
{
	size_t n = 0;
	for (;;) {
		char c;
		if (read(STDIN_FILENO, &c, 1) != 1)
			return -1;
		switch (c) {
		case '\r':
		case '\n':
			echo("\n", 1);
			buf[n] = '\0';
			return (int)n;
		case 0x7f:                      /* DEL, what the backspace key sends */
		case '\b':
			if (n) {
				n--;
				echo("\b \b", 3);
			}
			break;
		case 0x15:                      /* ^U: erase the line */
			for (; n; n--)
				echo("\b \b", 3);
			break;
		case 0x03:                      /* ^C: abandon it */
			echo("^C\n", 3);
			buf[0] = '\0';
			return 0;
		case 0x04:                      /* ^D: the end of input, at a line's start */
			if (!n) {
				buf[0] = '\0';
				return -1;
			}
			break;
		default:
			if ((unsigned char)c >= ' ' && c != 0x7f && n + 1 < size) {
				buf[n++] = c;
				echo(&c, 1);
			}
		}
	}
}
