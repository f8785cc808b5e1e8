/*
 * Which handle is which: the HANDLES environment convention of
 * <pagoda/ipc.h>. A process gets its handles from its creator (fork copies
 * the table, exec keeps it) and their names in the environment variable
 * HANDLES, "name:h,name:h" (e.g. "HANDLES=devroot:1024,console:2049").
 *
 * The grammar, strictly: one or more entries separated by single commas;
 * an entry is a name (1 to HANDLE_NAME_MAX bytes of letters, digits, '_',
 * '-' and '.') a colon and a handle (decimal digits, no sign, 1 to
 * INT_MAX). A string that breaks it anywhere, or names a handle twice, is
 * malformed as a whole: a typo never quietly resolves to a wrong handle.
 */
#ifndef _PAGODA_HANDLES_H
#define _PAGODA_HANDLES_H

#include <stddef.h>

#define HANDLE_NAME_MAX 31

/* The endpoint a server started by init serves (with RIGHT_RECEIVE), in
 * the server's own HANDLES; its clients know it by the service's name
 * ("console", "blk0"). Never the client's name: the server's own stdout
 * must not be a request to itself. */
#define HANDLE_SERVER "server"

/* The handle called name in HANDLES, or -1 with errno ENOENT (no such name,
 * or no HANDLES at all) or EINVAL (HANDLES is malformed). */
int handle_named(const char *name);

/* The same lookup in a given list (the value, without "HANDLES="). */
int handles_lookup(const char *list, const char *name);

/* One entry of a list to build. */
struct handle_name {
	const char *name;
	int handle;
};

/* Write "HANDLES=name:h,..." for the n entries into buf, terminated: the
 * envp string for a child. Returns its length, or -1 with errno EINVAL (a
 * name outside the grammar, a handle < 1, a name twice, n < 1) or
 * ENAMETOOLONG (it does not fit in size). */
int handles_format(char *buf, size_t size, const struct handle_name *names, int n);

#endif
