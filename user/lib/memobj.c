/* Memory objects (<pagoda_ipc.h>; system calls 74-77, 83-84). */
#include "syscall.h"
#include <pagoda_ipc.h>

int memobj_create(size_t size) { return (int)__syscall_ret(syscall1(__NR_memobj_create, size)); }

void *memobj_map(int mo, void *addr, size_t len, int prot, unsigned long offset)
{
	long r = syscall6(__NR_memobj_map, mo, (long)addr, (long)len, prot, (long)offset, 0);
	return (void *)__syscall_ret(r);
}

int memobj_from_user(void *addr, size_t len, int prot)
{
	return (int)__syscall_ret(syscall3(__NR_memobj_from_user, addr, len, prot));
}

long memobj_size(int mo) { return __syscall_ret(syscall1(__NR_memobj_size, mo)); }

int memobj_pager_create(size_t size, int ep, unsigned long badge)
{
	return (int)__syscall_ret(syscall3(__NR_memobj_pager_create, size, ep, badge));
}

int memobj_supply(int mo, unsigned long offset, const void *buf, size_t len)
{
	return (int)__syscall_ret(syscall4(__NR_memobj_supply, mo, offset, buf, len));
}
