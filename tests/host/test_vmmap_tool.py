#!/usr/bin/env python3
"""tools/vmmap.py on saved dumps (tests/host/vmmap_sample_x86_64.log and
vmmap_sample_i386.log: `make vmmap`'s boots, x86_64 at 128 MiB and i386 at
1 GiB, /bin/t_vmmap alive): the dumps parse and check out; the drawing's
layout keeps every region once, in address order, top to bottom, with the
breaks only on unused stretches and each half to scale; the side-by-side
layout and the pmap picture render to a well-formed SVG and PNG; damaged
dumps (a gap, an overlap, a page in the wrong zone) are reported. Prints
"PASS  host test_vmmap_tool"."""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools"))
sys.path.insert(0, HERE)
import vmmap  # noqa: E402
from test_memmap_tool import check_png  # noqa: E402  (the PNG checks: signature, CRCs, IDAT size)
import test_memmap_tool  # noqa: E402
import xml.etree.ElementTree as ET  # noqa: E402

TOOL = os.path.join(REPO, "tools", "vmmap.py")
SAMPLES = {a: os.path.join(HERE, "vmmap_sample_%s.log" % a) for a in ("x86_64", "i386")}
failures = test_memmap_tool.failures      # check() (shared) appends there


def check(cond, what):
    test_memmap_tool.check(cond, what)


def load(arch):
    vs, ps = vmmap.parse(open(SAMPLES[arch]).read())
    check(len(vs) == 1 and len(ps) == 1, "%s: one vmmap and one pmap dump (%d, %d)" % (arch, len(vs), len(ps)))
    return vs[0], ps[0]


def check_dump(arch, d, p):
    check(d.check() == [], "%s: vmmap dump checks out: %s" % (arch, d.check()))
    check(p.check() == [], "%s: pmap dump checks out: %s" % (arch, p.check()))
    check(d.arch == arch and d.bits == (64 if arch == "x86_64" else 32), "%s: arch and bits" % arch)
    kinds = [r[2] for r in d.regions]
    for k in ("user", "unmapped", "direct-map", "kernel-text", "kernel-data", "vmalloc", "fixmap"):
        check(k in kinds, "%s: a %s region" % (arch, k))
    check(("noncanonical" in kinds) == (arch == "x86_64"), "%s: the non-canonical hole on x86_64 only" % arch)
    check(("pkmap" in kinds) == (arch == "i386"), "%s: pkmap on i386 only" % arch)
    names = {vmmap.user_kind(r[3]) for r in d.regions if r[2] == "user"}
    check(names == set(vmmap.USER_ORDER), "%s: user VMAs text..stack: %s" % (arch, sorted(names)))
    check(len(p.pages) > 20, "%s: pmap pages" % arch)
    if arch == "i386":
        check(all(pg[2] == "HighMem" for pg in p.pages), "i386 at 1 GiB: user pages in HighMem")


def check_layout(arch, d):
    items = vmmap.layout(d)
    # Every region once, highest first, stacked without gaps from y = 0.
    back = [(i.first, i.last) for i in reversed(items)]
    check(back == [(r[0], r[1]) for r in d.regions], "%s: the layout holds every region once, in order" % arch)
    y = 0
    for it in items:
        check(it.y == y and it.height >= vmmap.MIN_H, "%s: item %#x at y %d, height %d" % (arch, it.first, it.y,
                                                                                            it.height))
        y += it.height
        if it.broken:
            check(it.kind in vmmap.GAP_KINDS, "%s: only unused stretches are broken (%s)" % (arch, it.kind))
    # The huge unused stretches are broken: the user half's middle, and on
    # x86_64 the non-canonical hole.
    big = [it for it in items if it.kind in vmmap.GAP_KINDS and it.size >= 1 << 30]
    check(big and all(it.broken for it in big), "%s: every unused stretch of 1 GiB or more is broken" % arch)
    # To scale within a half: heights of regions drawn above the minimum
    # are in the ratio of their sizes (rounding aside).
    for half in (0, 1):
        scaled = [it for it in items if not it.broken and not it.at_min and (it.first >= d.split) == half]
        for a_, b_ in zip(scaled, scaled[1:]):
            want = a_.size / float(b_.size)     # each height rounds by half a pixel at most
            check(abs(a_.height - b_.height * want) <= 0.5 + 0.5 * want,
                  "%s: half %d to scale: %s %d px vs %s %d px" % (arch, half, a_.kind, a_.height, b_.kind, b_.height))
    # The split is an edge in the picture.
    check(any(it.first == d.split for it in items), "%s: the split falls on an edge" % arch)


def check_svg(path, want):
    root = ET.parse(path).getroot()
    check(root.tag.endswith("svg"), "%s: root is <svg>" % path)
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for w in want:
        check(w in texts, "%s: text %r" % (path, w))


def run(*args):
    return subprocess.run([sys.executable, TOOL] + list(args), capture_output=True, text=True)


def damaged(arch, old, new):
    text = open(SAMPLES[arch]).read()
    check(old in text, "%s: the sample holds %r" % (arch, old))
    return text.replace(old, new, 1)


def main():
    dumps = {a: load(a) for a in SAMPLES}
    for a, (d, p) in dumps.items():
        check_dump(a, d, p)
        check_layout(a, d)

    with tempfile.TemporaryDirectory() as tmp:
        out = {k: os.path.join(tmp, k) for k in ("v.svg", "v.png", "p.svg", "p.png")}
        r = run(SAMPLES["x86_64"], SAMPLES["i386"], "-o", out["v.svg"], "--png", out["v.png"],
                "--pmap-svg", out["p.svg"], "--pmap-png", out["p.png"])
        check(r.returncode == 0, "two logs draw: %s" % r.stderr)
        if r.returncode == 0:
            w, _ = check_png(out["v.png"])
            check(w > 2 * vmmap.COL_W, "the layouts side by side: %d px wide" % w)
            check_png(out["p.png"])
            check_svg(out["v.svg"], ["x86_64", "i386", "vmalloc", "direct map", "non-canonical", "pkmap",
                                     "stack", "heap", "not to scale"])
            check_svg(out["p.svg"], ["HighMem", "DMA32", "close-up"])

        # Damage: a region one byte short (a gap), an overlap, a page in the
        # wrong zone, a truncated dump. Each is reported with status 1.
        d_x86 = dumps["x86_64"][0]
        first, last = d_x86.regions[3][0], d_x86.regions[3][1]
        cases = [
            ("x86_64", "0x%016x 0x%016x" % (first, last), "0x%016x 0x%016x" % (first, last - 1), "region at"),
            ("x86_64", "0x%016x 0x%016x" % (first, last), "0x%016x 0x%016x" % (first, last + 1), "region at"),
            ("i386", " HighMem rw [heap]", " Normal rw [heap]", "zones put it in HighMem"),
            ("i386", "vmmap-end", "vmmap-END", "truncated"),
        ]
        for arch, old, new, msg in cases:
            path = os.path.join(tmp, "bad.log")
            with open(path, "w") as f:
                f.write(damaged(arch, old, new))
            r = run(path, "--summary")
            check(r.returncode == 1 and msg in r.stderr, "damage %r -> %r reported (%r)" % (old, new, r.stderr))

    if failures:
        print("FAIL  host test_vmmap_tool (%d checks failed)" % len(failures))
        return 1
    print("PASS  host test_vmmap_tool")
    return 0


if __name__ == "__main__":
    sys.exit(main())
