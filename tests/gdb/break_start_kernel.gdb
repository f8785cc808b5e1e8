# Stop at start_kernel with a hardware breakpoint (software breakpoints would
# be written before the kernel is loaded), then show where we are.
hbreak start_kernel
continue
bt
python import sys; sys.path.insert(0, "tests/gdb")
python import bt_checks; bt_checks.check("bsp", ("start64_high", "start32_high"))
info line *$pc
next
info registers
# The second CPU's first C function: its backtrace must end as cleanly.
delete
hbreak smp_ap_start
continue
bt
python bt_checks.check("ap", ("secondary_startup",))
