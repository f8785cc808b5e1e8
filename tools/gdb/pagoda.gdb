# Loaded by `make debug` after the kernel's symbols, before connecting.
# QEMU is stopped at the firmware's first instruction; the kernel is not in
# memory yet, so use hardware breakpoints (hbreak) for the first stop:
#     hbreak start_kernel
#     continue
# after that, ordinary breakpoints work too.
set pagination off
set confirm off
set print pretty on
# Source paths in the debug info are relative to the repository.
directory .
# The kernel-aware commands: pagoda pt|buddy|page|slab|vmalloc|bio|kmaps|ps|
# vmas|user|break|help (tools/gdb/pagoda/, docs/gdb.md). They read the
# kernel's memory, so they need a kernel that has booted past mm_init: stop
# it first (Ctrl-C). A user program: `pagoda break hello main`, `continue`
# (its symbols are loaded at each stop; bt goes through system calls).
source tools/gdb/pagoda.py
define pagoda-help
  echo Pagoda under gdb:\n
  echo   hbreak start_kernel / continue   stop where C begins\n
  echo   bt, list, next, step, finish      the usual\n
  echo   info registers / p/x $cr3         machine state\n
  echo   x/8gx swapper_pg_dir              the kernel's top-level page table\n
  echo   make console (another terminal)   talk to the monitor on COM1\n
  echo   pagoda help                       kernel-aware commands (pt, buddy, page, slab, vmalloc, bio, kmaps, ps, vmas)\n
  echo   pagoda break hello main           stop in a user program, then continue (docs/gdb.md)\n
end
document pagoda-help
Show the first commands to try when debugging Pagoda.
end
echo Type 'pagoda-help' for a start; 'hbreak start_kernel' then 'continue'; 'pagoda help' for the kernel-aware commands.\n
