# The `pagoda` gdb commands checked against the kernel's own output.
# The test's command line runs monitor commands at boot (moncmd=: pt, page,
# kmalloc, vmalloc, vmallocinfo, slabinfo, buddyinfo); once the monitor waits
# for input (serial_getc) their output is in the kernel's log ring, and
# pagoda_checks.py compares it with what the helpers read from memory.
source tools/gdb/pagoda.py
# A hardware breakpoint: the kernel is not loaded yet.
hbreak serial_getc
continue
delete
bt 2
python import sys; sys.path.insert(0, "tests/gdb")
python import pagoda_checks; pagoda_checks.main()
