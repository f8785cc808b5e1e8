/*
 * `disks`: every block device with its capacity, queue limits and I/O counts.
 */
#include <pagoda/blkdev.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>

static int cmd_disks(int argc, char **argv)
{
	printk("name      sectors       MiB  block  max-req  segs  seg-size  reads  writes  errors  merges\n");
	struct gendisk *d;
	for (int i = 0; (d = disk_at(i)); i++) {
		const struct queue_limits *l = &d->limits;
		printk("%-8s %9llu %8llu  %5u  %6uK  %4u  %7uK  %5lu  %6lu  %6lu  %6lu\n", d->disk_name,
		       (unsigned long long)d->capacity, (unsigned long long)(d->capacity >> 11),
		       l->logical_block_size, l->max_hw_sectors / 2, l->max_segments,
		       l->max_segment_size >> 10, d->reads, d->writes, d->errors, d->merges);
		if (d->fops->describe) {
			char desc[128];
			d->fops->describe(d, desc, sizeof(desc));
			printk("         %s\n", desc);
		}
	}
	if (!disk_count())
		printk("no disks\n");
	return 0;
}
MONITOR_CMD(disks, cmd_disks, "", "block devices: capacity, queue limits, I/O and merge counts");
