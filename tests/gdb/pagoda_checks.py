# Checks of the `pagoda` gdb commands (tools/gdb/pagoda.py) against what the
# kernel itself printed. main() is run by tests/gdb/pagoda_helpers.gdb once the
# kernel sits in its monitor loop (a hardware breakpoint on serial_getc),
# after the moncmd= commands of the test's command line ran: their output is
# in the kernel's log ring (kernel/printk.c log_buf), which this reads from
# memory and splits into one block per "pagoda> <command>".
#
# Each check prints "PAGODA-GDB-CHECK ok <name>" or "PAGODA-GDB-CHECK FAIL
# <name>: <why>" (with both versions of a differing line); any failure makes
# gdb exit 1. The manifest (tests/manifest.d/gdb.ini) expects each ok line.

import re
import gdb
import pagoda as P

from pagoda_checks_common import check, compare, finish, kernel_log, show


def command_blocks(text):
    """[(command, [output lines])] for each "pagoda> command" line in the log
    (moncmd= echoes each command so); a first block cut by the ring wrapping
    is dropped."""
    blocks = []
    cur = None
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if line.startswith("pagoda> "):
            cur = (line[len("pagoda> "):].strip(), [])
            blocks.append(cur)
        elif cur is not None:
            if line.startswith("Pagoda monitor. Type"):
                cur = None
                continue
            cur[1].append(line)
    for _, lines in blocks:
        while lines and not lines[-1].strip():
            lines.pop()
    return blocks


# ---- per command -------------------------------------------------------------

AD = re.compile(r"\b[AD]\b")


def strip_ad(line):
    """A and D are set by the MMU whenever it walks or writes through an entry:
    they may have changed between the kernel's pt and now. Entries are
    compared with bits 5 and 6 masked, flag lists without A and D."""
    m = re.match(r"(\s+\S+\s*\[\s*\d+\] = )([0-9a-f]+)(\s+)(.*?)(\s+(?:next table|not present|\d+ KiB page).*)$", line)
    if not m:
        return line
    e = int(m.group(2), 16) & ~0x60
    flags = " ".join(AD.sub("", m.group(4)).split())
    return f"{m.group(1)}{e:x} {flags} {m.group(5).strip()}"


def pt_label(va, walk):
    a = P.arch()
    info = gdb.execute(f"info symbol {va:#x}", to_string=True)
    if "in section .text" in info:
        return "pt-kernel-text"
    area = P.vm_area_of(va)
    if not walk["present"]:
        return "pt-vmalloc-guard" if area else "pt-unmapped"
    if area:
        return "pt-" + area["kind"]
    if a.last_pkmap and a.pkmap_base <= va < a.pkmap_base + a.last_pkmap * P.PAGE_SIZE:
        return "pt-kmap"
    return "pt-direct-map"


def check_pt(arg, lines):
    va = int(arg, 16)
    walk = P.pt_walk(va)
    name = pt_label(va, walk)
    show(f"pagoda pt {arg}")
    got = P.format_pt(va)
    # Header: same address and the same CR3 (the monitor runs on the kernel's tables).
    if not compare(name, lines, got, strip_ad):
        return
    if walk["present"]:
        m = re.search(r"=> physical address (0x[0-9a-f]+)", "\n".join(lines))
        check(name + "-phys", m is not None and int(m.group(1), 16) == walk["phys"],
              f"kernel {m and m.group(1)}, gdb {walk['phys']:#x}")


def check_page(arg, lines):
    pfn = int(arg, 16) >> P.PAGE_SHIFT if arg.lower().startswith("0x") else int(arg)
    show(f"pagoda page {pfn}")
    got = P.format_page(pfn)
    want = [l for l in lines if l.startswith("page: struct page") or l.startswith("page: flags")]
    mine = [l for l in got if l.startswith("page: struct page") or l.startswith("page: flags")]
    kstate = [l for l in lines if l.startswith("state: ")]
    label = "page-" + (kstate[0].split()[1].rstrip(":") if kstate else "unknown")
    if not compare(label, want, mine):
        return
    gstate = [l for l in got if l.startswith("state: ")]
    check(label + "-state", bool(kstate) and bool(gstate) and kstate[0].startswith(gstate[0]),
          f"kernel {kstate}, gdb {gstate}")


def check_kmalloc(arg, lines):
    # "kmalloc(100) = <addr>: phys 0x..., pfn 0x..., ksize 128, kmalloc-128"
    m = re.search(r"= ([0-9a-f]+): phys (0x[0-9a-f]+), pfn (0x[0-9a-f]+), ksize (\d+), (.*)$", lines[0] if lines else "")
    if not m:
        check("page-slab", False, f"cannot parse kmalloc output {lines!r}")
        return
    pfn = int(m.group(3), 16)
    show(f"pagoda page 0x{m.group(1)}")
    info = P.page_info(P.parse_page_arg("0x" + m.group(1)))
    kslab = m.group(5)
    if kslab.startswith("large kmalloc"):
        check("page-large-kmalloc", info["pfn"] == pfn and info["large_kmalloc"] and info["refcount"] == 1,
              f"pfn {info['pfn']:#x} vs {pfn:#x}, {info}")
    else:
        check("page-slab", info["pfn"] == pfn and "slab" in info["flag_names"] and info["slab_cache"] == kslab,
              f"kernel: pfn {pfn:#x} cache {kslab}; gdb: pfn {info['pfn']:#x} flags {info['flag_names']} "
              f"cache {info['slab_cache']}")
        caches = {c["name"]: c for c in P.slab_caches()}
        c = caches.get(kslab)
        check("slab-objsize", c is not None and c["object_size"] == int(m.group(4)),
              f"kernel ksize {m.group(4)}, gdb {c and c['object_size']}")


