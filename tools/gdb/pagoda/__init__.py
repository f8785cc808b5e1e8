# Kernel-aware gdb commands for Pagoda: `pagoda pt|buddy|page|slab|vmalloc|
# bio|kmaps|ps|mounts|vmas|vmmap|pmap|user|break|help` (docs/gdb.md), user programs' symbols
# (userprog.py) and `bt` through the entry code (unwind.py). tools/gdb/pagoda.py loads this package;
# tools/gdb/pagoda.gdb sources that, so `make debug` has them.
#
# Everything here reads the kernel's own data structures from memory through
# gdb (QEMU's stub reads virtual memory with the CPU's current page tables):
# no monitor command runs, the kernel does not have to be healthy. Page-table
# pages are read through the direct map (PAGE_OFFSET + phys), like the
# kernel's own pt_walk does. The output follows the kernel's formats
# (kernel/observe/pt.c, mm/page_alloc_debug.c, kernel/observe/slab.c,
# kernel/observe/vmallocinfo.c), so a
# gdb session and the monitor can be compared line by line; the tests in
# tests/gdb/ do exactly that.
#
# The functions returning data (pt_walk, zones, page_info, slab_caches,
# vm_areas, bio_info, kmaps ...) are plain Python, for scripts; the commands only
# format what they return.

from .kernel import *                     # noqa: F401,F403 (the API for scripts)
from .kernel import PAGE_SHIFT, PAGE_SIZE  # noqa: F401
from .process import *                    # noqa: F401,F403 (tasks, ps, vmas, cr3_task ...)
from .mounts import mounts, format_mounts  # noqa: F401
from .elfsyms import elf_symbols  # noqa: F401
from . import userprog  # noqa: F401
from .userprog import break_in, load_program, loaded_program, running_program  # noqa: F401
from . import unwind                      # noqa: F401 (registers the entry-frame unwinder)
from . import commands                    # noqa: F401 (registers the commands)
