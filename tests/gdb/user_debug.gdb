# Debugging a user program (docs/gdb.md): the boot runs /bin/init, which
# starts /bin/sh. `pagoda break sh _start` must let init's own _start (the
# same address in every program) run by and stop in sh's; then sh's main,
# the `pagoda ps/vmas/pt` views of it, a stepi from its debug_write into
# the kernel's entry and back out of sys_debug_write to the instruction after
# the system call, and a backtrace from the system call sh makes to read the
# console (sys_debug_read) through the entry code into the program. tests/gdb/user_checks.py checks each stop.
source tools/gdb/pagoda.py
python import sys; sys.path.insert(0, "tests/gdb")
python import user_checks
pagoda break sh _start
continue
python user_checks.at_start("sh")
delete
pagoda break sh main
continue
python user_checks.at_main("sh")
delete
# Into the kernel and back by stepping: stepi over sh's syscall (int $0x80),
# then from the handler `finish` up to the entry code and stepi out.
pagoda break sh debug_write
continue
python user_checks.step_into_kernel("sh")
delete
hbreak sys_debug_write if $_pagoda_in("sh")
continue
python user_checks.step_back_to_user("sh")
delete
hbreak sys_debug_read
continue
bt
python user_checks.in_syscall("sh", "sys_debug_read", ("debug_read", "read_line", "main"))
python user_checks.finish()
