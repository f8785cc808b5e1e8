/*
 * __libc_start_main: called by _start (arch/crt0_*.S) with the initial
 * stack pointer, which points at argc; argv follows, then its NULL, then
 * envp and its NULL (System V ABI). Sets up the fd table and the cwd from
 * the environment (FDS, PWD: fd.c), runs main and exits with its result.
 */
#include <stdlib.h>
#include <unistd.h>
#include "fd.h"

int main(int argc, char **argv, char **envp);

char **environ;

__attribute__((noreturn, used)) void __libc_start_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	environ = envp;
	__fd_init(envp);
	exit(main(argc, argv, envp));
}
