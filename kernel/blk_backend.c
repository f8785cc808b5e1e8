/*
 * The `blk=kernel|user` option (<pagoda/blk_backend.h>). Kernel is the
 * default: it needs no server to be running before the first disk I/O,
 * so a boot with a broken or missing user driver still reaches its disks
 * (the monitor, the ktests and every existing test keep working), and it
 * is the fast path the user driver is measured against.
 */
#include <pagoda/blk_backend.h>
#include <pagoda/cmdline.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

static bool blk_user_option;

static int setup_blk(const char *val)
{
	if (val && !strcmp(val, "kernel")) {
		blk_user_option = false;
		return 0;
	}
	if (val && !strcmp(val, "user")) {
		blk_user_option = true;
		return 0;
	}
	pr_err("cmdline: blk= takes kernel or user\n");
	return -1;
}
CMDLINE_OPTION(blk, setup_blk,
	       "block back end: kernel (default: the in-kernel AHCI driver) or user (the AHCI controller left to a user-space driver)");

bool blk_user(void)
{
	return blk_user_option;
}

const char *blk_backend_name(void)
{
	return blk_user_option ? "user" : "kernel";
}
