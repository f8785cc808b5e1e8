/* t_trap KIND: commit one user-mode fault for the proc ktests (tests/ktest/
 * proc.c); the kernel must report it and end this process with Linux's
 * signal, then go on. Exits 0 only if the fault did not happen. */
#include <stdio.h>
#include <string.h>

#ifdef __x86_64__
#define SP_REG "rsp"
#else
#define SP_REG "esp"
#endif

static volatile int zero;

int main(int argc, char **argv)
{
	const char *k = argc > 1 ? argv[1] : "";
	if (!strcmp(k, "de")) {                 /* #DE: SIGFPE */
		/* In asm: the compiler rewrites 1 / x without a division. */
		int q = 1, d = zero;
		__asm__ __volatile__("cltd\n\tidivl %1" : "+a"(q) : "r"(d) : "edx", "cc");
	} else if (!strcmp(k, "ud")) {          /* #UD: SIGILL */
		__asm__ __volatile__("ud2");
	} else if (!strcmp(k, "gp")) {          /* #GP, a privileged instruction: SIGSEGV */
		__asm__ __volatile__("hlt");
	} else if (!strcmp(k, "bp")) {          /* #BP, int3: SIGTRAP */
		__asm__ __volatile__("int3");
	} else if (!strcmp(k, "ac")) {          /* #AC, EFLAGS.AC and an unaligned load: SIGBUS */
		static char buf[16];
		__asm__ __volatile__("pushf\n\torl $0x40000, (%%" SP_REG ")\n\tpopf" ::: "memory", "cc");
		volatile int *p = (volatile int *)(buf + 1);
		(void)*p;
		__asm__ __volatile__("pushf\n\tandl $~0x40000, (%%" SP_REG ")\n\tpopf" ::: "memory", "cc");
		printf("t_trap ac: no alignment check from this CPU\n");
		return 4;
	} else if (!strcmp(k, "segv")) {        /* a write to page 0: SIGSEGV */
		*(volatile int *)0 = 1;
	} else {
		printf("usage: t_trap de|ud|gp|bp|ac|segv\n");
		return 2;
	}
	printf("t_trap %s: the fault did not happen\n", k);
	return 0;
}
