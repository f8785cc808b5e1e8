# Lab 9's walk (docs/labs/lab9-read-path.md): one read of a sparse file
# through the triple indirect block. The boot mounts sda (ufs_image.py
# bmap) and runs usertests' ufs.bmap_pieces, whose FS_PREADs of
# /bmap/triple reach file block 65804, the first one the triple indirect
# block maps. Stops: ext2_bmap in ext2d for that block (user space: bt
# inside the server); the kernel's ahci_issue for the bio that reads the
# triple indirect block (bt from the driver through the block service, the
# system call and back into ext2d's ext2_bmap); finish_slot for the same
# bio (the completion interrupt). tests/gdb/lab9_checks.py checks each stop.
source tools/gdb/pagoda.py
python import sys; sys.path.insert(0, "tests/gdb")
python import lab9_checks
pagoda break ext2d ext2_bmap
# ext2_bmap(fs, inode, file_block, block): file_block in rdx at the entry
condition $bpnum $_pagoda_in("ext2d") && $rdx >= 65804
continue
bt
python lab9_checks.at_bmap()
delete
hbreak ahci_issue if $_pagoda_in("ext2d")
continue
bt
python lab9_checks.at_issue()
delete
python lab9_checks.break_at_completion()
continue
bt
python lab9_checks.at_completion()
python lab9_checks.finish()
