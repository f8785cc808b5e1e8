#!/usr/bin/env python3
"""Draw a picture of physical memory from the kernel's `memmap` dump.

The `memmap` monitor command (kernel/observe/memmap.c) prints every page frame's
state as runs:

    memmap-begin <max_pfn> <arch>
    memmap-zone: <name> <start_pfn> <end_pfn>
    memmap: <start_pfn> <count> <state> [detail]
    memmap-free: <nr_free_pages>
    memmap-end

This script reads a serial log holding one or more dumps (a file, or stdin
with `-`), checks that the runs cover every pfn once, and draws one dump, or
two side by side ("before" and "after"), as SVG and/or PNG: one strip per
zone, one cell per page (or per N pages for large memories), a colour per
state, a legend, zone labels and physical addresses. Standard library only
(tools/picture.py: the PNG is written with zlib and struct, text with a
built-in 5x7 font).

    tools/memmap.py build/x86_64/memmap.log -o memmap.svg --png memmap.png
    tools/memmap.py log --dump 1 --dump 2 --labels before,after --png ba.png
    tools/memmap.py before.log after.log --png ba.png      # first dump of each
    tools/memmap.py log --summary                           # text only
"""

import argparse
import re
import sys

import picture  # tools/picture.py: the PNG and SVG writers, a picture's heading

PAGE_SIZE = 4096

# ---- parsing -----------------------------------------------------------------

RE_BEGIN = re.compile(r"memmap-begin (\d+) (\S+)")
RE_ZONE = re.compile(r"memmap-zone: (\S+) (\d+) (\d+)")
RE_RUN = re.compile(r"memmap: (\d+) (\d+) (\S+)(?: (.*?))?\s*$")
RE_FREE = re.compile(r"memmap-free: (\d+)")
RE_END = re.compile(r"memmap-end")


class Dump:
    def __init__(self, max_pfn, arch):
        self.max_pfn = max_pfn
        self.arch = arch
        self.zones = []         # (name, start, end)
        self.runs = []          # (start, count, state, detail)
        self.nr_free = None
        self.complete = False
        self.start = 0          # first pfn drawn (--pfns clips)

    def clip(self, lo, hi):
        """A copy holding only pfns [lo, hi) (for drawing, not checking)."""
        hi = min(hi, self.max_pfn)
        c = Dump(hi, self.arch)
        c.start = lo
        c.zones = [(n, max(s, lo), min(e, hi)) for n, s, e in self.zones if s < hi and e > lo]
        c.runs = [(max(s, lo), min(s + n, hi) - max(s, lo), st, dt) for s, n, st, dt in self.runs
                  if s < hi and s + n > lo]
        c.nr_free, c.complete = self.nr_free, self.complete
        return c

    def check(self):
        """Problems as strings: gaps, overlaps, a wrong free count."""
        problems = []
        pfn = 0
        for start, count, state, _ in self.runs:
            if start != pfn:
                problems.append("run at pfn %d, expected %d" % (start, pfn))
            if count <= 0:
                problems.append("empty run at pfn %d" % start)
            pfn = start + count
        if pfn != self.max_pfn:
            problems.append("runs end at pfn %d, max_pfn is %d" % (pfn, self.max_pfn))
        if self.nr_free is not None:
            free = self.pages(lambda s: s.startswith("free-") or s == "pcp")
            if free != self.nr_free:
                problems.append("free+pcp runs hold %d pages, nr_free_pages %d" % (free, self.nr_free))
        if not self.complete:
            problems.append("no memmap-end: the dump is truncated")
        return problems

    def pages(self, pred):
        return sum(c for _, c, s, _ in self.runs if pred(s))

    def totals(self):
        t = {}
        for _, c, s, _ in self.runs:
            t[category(s)] = t.get(category(s), 0) + c
        return t


def parse(text):
    dumps, cur = [], None
    for line in text.splitlines():
        line = line.rstrip("\r")
        m = RE_BEGIN.search(line)
        if m:
            cur = Dump(int(m.group(1)), m.group(2))
            dumps.append(cur)
            continue
        if cur is None:
            continue
        m = RE_ZONE.search(line)
        if m:
            cur.zones.append((m.group(1), int(m.group(2)), int(m.group(3))))
            continue
        m = RE_RUN.search(line)
        if m:
            cur.runs.append((int(m.group(1)), int(m.group(2)), m.group(3), m.group(4) or ""))
            continue
        m = RE_FREE.search(line)
        if m:
            cur.nr_free = int(m.group(1))
            continue
        if RE_END.search(line):
            cur.complete = True
            cur = None
    return dumps


