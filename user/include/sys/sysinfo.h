/* sysinfo: machine-wide figures (<pagoda/proc.h>: free pages, CPUs,
 * processes, uptime), the kernel's own layout rather than Linux's. */
#ifndef _SYS_SYSINFO_H
#define _SYS_SYSINFO_H

#include <pagoda/proc.h>

int sysinfo(struct sysinfo *info);

#endif
