/*
 * mmap of a file (<sys/mman.h>; docs/filesystem.md "Memory-mapped
 * files"): FS_MMAP asks the file's server for a memory object of its
 * pages, which the server pages in on demand (it is the object's pager),
 * and the object is mapped. Read-only: the server's object gives no write
 * right, so PROT_WRITE is EACCES, as Linux says for a file opened
 * read-only; MAP_PRIVATE and MAP_SHARED then look the same. Past the
 * file's last page the range is reserved but not readable (SIGSEGV where
 * Linux would give SIGBUS).
 */
#include <errno.h>
#include <pagoda/fs.h>
#include <pagoda_fd.h>
#include <pagoda_ipc.h>
#include <sys/mman.h>
#include "syscall.h"

#define PAGE 4096UL

void *__mmap_file(void *addr, size_t len, int prot, int flags, int fd, long offset)
{
	if (!len || offset < 0 || (offset & (PAGE - 1)) || !(flags & (MAP_SHARED | MAP_PRIVATE))) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if (prot & PROT_WRITE) {
		errno = EACCES;
		return MAP_FAILED;
	}
	int h = fd_handle(fd);
	if (h < 0)
		return MAP_FAILED;
	struct fs_msg m = { .label = FS_MMAP };
	if (fs_call(h, &m) < 0)
		return MAP_FAILED;
	int mo = m.handle;
	long size = memobj_size(mo);
	len = (len + PAGE - 1) & ~(PAGE - 1);
	size_t in_file = size > offset ? (size_t)(size - offset) : 0;
	if (in_file > len)
		in_file = len;
	/* The whole range first, so that the part past the file is ours too
	 * and a later munmap of len never takes a neighbour's pages. */
	void *base = (void *)__syscall_ret(syscall6(__NR_mmap, (long)addr, (long)len, PROT_NONE,
						    MAP_PRIVATE | MAP_ANONYMOUS | (flags & MAP_FIXED), -1, 0));
	if (base != MAP_FAILED && in_file &&
	    memobj_map(mo, base, in_file, prot & (PROT_READ | PROT_EXEC), (unsigned long)offset) == MAP_FAILED) {
		int e = errno;
		munmap(base, len);
		errno = e;
		base = MAP_FAILED;
	}
	int e = errno;
	handle_close(mo);               /* the mapping holds the object */
	errno = e;
	return base;
}