def check_vmalloc_cmd(arg, lines):
    # "vmalloc(65536) = ffffc90000000000 (first page pfn 0x...)"
    m = re.search(r"vmalloc\((\d+)\) = ([0-9a-f]+) \(first page pfn (0x[0-9a-f]+)\)", "\n".join(lines))
    if not m:
        check("vmalloc-area", False, f"cannot parse vmalloc output {lines!r}")
        return
    addr, pfn = int(m.group(2), 16), int(m.group(3), 16)
    areas = [a for a in P.vm_areas() if a["addr"] == addr]
    want_pages = (int(m.group(1)) + P.PAGE_SIZE - 1) // P.PAGE_SIZE
    ok = len(areas) == 1 and areas[0]["kind"] == "vmalloc" and areas[0]["nr_pages"] == want_pages \
        and P.symbol(areas[0]["caller"]).startswith("cmd_vmalloc+")
    check("vmalloc-area", ok, f"areas at {addr:#x}: {areas}")
    walk = P.pt_walk(addr)
    check("vmalloc-first-pfn", walk["present"] and walk["phys"] >> P.PAGE_SHIFT == pfn,
          f"kernel pfn {pfn:#x}, gdb walk {walk}")
    info = P.page_info(pfn)
    check("page-vmalloc", info["refcount"] == 1 and info["flag_names"] in ([], ["highmem"]),
          f"{info}")


def check_kmap_cmd(arg, lines):
    # "kmap(pfn 0x3a000) = ff800000 (pkmap entry)": the helper must list it
    m = re.search(r"kmap\(pfn (0x[0-9a-f]+)\) = ([0-9a-f]+)", "\n".join(lines))
    if not m:
        check("kmap-entry", False, f"cannot parse kmap output {lines!r}")
        return
    pfn, va = int(m.group(1), 16), int(m.group(2), 16)
    k = P.kmaps()
    entries = (k or {}).get("pkmap") or {"entries": []}
    a = P.arch()
    found = [e for e in entries["entries"] if a.pkmap_base + (e["entry"] << P.PAGE_SHIFT) == va]
    ok = len(found) == 1 and found[0]["pfn"] == pfn and found[0]["count"] >= 2
    check("kmap-entry", ok, f"kernel: pfn {pfn:#x} at {va:#x}; gdb: {found}")
    walk = P.pt_walk(va)
    check("kmap-pt", walk["present"] and walk["phys"] >> P.PAGE_SHIFT == pfn, f"{walk}")
    info = P.page_info(pfn)
    check("kmap-page-highmem", "highmem" in info["flag_names"] and info["zone"] == "HighMem", f"{info}")


def check_exact(name, gdb_cmd, want, got):
    show(gdb_cmd)
    compare(name, want, got)


def main():
    text = kernel_log()
    blocks = command_blocks(text)
    gdb.write(f"pagoda_checks: {len(blocks)} monitor commands in the kernel log: "
              f"{', '.join(c for c, _ in blocks)}\n")
    show("pagoda")
    last = {}
    for cmd, lines in blocks:
        word, _, arg = cmd.partition(" ")
        last[word] = lines
        if word == "pt":
            check_pt(arg, lines)
        elif word == "page":
            check_page(arg, lines)
        elif word == "kmalloc":
            check_kmalloc(arg, lines)
        elif word == "vmalloc":
            check_vmalloc_cmd(arg, lines)
        elif word == "kmap":
            check_kmap_cmd(arg, lines)
    # Tables: only the last of each, the state now.
    if "vmallocinfo" in last:
        check_exact("vmalloc", "pagoda vmalloc", last["vmallocinfo"], P.format_vmalloc())
    if "slabinfo" in last:
        check_exact("slab", "pagoda slab", last["slabinfo"], P.format_slab())
    if "buddyinfo" in last:
        show("pagoda buddy")
        lines, notes = P.format_buddy()
        compare("buddy", last["buddyinfo"], lines)
        check("buddy-lists", not notes, "; ".join(notes))
    if "mounts" in last:
        # The last column is the endpoint's state in the kernel's, its
        # address in gdb's: compared up to it.
        show("pagoda mounts")
        cut = len("  id  path                 source           fstype           flags")
        compare("mounts", last["mounts"], P.format_mounts(), norm=lambda s: s[:cut] if s.startswith("  ") and
                "mounts; the next id" not in s else s)
    show("pagoda kmaps")
    kmaps = P.format_kmaps()
    kernel_kmaps = [l for l in last.get("kmaps", []) if l.startswith("kmaps:")]
    if kernel_kmaps:
        compare("kmaps", kernel_kmaps, kmaps)
    else:       # a kernel without the kmaps command: the helper must say so
        check("kmaps", P.kmaps() is None and len(kmaps) == 1, repr(kmaps))
    finish()
