# Checks of tests/gdb/lab9_read_path.gdb (lab 9's walk of one read). Each
# stop is compared with what gdb reads another way: the block map's answer
# with the inode's i_block[] and the indirect blocks read from the guest's
# memory, the bio with the slot's command table (FIS and PRD entries).

import gdb
import pagoda as P
from pagoda_checks_common import check, eval_int, frames, finish, show  # noqa: F401 (finish: for the script)

TRIPLE = 12 + 256 + 256 * 256   # 1 KiB blocks: the first block of the triple indirect level
state = {}


def at_bmap():
    """In ext2d, at ext2_bmap's entry for a block of the triple level."""
    t = P.cr3_task()
    info = P.task_info(t) if t else None
    fb = eval_int("$rdx")
    check("bmap-in-ext2d", info is not None and info["comm"] == "ext2d" and gdb.selected_frame().name() == "ext2_bmap",
          f"task {info}, frame {gdb.selected_frame().name()}")
    check("bmap-triple-block", fb >= TRIPLE, f"file block {fb}")
    names = [n for n, _ in frames()]
    check("bmap-bt-server", "file_read" in names and names[-1] == "main", f"frames {names}")
    tind = eval_int("((struct ext2_inode_info *)$rsi)->raw.i_block[14]")
    check("bmap-has-tind", tind != 0, "i_block[14] is 0")
    show("p ((struct ext2_inode_info *)$rsi)->raw.i_block")
    state.update(fb=fb, tind=tind)


def at_issue():
    """In the kernel, ext2d's system call: the bio reading the triple indirect block."""
    stack = frames()
    desc = " <- ".join(n for n, _ in stack)
    limit = P.process.task_size()
    kernel = [i for i, (_, pc) in enumerate(stack) if pc >= limit]
    user = [i for i, (_, pc) in enumerate(stack) if pc < limit]
    names = [n for n, _ in stack]
    check("issue-bt-kernel-then-user", names[0] == "ahci_issue" and kernel and user and max(kernel) < min(user)
          and "ahci_submit_bio" in names[:max(kernel) + 1] and "entry_SYSCALL_64" in names, desc)
    unames = [names[i] for i in user]
    check("issue-bt-through-bmap", "blk_read" in unames and "ext2_bmap" in unames and unames[-1] == "main",
          f"user frames {unames}")
    lba, sectors = eval_int("lba"), eval_int("sectors")
    tind = state.get("tind", 0)
    check("issue-reads-tind", lba <= tind * 2 < lba + sectors,
          f"the bio reads sectors {lba}+{sectors}; the triple indirect block is block {tind} (sector {tind * 2})")
    show("pagoda bio bio")
    b = P.bio_info(P.addr_of(P.val("bio")))
    check("issue-bio", b["op"] == "read" and b["sector"] == lba and b["size"] == sectors * 512, f"{b}")
    state.update(bio=P.addr_of(P.val("bio")), lba=lba, sectors=sectors, port=eval_int("(unsigned long)port"))


def break_at_completion():
    # The completion of this bio's slot (port_interrupt_locked -> finish_slot).
    gdb.execute(f"hbreak finish_slot if port->slots[s].bio == (struct bio *){state.get('bio', 0):#x}")


def at_completion():
    names = [n for n, _ in frames()]
    check("done-in-interrupt", "ahci_port_interrupt" in names, f"frames {names}")
    s = eval_int("s")
    port = "((struct ahci_port *)%#x)" % state.get("port", 0)
    hdr = f"{port}->cmd_list[{s}]"
    tbl = f"{port}->tables[{s}]"
    show(f"p/x {hdr}")
    show(f"p/x {tbl}->cfis")
    show(f"p/x {tbl}->prdt[0]")
    # The FIS: a register H2D FIS (type 0x27), the LBA in bytes 4-6 and 8-10;
    # the count in bytes 12-13, or for NCQ's READ/WRITE FPDMA QUEUED
    # (0x60/0x61) in the features bytes 3 and 11, the tag in 12's bits 3-7.
    fis = [eval_int(f"{tbl}->cfis[{i}]") for i in range(16)]
    lba = fis[4] | fis[5] << 8 | fis[6] << 16 | fis[8] << 24 | fis[9] << 32 | fis[10] << 40
    ncq = fis[2] in (0x60, 0x61)
    count = fis[3] | fis[11] << 8 if ncq else fis[12] | fis[13] << 8
    check("done-fis", fis[0] == 0x27 and lba == state.get("lba") and count == state.get("sectors")
          and (not ncq or fis[12] >> 3 == s),
          f"FIS {[hex(x) for x in fis]}: lba {lba} count {count}, issued {state.get('lba')}+{state.get('sectors')}")
    # The PRD entries cover the request; PRDBC (bytes moved) is written back
    # for non-queued commands only (QEMU leaves it 0 under NCQ).
    prds = eval_int(f"{hdr}.opts") >> 16
    total = sum((eval_int(f"{tbl}->prdt[{i}].flags_dbc") & 0x3fffff) + 1 for i in range(prds))
    prdbc = eval_int(f"{hdr}.prdbc")
    check("done-prd-bytes", total == state.get("sectors", 0) * 512 == eval_int(f"{port}->slots[{s}].bytes")
          and (ncq or prdbc == total),
          f"{prds} PRD entries, {total} bytes; PRDBC {prdbc}; {state.get('sectors')} sectors")
