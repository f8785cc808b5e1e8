# `pagoda bio` on the bio the kernel builds for `dcrc ram0 8 20` (moncmd=):
# one read of 20 sectors into 3 scattered pages (kernel/observe/disk_cmds.c).
# Stop where it is submitted, decode it, check it against the command's
# arguments and gdb's own reading of the segment array; then let the read
# finish and check the kernel's own account of it (its dcrc line).
source tools/gdb/pagoda.py
hbreak submit_bio
continue
delete
bt 3
python import sys; sys.path.insert(0, "tests/gdb")
python import pagoda_bio_checks; pagoda_bio_checks.at_submit()
hbreak serial_getc
continue
delete
python pagoda_bio_checks.after_read()
