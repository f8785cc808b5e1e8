# Lab 7's GDB walk (docs/labs/lab7-processes.md): a switch from one process
# to another. The boot runs two t_sse processes on one CPU that yield to
# each other thousands of times (ktest proc.sse_state_survives_switches).
# The first stop is in switch_mm when the frame above it, context_switch_mm
# (inlined in __schedule), switches from one t_sse to the other: CR3 still
# holds A's tables. The second is load_sp0, called once CR3 holds B's; its
# `finish` sets the TSS's rsp0/esp0. tests/gdb/lab7_checks.py checks each.
source tools/gdb/pagoda.py
python import sys; sys.path.insert(0, "tests/gdb")
python import lab7_checks
python lab7_checks.break_at_process_switch("t_sse")
continue
python lab7_checks.before_switch()
delete
hbreak load_sp0
continue
python lab7_checks.after_switch()
python lab7_checks.before_load_sp0()
finish
python lab7_checks.after_load_sp0()
python lab7_checks.finish()
