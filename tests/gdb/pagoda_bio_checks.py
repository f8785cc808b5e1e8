# Checks of `pagoda bio` (tools/gdb/pagoda), run by tests/gdb/pagoda_bio.gdb:
# at_submit() while the kernel sits at the entry of submit_bio for the bio of
# a `dcrc <disk> <lba> <count>` monitor command, after_read() once the
# command is done and the monitor waits for input.

import re
import pagoda as P
from pagoda_checks_common import check, finish, kernel_log, show

state = {}


def dcrc_args():
    """The last dcrc command the kernel echoed: (disk, lba, count)."""
    m = re.findall(r"^pagoda> dcrc (\S+) (\d+) (\d+)\s*$", kernel_log(), re.M)
    return (m[-1][0], int(m[-1][1]), int(m[-1][2])) if m else None


def at_submit():
    args = dcrc_args()
    if not args:
        check("bio-found", False, "no dcrc command in the kernel log")
        return
    disk, lba, count = args
    bio = P.addr_of(P.val("bio"))
    show("pagoda bio bio")
    show("pagoda page bio->bi_io_vec[0].bv_page")
    b = P.bio_info(bio)
    size = count * 512
    npages = (size + P.PAGE_SIZE - 1) // P.PAGE_SIZE
    check("bio-header", b["disk"] == disk and b["op"] == "read" and b["sector"] == lba and b["size"] == size
          and b["vcnt"] == npages and b["idx"] == 0 and b["bvec_done"] == 0,
          f"dcrc {disk} {lba} {count}: want read of sector {lba}, {size} bytes, {npages} segments; got {b}")
    # The segments, against gdb's own C evaluation of the same array.
    ok, why = True, ""
    for i, s in enumerate(b["segments"]):
        want_len = min(P.PAGE_SIZE, size - i * P.PAGE_SIZE)
        pfn = int(P.val(f"bio->bi_io_vec[{i}].bv_page - mem_map"))
        off = int(P.val(f"bio->bi_io_vec[{i}].bv_offset"))
        if (s["pfn"], s["offset"], s["len"], s["phys"]) != (pfn, off, want_len, (pfn << P.PAGE_SHIFT) + off):
            ok, why = False, f"segment {i}: {s} vs pfn {pfn:#x} offset {off} len {want_len}"
            break
    check("bio-segments", ok, why)
    # dcrc's buffer is "certainly not physically contiguous" (every other page).
    pfns = [s["pfn"] for s in b["segments"]]
    check("bio-scattered", all(abs(x - y) != 1 for x, y in zip(pfns, pfns[1:])) and len(set(pfns)) == len(pfns),
          f"pfns {pfns}")
    # Each segment's page is an allocated order-0 page.
    infos = [P.page_info(p) for p in pfns]
    check("bio-pages", all(i["refcount"] == 1 and i["order"] == 0 and "buddy" not in i["flag_names"]
                           for i in infos), f"{infos}")
    state.update(args=args, npages=npages)


def after_read():
    args = state.get("args")
    m = None
    if args:
        disk, lba, count = args
        m = re.search(rf"^dcrc {disk} {lba} {count}: crc32 ([0-9a-f]{{8}}) \((\d+) scattered pages, one bio\)",
                      kernel_log(), re.M)
    check("bio-kernel-agrees", m is not None and int(m.group(2)) == state.get("npages"),
          f"kernel: {m and m.group(0)}; gdb saw {state.get('npages')} segments")
    finish()