# ---- states and colours ------------------------------------------------------

# Legend order; free blocks get a green per order (light: small, dark: large).
CATEGORIES = ["hole", "reserved", "free-small", "free-large", "pcp", "slab", "vmalloc", "user", "allocated"]
COLOURS = {
    "hole": (0xee, 0xee, 0xee),
    "reserved": (0x63, 0x63, 0x63),
    "pcp": (0x2c, 0x9f, 0xd0),
    "slab": (0xf0, 0x8c, 0x1c),
    "vmalloc": (0x8e, 0x5c, 0xc8),
    "user": (0xe7, 0x29, 0x8a),
    "allocated": (0xd7, 0x30, 0x27),
    "other": (0x00, 0x00, 0x00),
}
LEGEND = {
    "hole": "hole (not RAM)",
    "reserved": "reserved at boot",
    "free-small": "free block, order 0-4",
    "free-large": "free block, order 5-10",
    "pcp": "free, per-CPU cache",
    "slab": "slab / kmalloc",
    "vmalloc": "vmalloc",
    "user": "user memory",
    "allocated": "other allocated",
}


def free_colour(order):
    # From pale green (order 0) to dark green (order 10).
    lo, hi = (0xc7, 0xe9, 0xa0), (0x00, 0x5a, 0x32)
    f = min(max(order, 0), 10) / 10.0
    return tuple(int(lo[i] + (hi[i] - lo[i]) * f) for i in range(3))


def category(state):
    if state.startswith("free-"):
        try:
            return "free-small" if int(state[5:]) <= 4 else "free-large"
        except ValueError:
            return "other"
    return state if state in COLOURS else "other"


def state_colour(state):
    if state.startswith("free-"):
        try:
            return free_colour(int(state[5:]))
        except ValueError:
            return COLOURS["other"]
    return COLOURS.get(state, COLOURS["other"])


def legend_colour(cat):
    if cat == "free-small":
        return free_colour(2)
    if cat == "free-large":
        return free_colour(10)
    return COLOURS[cat]


# ---- layout ------------------------------------------------------------------

def mib(pages):
    b = pages * PAGE_SIZE
    if b >= 1 << 30 and b % (1 << 30) == 0:
        return "%d GiB" % (b >> 30)
    if b >= 1 << 20:
        return "%g MiB" % round(b / float(1 << 20), 1)
    return "%d KiB" % (b >> 10)


class Layout:
    """Cells of `per` pages in rows of `cols` cells, one block of rows per
    zone (and per stretch no zone covers), with a label line above each."""

    def __init__(self, dump, cols, per, cell):
        self.dump, self.cols, self.per, self.cell = dump, cols, per, cell
        segs, pfn = [], dump.start
        for name, s, e in sorted(dump.zones, key=lambda z: z[1]):
            if s > pfn:
                segs.append(("(no zone)", pfn, s))
            if e > s:
                segs.append((name, s, e))
            pfn = max(pfn, e)
        if pfn < dump.max_pfn:
            segs.append(("(no zone)", pfn, dump.max_pfn))
        self.segments = segs
        # Each cell: the colour of the state holding most of its pages.
        self.cells = []         # per segment: list of colours
        runs = dump.runs
        # Free blocks alternate between two shades, so that neighbouring
        # blocks of one order stay distinct (each free run is one block).
        shades, nfree = [], 0
        for _, _, state, _ in runs:
            col = state_colour(state)
            if state.startswith("free-"):
                if nfree % 2:
                    col = tuple(int(v + (255 - v) * 0.22) for v in col)
                nfree += 1
            shades.append(col)
        ri = 0
        for name, s, e in segs:
            ncell = (e - s + per - 1) // per
            cells = []
            while ri < len(runs) and runs[ri][0] + runs[ri][1] <= s:
                ri += 1
            rj = ri
            for c in range(ncell):
                cs, ce = s + c * per, min(s + (c + 1) * per, e)
                weight = {}
                while rj < len(runs) and runs[rj][0] + runs[rj][1] <= cs:
                    rj += 1
                k = rj
                while k < len(runs) and runs[k][0] < ce:
                    st, cnt, state = runs[k][0], runs[k][1], runs[k][2]
                    ov = min(ce, st + cnt) - max(cs, st)
                    if ov > 0:
                        col = shades[k]
                        weight[col] = weight.get(col, 0) + ov
                    k += 1
                cells.append(max(weight, key=weight.get) if weight else COLOURS["hole"])
            self.cells.append(cells)
        self.label_h = 12
        self.gap = 6
        self.width = cols * cell
        self.height = sum(self.label_h + self.rows(i) * cell + self.gap for i in range(len(segs)))

    def rows(self, i):
        return (len(self.cells[i]) + self.cols - 1) // self.cols


