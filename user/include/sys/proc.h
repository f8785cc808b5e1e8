/* proc_stat: what ps shows of one process (<pagoda/proc.h>); pid 0 is the
 * caller, PROC_STAT_NEXT walks the list:
 *   for (pid = 1; proc_stat(pid, &st, PROC_STAT_NEXT) > 0; pid = st.pid + 1) */
#ifndef _SYS_PROC_H
#define _SYS_PROC_H

#include <pagoda/proc.h>

int proc_stat(int pid, struct proc_stat *st, int flags);

#endif
