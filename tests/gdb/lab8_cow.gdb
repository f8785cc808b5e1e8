# Lab 8 (docs/labs/lab8-faults.md): watch copy-on-write breaks in GDB. The
# boot runs /bin/usertests as init with one case, umm.cow_last_user_no_copy:
# the process forks, the child reads and exits, the parent writes. A
# breakpoint on the COW fault handler for that program only
# ($_pagoda_in("usertests")) stops at each write to a shared page; at each
# stop tests/gdb/lab8_checks.py reads the faulting PTE's pfn and the page's
# _mapcount, lets do_wp_page run (finish), and reads the PTE again: a page
# still mapped twice must be copied (a new pfn with the same bytes, the old
# page one mapping fewer), a page mapped once kept (same pfn, now writable).
source tools/gdb/pagoda.py
python import sys; sys.path.insert(0, "tests/gdb")
python import lab8_checks
hbreak do_wp_page if $_pagoda_in("usertests")
python lab8_checks.watch_cow_breaks()
python lab8_checks.finish()
