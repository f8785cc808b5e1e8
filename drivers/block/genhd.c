/* The registry of disks and the `disks` command. */
#include <pagoda/blkdev.h>
#include <pagoda/errno.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

static struct gendisk *disks[MAX_DISKS];

int add_disk(struct gendisk *disk)
{
	int free = -1;
	for (int i = 0; i < MAX_DISKS; i++) {
		if (disks[i] && !strcmp(disks[i]->disk_name, disk->disk_name))
			return -EEXIST;
		if (!disks[i] && free < 0)
			free = i;
	}
	if (free < 0)
		return -ENOSPC;
	disks[free] = disk;
	pr_info("%s: %llu sectors (%llu MiB)\n", disk->disk_name, (unsigned long long)disk->capacity,
		(unsigned long long)(disk->capacity >> 11));
	return 0;
}

void del_gendisk(struct gendisk *disk)
{
	for (int i = 0; i < MAX_DISKS; i++)
		if (disks[i] == disk)
			disks[i] = NULL;
}

struct gendisk *get_disk_by_name(const char *name)
{
	for (int i = 0; i < MAX_DISKS; i++)
		if (disks[i] && !strcmp(disks[i]->disk_name, name))
			return disks[i];
	return NULL;
}

int disk_count(void)
{
	int n = 0;
	for (int i = 0; i < MAX_DISKS; i++)
		n += disks[i] != NULL;
	return n;
}

struct gendisk *disk_at(int index)
{
	for (int i = 0; i < MAX_DISKS; i++)
		if (disks[i] && index-- == 0)
			return disks[i];
	return NULL;
}

void sd_disk_name(char *buf, int index)
{
	strlcpy(buf, "sda", 4);
	buf[2] = (char)('a' + index);
}

static int cmd_disks(int argc, char **argv)
{
	printk("name      sectors       MiB  block  max-req  segs  seg-size  reads  writes  errors  merges\n");
	for (int i = 0; i < MAX_DISKS; i++) {
		struct gendisk *d = disks[i];
		if (!d)
			continue;
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
