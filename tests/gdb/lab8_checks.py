# Checks of tests/gdb/lab8_cow.gdb: copy-on-write breaks seen from GDB. At
# each stop in do_wp_page the PTE and the page are read from memory (the
# page table entry through its kernel address, the bytes of both pages
# through the direct map), not from the kernel's own verdict, so a
# do_wp_page that copied when it should keep, kept when it should copy, or
# forgot to drop its mapping of the old page fails here.

import gdb
import pagoda as P
from pagoda_checks_common import check, eval_int, finish, show  # noqa: F401 (finish: for the script)

PAGE = 4096


def _mapcount(pfn):
    return eval_int(f"mem_map[{pfn}]._mapcount")


def _pte(addr):
    a = P.arch()
    return P.read_uint(addr, a.pte_size)


def _bytes(pfn):
    """A page's bytes through the direct map (lowmem: the boot has 128 MiB)."""
    return P.read(P.arch().va(pfn * PAGE), PAGE)


def watch_cow_breaks(max_stops=12):
    a = P.arch()
    mask = a.addr_mask
    seen = {"copy": 0, "keep": 0}
    for _ in range(max_stops):
        if seen["copy"] and seen["keep"]:
            break
        gdb.execute("continue")
        try:
            pid = eval_int("$_pagoda_pid()")
            va = eval_int("addr")
            pte_addr = eval_int("(unsigned long)pte")
        except gdb.error as e:
            check("stopped-in-do_wp_page", False, str(e))
            return
        before = _pte(pte_addr)
        old = (before & mask) >> 12
        users = _mapcount(old)
        old_bytes = _bytes(old)
        if not seen["copy"] and not seen["keep"]:
            show(f"pagoda page {old}")
            lines = P.format_page(old)
            check("page-user-mapcount", f"page: user memory: mapped by {users} PTEs (_mapcount)" in lines and
                  "user)" in lines[1], "\n".join(lines))
        gdb.write(f"COW fault: pid {pid} writes {va:#x}: pte {before:#x}, pfn {old:#x}, "
                  f"_mapcount {users}, _refcount {eval_int(f'mem_map[{old}]._refcount')}\n")
        gdb.execute("finish", to_string=True)
        after = _pte(pte_addr)
        new = (after & mask) >> 12
        gdb.write(f"  after do_wp_page: pte {after:#x}, pfn {new:#x}; old page's _mapcount "
                  f"{_mapcount(old)}\n")
        writable = bool(after & 2) and bool(after & 1)
        if users >= 2:
            seen["copy"] += 1
            if seen["copy"] == 1:
                check("cow-copy-new-pfn", new != old and writable,
                      f"mapped {users} times: pfn {old:#x} -> {new:#x}, pte {after:#x}")
                check("cow-copy-old-page-one-mapping-fewer", _mapcount(old) == users - 1,
                      f"_mapcount {users} -> {_mapcount(old)}")
                check("cow-copy-same-bytes", _bytes(new) == old_bytes, "the copy differs from the original")
                check("cow-copy-new-page-mapped-once", _mapcount(new) == 1, f"_mapcount {_mapcount(new)}")
                show(f"pagoda pt {pid} {va:#x}")
                lines = P.format_pt_process(pid, va)
                check("cow-copy-pt-shows-new-page", any(f"=> physical address" in l and
                                                        f"{new * PAGE + (va & (PAGE - 1)):x}" in l.replace("_", "")
                                                        for l in lines), "\n".join(lines))
        elif users == 1:
            seen["keep"] += 1
            if seen["keep"] == 1:
                check("cow-last-user-keeps-pfn", new == old and writable,
                      f"mapped once: pfn {old:#x} -> {new:#x}, pte {after:#x}")
                check("cow-last-user-still-one-mapping", _mapcount(old) == 1, f"_mapcount {_mapcount(old)}")
        else:
            check("cow-mapcount-sane", False, f"pfn {old:#x} has _mapcount {users}")
    check("cow-saw-copy-and-keep", seen["copy"] >= 1 and seen["keep"] >= 1, f"{seen}")