def choose_scale(pages, cols, cell=None):
    """Pages per cell and pixels per cell: about 32k cells at most."""
    per = 1
    while pages / per > 32768:
        per *= 2
    rows = pages / per / cols
    if not cell:
        cell = 8 if rows <= 24 else 6 if rows <= 48 else 4 if rows <= 160 else 3 if rows <= 240 else 2
    return per, cell


# ---- drawing -----------------------------------------------------------------

MARGIN = 10
AXIS_W = 66             # physical addresses left of the rows
TITLE_H = 30
HEAD_H = 14             # the panel's own heading (label, totals)
LEGEND_ROW = 12


def axis_every(layout):
    """Label the physical address every this many rows."""
    return 16 if layout.cell <= 2 else 8


def draw_panel(out, ox, oy, layout, heading, raster):
    """Draw one dump's panel at (ox, oy) on a Canvas (raster) or Svg."""
    d = layout.dump
    if raster:
        out.text(ox, oy, heading)
    else:
        out.text(ox, oy, heading, bold=True)
    y = oy + HEAD_H
    x0 = ox + AXIS_W
    cell, cols = layout.cell, layout.cols
    for i, (name, s, e) in enumerate(layout.segments):
        label = "%s  pfn %d-%d  (%s)" % (name, s, e, mib(e - s))
        out.text(x0, y + 1, label, (0x33, 0x33, 0x33))
        y += layout.label_h
        cells = layout.cells[i]
        rows = layout.rows(i)
        for r in range(rows):
            row = cells[r * cols:(r + 1) * cols]
            if r % axis_every(layout) == 0:
                addr = (s + r * cols * layout.per) * PAGE_SIZE
                out.text(ox, y + r * cell - 1, "%08x" % addr if addr < 1 << 32 else "%x" % addr, (0x66, 0x66, 0x66))
            # Runs of equal colour as one rectangle.
            k = 0
            while k < len(row):
                j = k
                while j < len(row) and row[j] == row[k]:
                    j += 1
                out.rect(x0 + k * cell, y + r * cell, (j - k) * cell, cell, row[k])
                k = j
        y += rows * cell + layout.gap
    return y


def panel_heading(dump, label):
    t = dump.totals()
    free = t.get("free-small", 0) + t.get("free-large", 0) + t.get("pcp", 0)
    h = "%s: free %s, slab %s, vmalloc %s" % (label, mib(free), mib(t.get("slab", 0)), mib(t.get("vmalloc", 0)))
    return h if label else h[2:]


