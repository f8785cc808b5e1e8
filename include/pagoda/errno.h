/* Error numbers: functions return 0 or a negative errno, as in Linux. The
 * numbers are the ones user space sees (one list, in the uapi header). */
#ifndef PAGODA_ERRNO_H
#define PAGODA_ERRNO_H

#include <uapi/pagoda/errno.h>

const char *errname(int err);

#endif
