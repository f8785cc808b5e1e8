/* device_root_check (<pagoda/ipc.h>): the device root's authority, for
 * services outside kernel/ipc that it unlocks (blkdev_open). */
#include "device_internal.h"

long device_root_check(int h, u32 need)
{
	long err;
	struct device_obj *d = device_get(h, need, true, &err);
	if (!d)
		return err;
	kobj_put(&d->obj);
	return 0;
}
