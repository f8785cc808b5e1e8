/* Signals only end processes (no handlers yet): <pagoda/signal.h>. */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <pagoda/signal.h>

int kill(int pid, int sig);
/* "SIGKILL" for SIGKILL: the name a log line shows ("SIG?" if unknown). */
const char *signame(int sig);

#endif
