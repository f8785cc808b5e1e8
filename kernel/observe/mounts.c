/*
 * `mounts`: the kernel's mount table (kernel/fs/mount.c): each mount's
 * id, path, source, file-system type, flags and its endpoint's state (a
 * kernel-served one says so). `handles <pid>` marks the handles that
 * name a mounted endpoint.
 */
#include <pagoda/monitor.h>
#include <pagoda/mount.h>

static int cmd_mounts(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	show_mounts();
	return MON_OK;
}
MONITOR_CMD(mounts, cmd_mounts, "", "the mount table: id, path, source, fstype, flags, the endpoint's state");
