#!/usr/bin/env python3
"""Draw a process's address space from the kernel's `vmmap` and `pmap` dumps.

The monitor commands (kernel/observe/vmmap.c) print, for one process:

    vmmap-begin <arch> <pid> <comm> <bits> <page-table levels>
    vmmap: <first> <last> <kind> [detail]      regions tiling the address space
    vmmap-split <TASK_SIZE>
    vmmap-end <regions>

    pmap-begin <arch> <pid> <comm> <max_pfn>
    pmap-zone: <name> <start_pfn> <end_pfn>
    pmap: <va> <pfn> <zone> <rw|ro> <vma name>  one per present user page
    pmap-end <pages>

This script reads serial logs holding them (a file per build, or stdin with
`-`), checks them (the regions tile the space once; every page sits in the
zone that holds its pfn) and draws two pictures, SVG and/or PNG, standard
library only (tools/picture.py):

  - the virtual layout, one column per log side by side (x86_64 beside
    i386): highest address at the top, each half (user, kernel) to scale
    within itself, except the huge unused stretches (the non-canonical
    hole, most of the user half), drawn broken with their edge addresses;
    a region too small to see gets a minimum height.
  - where the pages live physically: one strip per zone (as memmap.py
    draws them) with the process's pages marked, and a close-up of the pfn
    range they occupy; on i386 with highmem they are in HighMem.

    tools/vmmap.py build/x86_64/vmmap.log build/i386/vmmap.log \\
        -o vmmap.svg --png vmmap.png --pmap-svg pmap.svg --pmap-png pmap.png
    tools/vmmap.py log --summary                 # the layout as text
"""

import argparse
import re
import sys

import picture  # tools/picture.py: the PNG and SVG writers, a picture's heading

# ---- parsing -----------------------------------------------------------------

RE_VBEGIN = re.compile(r"vmmap-begin (\S+) (\d+) (\S+) (\d+) (\d+)")
RE_REGION = re.compile(r"vmmap: 0x([0-9a-f]+) 0x([0-9a-f]+) (\S+)(?: (.*?))?\s*$")
RE_SPLIT = re.compile(r"vmmap-split 0x([0-9a-f]+)")
RE_VEND = re.compile(r"vmmap-end (\d+)")
RE_PBEGIN = re.compile(r"pmap-begin (\S+) (\d+) (\S+) (\d+)")
RE_PZONE = re.compile(r"pmap-zone: (\S+) (\d+) (\d+)")
RE_PAGE = re.compile(r"pmap: 0x([0-9a-f]+) (\d+) (\S+) (rw|ro) (\S+)")
RE_PEND = re.compile(r"pmap-end (\d+)")

GAP_KINDS = ("unmapped", "hole", "noncanonical")


class VDump:
    def __init__(self, arch, pid, comm, bits, levels):
        self.arch, self.pid, self.comm, self.bits, self.levels = arch, pid, comm, bits, levels
        self.regions = []       # (first, last, kind, detail)
        self.split = None
        self.count = None

    @property
    def top(self):
        return (1 << self.bits) - 1

    def check(self):
        """Problems as strings: gaps, overlaps, a wrong count, a bad split."""
        problems, nxt = [], 0
        for first, last, kind, _ in self.regions:
            if first != nxt:
                problems.append("region at %#x, expected %#x" % (first, nxt))
            if last < first:
                problems.append("region %#x-%#x ends before it starts" % (first, last))
            nxt = last + 1
        if nxt != self.top + 1:
            problems.append("regions end at %#x, the address space at %#x" % (nxt, self.top + 1))
        if self.count is None:
            problems.append("no vmmap-end: the dump is truncated")
        elif self.count != len(self.regions):
            problems.append("vmmap-end says %d regions, the dump holds %d" % (self.count, len(self.regions)))
        if self.split is None or not any(r[0] == self.split for r in self.regions):
            problems.append("the user/kernel split is no region boundary")
        return problems