def render(dumps, labels, title, cols, cell=None):
    per, cell = choose_scale(max(d.max_pfn - d.start for d in dumps), cols, cell)
    layouts = [Layout(d, cols, per, cell) for d in dumps]
    panel_w = AXIS_W + cols * cell
    width = MARGIN * 2 + len(dumps) * panel_w + (len(dumps) - 1) * 24
    legend_cols = max(1, width // 170)
    legend_h = ((len(CATEGORIES) + legend_cols - 1) // legend_cols) * LEGEND_ROW + 6
    body_h = max(l.height for l in layouts) + HEAD_H
    height = MARGIN + TITLE_H + body_h + legend_h + MARGIN
    if not title:
        d = dumps[0]
        title = "Pagoda %s, %s of page frames" % (d.arch, mib(d.max_pfn))
        if d.start:
            title = "Pagoda %s, pfn %d-%d (%s)" % (d.arch, d.start, d.max_pfn, mib(d.max_pfn - d.start))
    subtitle = "one cell = %d page%s (%s)" % (per, "s" if per > 1 else "", mib(per))
    d = dumps[0]
    if d.start:
        subtitle = "pfn %d-%d (%s), " % (d.start, d.max_pfn, mib(d.max_pfn - d.start)) + subtitle

    def draw(out, raster):
        picture.heading(out, raster, MARGIN, MARGIN, title, subtitle, 10)
        for i, (l, lab) in enumerate(zip(layouts, labels)):
            draw_panel(out, MARGIN + i * (panel_w + 24), MARGIN + TITLE_H, l, panel_heading(l.dump, lab), raster)
        ly = MARGIN + TITLE_H + body_h + 4
        for k, cat in enumerate(CATEGORIES):
            x = MARGIN + (k % legend_cols) * 170
            y = ly + (k // legend_cols) * LEGEND_ROW
            out.rect(x, y, 9, 9, legend_colour(cat))
            out.text(x + 13, y + 1, LEGEND[cat], (0x22, 0x22, 0x22))

    return picture.render(draw, width, height, title)


# ---- command line ------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("logs", nargs="*", default=["-"], help="serial logs with memmap dumps ('-': stdin)")
    ap.add_argument("--dump", type=int, action="append",
                    help="which dump of the (first) log, from 1; twice for before/after (default 1; -1: last)")
    ap.add_argument("--labels", default=None, help="panel labels, comma separated (default: before,after for two)")
    ap.add_argument("-o", "--svg", help="write the SVG here")
    ap.add_argument("--png", help="write the PNG here")
    ap.add_argument("--title", help="the picture's title")
    ap.add_argument("--cols", type=int, default=128, help="cells per row (default 128)")
    ap.add_argument("--cell", type=int, help="pixels per cell (default: from the size)")
    ap.add_argument("--pfns", help="draw only pfns START-END (decimal or 0x hex), e.g. 31744-32736")
    ap.add_argument("--summary", action="store_true", help="print pages per state")
    a = ap.parse_args(argv)

    texts = []
    for path in a.logs or ["-"]:
        texts.append(sys.stdin.read() if path == "-" else open(path, errors="replace").read())
    per_log = [parse(t) for t in texts]
    picked = []
    if len(texts) > 1:
        for path, ds in zip(a.logs, per_log):
            if not ds:
                ap.error("%s: no memmap dump" % path)
            idx = a.dump[0] if a.dump else 1
            picked.append(ds[idx - 1 if idx > 0 else idx])
    else:
        ds = per_log[0]
        if not ds:
            ap.error("%s: no memmap dump (boot with moncmd=memmap)" % (a.logs[0] if a.logs else "-"))
        for idx in a.dump or [1]:
            if idx == 0:
                ap.error("dumps are numbered from 1 (-1: the last)")
            try:
                picked.append(ds[idx - 1 if idx > 0 else idx])
            except IndexError:
                ap.error("dump %d asked for, the log holds %d" % (idx, len(ds)))
    if len(picked) > 2:
        ap.error("at most two dumps side by side")
    labels = a.labels.split(",") if a.labels else (["before", "after"] if len(picked) == 2 else [""])
    labels = (labels + [""] * len(picked))[:len(picked)]

    status = 0
    for d, lab in zip(picked, labels):
        for p in d.check():
            print("memmap.py: %s%s" % (lab + ": " if lab else "", p), file=sys.stderr)
            status = 1
        if a.summary:
            print("%s%s, max_pfn %d (%s), %d runs" % (lab + ": " if lab else "", d.arch, d.max_pfn,
                                                       mib(d.max_pfn), len(d.runs)))
            for name, s, e in d.zones:
                print("  zone %-8s pfn %d-%d" % (name, s, e))
            tot = {}
            for _, c, s, _ in d.runs:
                tot[s] = tot.get(s, 0) + c
            for s in sorted(tot, key=lambda k: (category(k), k)):
                print("  %-12s %8d pages  %s" % (s, tot[s], mib(tot[s])))
    if a.pfns:
        try:
            lo, hi = (int(v, 0) for v in a.pfns.split("-"))
        except ValueError:
            ap.error("--pfns takes START-END")
        picked = [d.clip(lo, hi) for d in picked]
    if a.svg or a.png:
        svg, png = render(picked, labels, a.title, a.cols, a.cell)
        if a.svg:
            with open(a.svg, "w") as f:
                f.write(svg)
            print("memmap.py: wrote %s" % a.svg)
        if a.png:
            with open(a.png, "wb") as f:
                f.write(png)
            print("memmap.py: wrote %s (%d bytes)" % (a.png, len(png)))
    return status


if __name__ == "__main__":
    sys.exit(main())
