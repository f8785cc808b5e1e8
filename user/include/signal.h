/* Signals only end processes (no handlers yet): <pagoda/signal.h>. */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <pagoda/signal.h>

int kill(int pid, int sig);

#endif