class PDump:
    def __init__(self, arch, pid, comm, max_pfn):
        self.arch, self.pid, self.comm, self.max_pfn = arch, pid, comm, max_pfn
        self.zones = []         # (name, start, end)
        self.pages = []         # (va, pfn, zone, rw, vma)
        self.count = None

    def zone_of(self, pfn):
        for name, s, e in self.zones:
            if s <= pfn < e:
                return name
        return None

    def check(self):
        problems = []
        for i, (va, pfn, zone, _, _) in enumerate(self.pages):
            if i and va <= self.pages[i - 1][0]:
                problems.append("page %#x after %#x: not sorted" % (va, self.pages[i - 1][0]))
            if zone != "device" and self.zone_of(pfn) != zone:
                problems.append("pfn %d is said to be in %s, the zones put it in %s" % (pfn, zone, self.zone_of(pfn)))
        if self.count is None:
            problems.append("no pmap-end: the dump is truncated")
        elif self.count != len(self.pages):
            problems.append("pmap-end says %d pages, the dump holds %d" % (self.count, len(self.pages)))
        return problems


def parse(text):
    """The vmmap and pmap dumps of a log, in order: ([VDump], [PDump])."""
    vdumps, pdumps, v, p = [], [], None, None
    for line in text.splitlines():
        line = line.rstrip("\r")
        m = RE_VBEGIN.search(line)
        if m:
            v = VDump(m.group(1), int(m.group(2)), m.group(3), int(m.group(4)), int(m.group(5)))
            vdumps.append(v)
            continue
        m = RE_PBEGIN.search(line)
        if m:
            p = PDump(m.group(1), int(m.group(2)), m.group(3), int(m.group(4)))
            pdumps.append(p)
            continue
        if v:
            m = RE_REGION.search(line)
            if m:
                v.regions.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4) or ""))
                continue
            m = RE_SPLIT.search(line)
            if m:
                v.split = int(m.group(1), 16)
                continue
            m = RE_VEND.search(line)
            if m:
                v.count = int(m.group(1))
                v = None
                continue
        if p:
            m = RE_PZONE.search(line)
            if m:
                p.zones.append((m.group(1), int(m.group(2)), int(m.group(3))))
                continue
            m = RE_PAGE.search(line)
            if m:
                p.pages.append((int(m.group(1), 16), int(m.group(2)), m.group(3), m.group(4), m.group(5)))
                continue
            m = RE_PEND.search(line)
            if m:
                p.count = int(m.group(1))
                p = None
    return vdumps, pdumps


# ---- names, sizes and colours ------------------------------------------------

