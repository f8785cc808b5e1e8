# Debugging a user program (docs/gdb.md): the boot runs /bin/init, which
# starts the console server and /bin/sh. `pagoda break sh _start` must let
# init's and consd's own _start (the same address in every program) run by
# and stop in sh's; then sh's main, the `pagoda ps/vmas/pt` views of it, a
# stepi from its ipc_call_ext (a write: a message to consd) into the
# kernel's entry and back out of sys_ipc_call to the instruction after the
# system call, and a backtrace from the call sh makes to read the console
# (a CONS_READ message) through the entry code into the program.
# tests/gdb/user_checks.py checks each stop.
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
pagoda break sh ipc_call_ext
continue
python user_checks.step_into_kernel("sh", "ipc_call_ext")
delete
hbreak sys_ipc_call if $_pagoda_in("sh")
continue
python user_checks.step_back_to_user("sh")
delete
# The read: from read_line's start, sh's next message is its CONS_READ.
pagoda break sh read_line
continue
delete
hbreak sys_ipc_call if $_pagoda_in("sh")
continue
bt
python user_checks.in_syscall("sh", "sys_ipc_call", ("ipc_call_ext", "read", "read_line", "main"))
python user_checks.finish()
