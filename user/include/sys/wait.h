/* wait: the status word and its macros are Linux's (<pagoda/wait.h>). */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <pagoda/wait.h>

int wait4(int pid, int *status, int options, void *rusage);
int waitpid(int pid, int *status, int options);
int wait(int *status);

#endif
