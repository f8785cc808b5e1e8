/*
 * The per-process buffer of large reads and writes: one memory object,
 * mapped here and lent to the server for each request (FS_IO_MEMOBJ), so
 * a 64 KiB read() is one message, not sixteen. fork shares mappings of
 * a memory object, so a child sharing it would race its parent: the
 * buffer belongs to the pid that made it, and a child makes its own.
 */
#include <pagoda_ipc.h>
#include <sys/mman.h>
#include <unistd.h>
#include "iobuf.h"

static int io_mo;
static void *io_va;
static pid_t io_pid;

void *iobuf_get(int *mo)
{
	pid_t me = getpid();
	if (io_mo && io_pid != me) {
		munmap(io_va, IOBUF_SIZE);      /* the parent's: let go of it here */
		handle_close(io_mo);
		io_mo = 0;
	}
	if (!io_mo) {
		int h = memobj_create(IOBUF_SIZE);
		if (h < 0)
			return NULL;
		void *va = memobj_map(h, 0, IOBUF_SIZE, PROT_READ | PROT_WRITE, 0);
		if (va == (void *)-1) {
			handle_close(h);
			return NULL;
		}
		io_mo = h;
		io_va = va;
		io_pid = me;
	}
	*mo = io_mo;
	return io_va;
}