def size_str(n):
    for unit, shift in (("EiB", 60), ("PiB", 50), ("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            v = n / float(1 << shift)
            return ("%d %s" % (v, unit)) if v == int(v) else ("%.1f %s" % (v, unit))
    return "%d B" % n


def user_kind(detail):
    """A user VMA's picture name from its VMA name: text, rodata, data, heap, stack, mmap."""
    words = detail.split()
    name = words[1] if len(words) > 1 else ""
    return {"text": "text", "rodata": "rodata", "data": "data", "[heap]": "heap", "[stack]": "stack"}.get(name, "mmap")


def region_kind(kind, detail):
    return user_kind(detail) if kind == "user" else kind


COLOURS = {
    "text": (0x3b, 0x6f, 0xc4), "rodata": (0x8f, 0xb3, 0xe8), "data": (0x3c, 0xa0, 0x5a),
    "heap": (0xf0, 0x8c, 0x1c), "mmap": (0x8e, 0x5c, 0xc8), "stack": (0xd7, 0x30, 0x27),
    "unmapped": (0xf4, 0xf4, 0xf4), "hole": (0xe4, 0xe4, 0xe4), "noncanonical": (0xa8, 0xa8, 0xa8),
    "direct-map": (0x2c, 0x9f, 0xd0), "kernel-text": (0x1f, 0x3a, 0x93), "kernel-rodata": (0x5a, 0x6f, 0xc0),
    "kernel-data": (0x2e, 0x7d, 0x32), "kernel-bss": (0x7c, 0xb3, 0x7f), "vmalloc": (0xb0, 0x7a, 0xd8),
    "pkmap": (0xe6, 0xc2, 0x29), "fixmap": (0x8d, 0x6e, 0x63),
}
LABELS = {
    "text": "text", "rodata": "rodata", "data": "data + bss", "heap": "heap (brk)", "mmap": "mmap",
    "stack": "stack", "unmapped": "unmapped", "hole": "hole", "noncanonical": "non-canonical",
    "direct-map": "direct map", "kernel-text": "kernel text", "kernel-rodata": "kernel rodata",
    "kernel-data": "kernel data", "kernel-bss": "kernel bss", "vmalloc": "vmalloc",
    "pkmap": "pkmap (kmap)", "fixmap": "fixmap",
}
USER_ORDER = ["text", "rodata", "data", "heap", "mmap", "stack"]


def colour(kind):
    return COLOURS.get(kind, (0, 0, 0))


# ---- the virtual layout ------------------------------------------------------

MIN_H = 13              # pixels: one line of text
BREAK_H = 30            # a broken stretch
HALF_H = 300            # the scaled regions of one half share about this much
BREAK_RATIO = 32        # a gap this many times its largest neighbour is broken...
BREAK_MIN = 1 << 20     # ...if it is at least 1 MiB


class Item:
    """One region as drawn: its place in the column and how."""

    def __init__(self, region, height, broken, at_min):
        self.first, self.last, self.kind, self.detail = region
        self.height, self.broken, self.at_min = height, broken, at_min
        self.y = 0          # top edge, set by layout()

    @property
    def size(self):
        return self.last - self.first + 1


def layout(d):
    """Items for every region of d, top (highest address) first."""
    regs = d.regions
    broken = []
    for i, (first, last, kind, _) in enumerate(regs):
        size = last - first + 1
        nb = [r[1] - r[0] + 1 for r in (regs[i - 1] if i else None, regs[i + 1] if i + 1 < len(regs) else None)
              if r and r[2] not in GAP_KINDS]
        broken.append(kind in GAP_KINDS and size >= BREAK_MIN and size > BREAK_RATIO * max(nb or [0]))
    # One scale per half: its unbroken regions share HALF_H pixels.
    scale = {}
    for half in (0, 1):
        total = sum(r[1] - r[0] + 1 for r, b in zip(regs, broken) if not b and (r[0] >= d.split) == half)
        scale[half] = HALF_H / float(total) if total else 0
    items = []
    for r, b in zip(regs, broken):
        if b:
            items.append(Item(r, BREAK_H, True, False))
            continue
        h = (r[1] - r[0] + 1) * scale[r[0] >= d.split]
        items.append(Item(r, max(MIN_H, int(round(h))), False, h < MIN_H))
    items.reverse()
    y = 0
    for it in items:
        it.y = y
        y += it.height
    return items


ADDR_W = 6 * 19         # "0x" + 16 hex digits and a space
BAR_W = 110
LABEL_W = 6 * 36
COL_W = ADDR_W + BAR_W + 8 + LABEL_W
MARGIN = 12
TITLE_H = 40
HEAD_H = 28


def region_label(it):
    k = region_kind(it.kind, it.detail)
    text = LABELS.get(k, k)
    if it.kind == "user":
        text += " " + it.detail.split()[0]
    text += ", " + size_str(it.size)
    if it.broken:
        text += " (not to scale)"
    return text


def zigzag(out, x, y, w, colour_):
    step = 6
    pts = [(x + i * step, y + (3 if i % 2 else 0)) for i in range(w // step + 1)]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        out.line(x0, y0, x1, y1, colour_)


def draw_column(out, ox, oy, d, items, raster):
    fmt = "%%0%dx" % (d.bits // 4)
    heading = "%s (%d-bit, %d-level paging)" % (d.arch, d.bits, d.levels)
    if raster:
        out.text(ox + ADDR_W, oy, heading)
    else:
        out.text(ox + ADDR_W, oy - 2, heading, size=12, bold=True)
    y0 = oy + HEAD_H
    bx = ox + ADDR_W
    grey = (0x55, 0x55, 0x55)
    out.text(ox, y0 - 4, fmt % d.top, grey)
    for it in items:
        y = y0 + it.y
        out.rect(bx, y, BAR_W, it.height, colour(region_kind(it.kind, it.detail)))
        out.rect(bx, y, BAR_W, 1, (0x80, 0x80, 0x80))             # the edge above
        if it.broken:
            mid = y + it.height // 2
            out.rect(bx - 4, mid - 4, BAR_W + 8, 8, (255, 255, 255))
            zigzag(out, bx - 4, mid - 5, BAR_W + 8, (0x33, 0x33, 0x33))
            zigzag(out, bx - 4, mid + 3, BAR_W + 8, (0x33, 0x33, 0x33))
        # The start address at the region's lower edge (the last item's is 0).
        out.text(ox, y + it.height - 4, fmt % it.first, grey)
        label = region_label(it)
        out.text(bx + BAR_W + 8, y + (it.height - 7) // 2, label, (0x22, 0x22, 0x22) if not it.broken else grey)
    # The split: a red rule where the kernel half begins.
    for it in items:
        if it.first == d.split:
            sy = y0 + it.y + it.height
            out.rect(bx - 6, sy - 1, BAR_W + 12, 2, (0xcc, 0x00, 0x00))
    out.rect(bx, y0 + items[-1].y + items[-1].height, BAR_W, 1, (0x80, 0x80, 0x80))
    return y0 + items[-1].y + items[-1].height


def render_vmmap(dumps, title=None):
    cols = [(d, layout(d)) for d in dumps]
    height = MARGIN + TITLE_H + HEAD_H + max(sum(i.height for i in its) for _, its in cols) + 60 + MARGIN
    width = MARGIN * 2 + len(cols) * COL_W + (len(cols) - 1) * 24
    d0 = dumps[0]
    if not title:
        title = "Pagoda: the virtual address space of %s (pid %d), %s" % (
            d0.comm, d0.pid, " beside ".join(d.arch for d in dumps))
    sub = ("top: the highest address. Each half (user, kernel) to scale within itself; "
           "broken: huge unused stretches; red: the user/kernel split (TASK_SIZE)")

    def draw(out, raster):
        picture.heading(out, raster, MARGIN, MARGIN, title, sub, 12)
        bottom = 0
        for k, (d, its) in enumerate(cols):
            bottom = max(bottom, draw_column(out, MARGIN + k * (COL_W + 24), MARGIN + TITLE_H, d, its, raster))
        note = "minimum height %d px for regions too small to see at scale; sizes in the labels are exact" % MIN_H
        out.text(MARGIN, bottom + 14, note, (0x55, 0x55, 0x55))
        out.text(MARGIN, bottom + 28, "from the monitor's `vmmap` (kernel/observe/vmmap.c); make vmmap",
                 (0x55, 0x55, 0x55))

    return picture.render(draw, width, height, title)


# ---- the physical picture ----------------------------------------------------

STRIP_W = 760
STRIP_H = 18
ZONE_FILL = {"DMA": (0xfb, 0xf0, 0xc8), "DMA32": (0xdc, 0xea, 0xf7), "Normal": (0xdc, 0xf0, 0xdc),
             "HighMem": (0xf7, 0xdc, 0xe8)}


def page_kind(vma):
    return user_kind("rw " + vma)


def draw_strip(out, x, y, start, end, pages, fill):
    """pfns [start, end) across STRIP_W pixels, each page a tick of its VMA's colour."""
    out.rect(x, y, STRIP_W, STRIP_H, fill)
    span = max(1, end - start)
    w = max(2, STRIP_W // span)
    for _, pfn, _, _, vma in pages:
        if start <= pfn < end:
            px = x + (pfn - start) * STRIP_W // span
            out.rect(min(px, x + STRIP_W - w), y, w, STRIP_H, colour(page_kind(vma)))
    out.rect(x, y + STRIP_H, STRIP_W, 1, (0x80, 0x80, 0x80))


def pmap_panel_height(p):
    return HEAD_H + len(p.zones) * (STRIP_H + 16) + (STRIP_H + 30 if p.pages else 0) + 8


def render_pmap(pdumps, title=None):
    width = MARGIN * 2 + 70 + STRIP_W
    height = MARGIN + TITLE_H + sum(pmap_panel_height(p) for p in pdumps) + 30 + MARGIN
    if not title:
        title = "Pagoda: where the pages of %s live physically, %s" % (
            pdumps[0].comm, " and ".join(p.arch for p in pdumps))
    sub = "one strip per zone (its own scale), each present user page marked in its VMA's colour"

    def draw(out, raster):
        grey = (0x55, 0x55, 0x55)
        picture.heading(out, raster, MARGIN, MARGIN, title, sub, 12)
        y = MARGIN + TITLE_H
        x = MARGIN + 70
        for p in pdumps:
            per_zone = {}
            for pg in p.pages:
                per_zone[pg[2]] = per_zone.get(pg[2], 0) + 1
            head = "%s, %s of RAM: %s (pid %d), %d present pages: %s" % (
                p.arch, size_str(p.max_pfn * 4096), p.comm, p.pid, len(p.pages),
                ", ".join("%d in %s" % (n, z) for z, n in sorted(per_zone.items())) or "none")
            if raster:
                out.text(MARGIN, y, head)
            else:
                out.text(MARGIN, y - 2, head, size=11, bold=True)
            y += HEAD_H - 8
            for name, s, e in p.zones:
                out.text(x, y, "%s  pfn %d-%d (%s): %d of its pages" % (name, s, e, size_str((e - s) * 4096),
                                                                      per_zone.get(name, 0)), grey)
                out.text(MARGIN, y + 12, name, (0x22, 0x22, 0x22))
                draw_strip(out, x, y + 10, s, e, p.pages, ZONE_FILL.get(name, (0xee, 0xee, 0xee)))
                y += STRIP_H + 16
            if p.pages:
                lo = min(pg[1] for pg in p.pages)
                hi = max(pg[1] for pg in p.pages) + 1
                pad = max(4, (hi - lo) // 16)
                lo, hi = max(0, lo - pad), min(p.max_pfn, hi + pad)
                out.text(x, y + 2, "close-up: pfn %d-%d (%d pages), one column per page" % (lo, hi, hi - lo), grey)
                out.text(MARGIN, y + 14, "close-up", (0x22, 0x22, 0x22))
                draw_strip(out, x, y + 12, lo, hi, p.pages, ZONE_FILL.get(p.zone_of(lo) or "", (0xee, 0xee, 0xee)))
                y += STRIP_H + 30
            y += 8
        lx = MARGIN
        for k in USER_ORDER:
            out.rect(lx, y + 4, 9, 9, colour(k))
            lx = out.text(lx + 13, y + 5, LABELS[k], (0x22, 0x22, 0x22)) + 14
            lx = int(lx)

    return picture.render(draw, width, height, title)


# ---- command line ------------------------------------------------------------

def summary(d):
    print("%s %s pid %d: %d regions, split at %#x" % (d.arch, d.comm, d.pid, len(d.regions), d.split or 0))
    for it in layout(d):
        print("  %0*x-%0*x %-14s %4d px%s  %s" % (d.bits // 4, it.first, d.bits // 4, it.last, it.kind, it.height,
                                                 " broken" if it.broken else " min" if it.at_min else "",
                                                 region_label(it)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("logs", nargs="*", default=["-"], help="serial logs with vmmap/pmap dumps, one per build ('-': stdin)")
    ap.add_argument("-o", "--svg", help="write the virtual layout's SVG here")
    ap.add_argument("--png", help="write the virtual layout's PNG here")
    ap.add_argument("--pmap-svg", help="write the physical picture's SVG here")
    ap.add_argument("--pmap-png", help="write the physical picture's PNG here")
    ap.add_argument("--summary", action="store_true", help="print the layout as text")
    a = ap.parse_args(argv)

    vdumps, pdumps, status = [], [], 0
    for path in a.logs or ["-"]:
        text = sys.stdin.read() if path == "-" else open(path, errors="replace").read()
        vs, ps = parse(text)
        if not vs and not ps:
            ap.error("%s: no vmmap or pmap dump (boot with moncmd=run+t_vmmap+&,vmmap+t_vmmap,pmap+t_vmmap)" % path)
        if vs:
            vdumps.append(vs[-1])
        if ps:
            pdumps.append(ps[-1])
    for d in vdumps:
        for prob in d.check():
            print("vmmap.py: %s vmmap: %s" % (d.arch, prob), file=sys.stderr)
            status = 1
        if a.summary:
            summary(d)
    for p in pdumps:
        for prob in p.check():
            print("vmmap.py: %s pmap: %s" % (p.arch, prob), file=sys.stderr)
            status = 1
    outputs = []
    if (a.svg or a.png) and vdumps:
        outputs.append((a.svg, a.png, render_vmmap(vdumps)))
    if (a.pmap_svg or a.pmap_png) and pdumps:
        outputs.append((a.pmap_svg, a.pmap_png, render_pmap(pdumps)))
    for svg_path, png_path, (svg, png) in outputs:
        if svg_path:
            with open(svg_path, "w") as f:
                f.write(svg)
            print("vmmap.py: wrote %s" % svg_path)
        if png_path:
            with open(png_path, "wb") as f:
                f.write(png)
            print("vmmap.py: wrote %s (%d bytes)" % (png_path, len(png)))
    return status


if __name__ == "__main__":
    sys.exit(main())
