/* The registry of disks and the `disks` command. */
#include <pagoda/blkdev.h>
#include <pagoda/errno.h>
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
