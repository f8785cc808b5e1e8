/*
 * ext2_lib.h - the whole ext2 library (fs/ext2/), compiled into the host
 * test or fuzz target that includes this (each is one translation unit).
 * A new file of the library is added here once, not in every test.
 */
#include "../../fs/ext2/msg.c"
#include "../../fs/ext2/cache.c"
#include "../../fs/ext2/super.c"
#include "../../fs/ext2/sync.c"
#include "../../fs/ext2/inode.c"
#include "../../fs/ext2/bmap.c"
#include "../../fs/ext2/read.c"
#include "../../fs/ext2/dir.c"
#include "../../fs/ext2/namei.c"
#include "../../fs/ext2/stat.c"
#include "../../fs/ext2/balloc.c"
#include "../../fs/ext2/ialloc.c"
#include "../../fs/ext2/getblock.c"
#include "../../fs/ext2/write.c"
#include "../../fs/ext2/truncate.c"
#include "../../fs/ext2/dir_write.c"
#include "../../fs/ext2/create.c"
#include "../../fs/ext2/unlink.c"
#include "../../fs/ext2/rename.c"
#include "../../fs/ext2/attr.c"
