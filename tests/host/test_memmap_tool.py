#!/usr/bin/env python3
"""tools/memmap.py on a saved dump (tests/host/memmap_sample.log, a real
x86_64 boot at 32 MiB with two `memmap` dumps): the dumps parse and check
out, one dump and a before/after pair render to a well-formed SVG (parsed by
xml.etree) and PNG (signature, IHDR, CRCs, IDAT inflating to the right size),
and a damaged dump is reported. Prints "PASS  host test_memmap_tool"."""

import os
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, "tools", "memmap.py")
SAMPLE = os.path.join(REPO, "tests", "host", "memmap_sample.log")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def run(*args, stdin=None):
    return subprocess.run([sys.executable, TOOL] + list(args), input=stdin, capture_output=True, text=True)


def check_png(path):
    data = open(path, "rb").read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "%s: PNG signature" % path)
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        n, = struct.unpack(">I", data[pos:pos + 4])
        tag, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        check(zlib.crc32(tag + body) & 0xffffffff == crc, "%s: CRC of %r" % (path, tag))
        chunks.append(tag)
        if tag == b"IDAT":
            idat += body
        pos += 12 + n
    check(chunks[0] == b"IHDR" and chunks[-1] == b"IEND", "%s: IHDR first, IEND last" % path)
    w, h, depth, ctype = struct.unpack(">IIBB", data[16:26])
    check(100 < w < 4000 and 100 < h < 4000 and depth == 8 and ctype == 2, "%s: IHDR %dx%d" % (path, w, h))
    check(len(zlib.decompress(idat)) == h * (1 + 3 * w), "%s: IDAT holds %d rows of %d pixels" % (path, h, w))
    return w, h


def check_svg(path):
    root = ET.parse(path).getroot()
    check(root.tag.endswith("svg"), "%s: root is <svg>" % path)
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    check(len(rects) > 20, "%s: %d rectangles" % (path, len(rects)))
    check(any("DMA32" in t for t in texts), "%s: zone labels" % path)
    check(any("vmalloc" in t for t in texts), "%s: legend" % path)
    return root


def main():
    with tempfile.TemporaryDirectory() as d:
        one_svg, one_png = os.path.join(d, "one.svg"), os.path.join(d, "one.png")
        r = run(SAMPLE, "-o", one_svg, "--png", one_png, "--summary")
        check(r.returncode == 0, "one dump: exit %d: %s" % (r.returncode, r.stderr))
        check("max_pfn 8160" in r.stdout and "free-10" in r.stdout, "one dump: summary")
        check_svg(one_svg)
        w1, _ = check_png(one_png)

        ba_svg, ba_png = os.path.join(d, "ba.svg"), os.path.join(d, "ba.png")
        r = run(SAMPLE, "--dump", "1", "--dump", "2", "-o", ba_svg, "--png", ba_png, "--summary")
        check(r.returncode == 0, "before/after: exit %d: %s" % (r.returncode, r.stderr))
        check("after: " in r.stdout and "vmalloc" in r.stdout, "before/after: summary of both")
        root = check_svg(ba_svg)
        texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
        check(any(t.startswith("before") for t in texts) and any(t.startswith("after") for t in texts),
              "before/after: panel labels")
        w2, _ = check_png(ba_png)
        check(w2 > 1.8 * w1 - 100, "before/after: two panels side by side (%d vs %d px)" % (w2, w1))

        # From stdin, the last dump.
        r = run("-", "--dump", "-1", "--summary", stdin=open(SAMPLE).read())
        check(r.returncode == 0 and "vmalloc" in r.stdout, "stdin, --dump -1")

        # A damaged dump (a run missing) is reported, with exit status 1.
        lines = open(SAMPLE).read().splitlines()
        bad = [l for l in lines if not l.startswith("memmap: 256 ")]
        r = run("-", "--summary", stdin="\n".join(bad) + "\n")
        check(r.returncode == 1 and "expected 256" in r.stderr, "damaged dump reported: %r" % r.stderr)

        r = run("-", stdin="no dump here\n")
        check(r.returncode != 0, "no dump: an error")

    if failures:
        print("FAIL  host test_memmap_tool (%d problems)" % len(failures))
        return 1
    print("PASS  host test_memmap_tool")
    return 0


if __name__ == "__main__":
    sys.exit(main())
