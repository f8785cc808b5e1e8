/* t_sysret: on x86_64, a system call whose return address is TASK_SIZE,
 * the first address user space cannot map: the `syscall` instruction sits
 * in the last two bytes of the highest user page. The kernel must not
 * return by sysret there (it only does for a user rip below TASK_SIZE; a
 * non-canonical one would fault in ring 0 on Intel) but by iret, which
 * faults in user mode: the process dies of SIGSEGV and the kernel goes on.
 * On i386 there is no sysret: it exits 3 and the ktest skips. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <pagoda/unistd.h>

#ifdef __x86_64__
#define TASK_SIZE 0x00007ffffffff000UL

/* Runs on a stack of its own: the top page it maps over was the top of
 * the program's stack (argv, main's frame). */
static __attribute__((noreturn, used)) void top_page_syscall(void)
{
	unsigned char *page = mmap((void *)(TASK_SIZE - 4096), 4096, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (page == MAP_FAILED) {
		printf("t_sysret: mmap of the top page failed\n");
		_exit(1);
	}
	page[4094] = 0x0f;                      /* syscall */
	page[4095] = 0x05;
	if (mprotect(page, 4096, PROT_READ | PROT_EXEC)) {
		printf("t_sysret: mprotect failed\n");
		_exit(1);
	}
	__asm__ __volatile__("jmp *%0" :: "r"(page + 4094), "a"((long)__NR_getpid) : "memory");
	__builtin_unreachable();
}
#endif

int main(void)
{
#ifdef __x86_64__
	char *stack = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED) {
		printf("t_sysret: no stack\n");
		return 1;
	}
	__asm__ __volatile__("movq %0, %%rsp\n\tcall top_page_syscall" :: "r"(stack + 65536) : "memory");
	return 2;                               /* not reached */
#else
	return 3;
#endif
}
