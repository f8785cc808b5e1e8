#!/usr/bin/env python3
"""ext2_bmap_images.py OUTDIR - the images tests/host/test_ext2_bmap.c reads
(lab 9: the block map, docs/labs/lab9-read-path.md).

Two images made by the host's `mke2fs -t ext2 -d` from a generated tree,
one with 1 KiB blocks (256 pointers an indirect block) and one with 4 KiB
blocks (1024): OUTDIR/b<bs>.img and its tree OUTDIR/tree-b<bs>/. Each tree
has files that end exactly at the direct blocks, cross into the single
indirect block, cross each boundary inside the double and the triple
indirect blocks (sparse: a few blocks of data far apart, holes between)
and a file of holes. e2fsck -fn must find the image clean.

OUTDIR/b<bs>.map is the host's answer, from debugfs's `stat` of each file:

    F <path> <size> <blocks in the file>
    B <file block> <disk block>          one line per mapped block

A file block with no B line is a hole. OUTDIR/images.txt lists "name bs".
Deterministic: fixed seeds and times.
"""
import os, random, re, shutil, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from e2fsprogs import DEBUGFS, E2FSCK, MKE2FS, run  # noqa: E402


def sparse(path, rng, size, pieces):
    """size bytes, data only in the (offset, length) pieces."""
    with open(path, "wb") as f:
        f.truncate(size)
        for off, n in pieces:
            f.seek(off)
            f.write(rng.randbytes(min(n, size - off)))


def tree(root, bs):
    rng = random.Random(9 * bs)
    apb = bs // 4
    S = 12 + apb                 # first block of the double indirect block
    T = S + apb * apb            # first block of the triple indirect block
    os.makedirs(root)
    files = {
        "size-1": (1, [(0, 1)]),
        "direct": (12 * bs, [(0, 12 * bs)]),                       # all 12, no indirect block
        "single": (S * bs + 5, [(0, S * bs + 5)]),                 # dense, one byte into double
        "double": (T * bs, [(12 * bs - 3, 6),                      # direct -> single
                            (S * bs - 2, 5),                       # single -> double
                            ((S + apb) * bs - 1, 3),               # double's 1st -> 2nd indirect
                            ((S + 7 * apb + 5) * bs + 9, bs),
                            (T * bs - 4, 4)]),                     # double's last block
        "triple": ((T + 2 * apb * apb + 9 * apb + 4) * bs + 77,
                   [(100, 50),
                    (T * bs - 3, 7),                               # double -> triple
                    ((T + apb) * bs - 1, 2),                       # 1st -> 2nd single level
                    ((T + apb * apb) * bs - 5, 9),                 # 1st -> 2nd double level
                    ((T + 2 * apb * apb + 9 * apb + 3) * bs + 11, bs + 66)]),
        "holes": (40 * bs + 11, [(bs + 7, 10), (13 * bs, bs), (30 * bs - 1, 2)]),
    }
    for name, (size, pieces) in files.items():
        sparse(os.path.join(root, name), rng, size, pieces)
    return files


def blocks_of(img, path):
    """{file block: disk block} from debugfs's stat."""
    out = run(DEBUGFS, "-R", "stat " + path, img)
    text = out.split("BLOCKS:", 1)[1] if "BLOCKS:" in out else ""
    m = {}
    for lo, hi, plo, phi in re.findall(r"\((\d+)(?:-(\d+))?\):(\d+)(?:-(\d+))?", text):
        lo, plo = int(lo), int(plo)
        for k in range((int(hi) if hi else lo) - lo + 1):
            m[lo + k] = plo + k
    return m


def main(out):
    os.makedirs(out, exist_ok=True)
    names = []
    for bs, kib in ((1024, 8192), (4096, 16384)):
        name = "b%d" % bs
        root = os.path.join(out, "tree-" + name)
        if os.path.exists(root):
            shutil.rmtree(root)
        files = tree(root, bs)
        img = os.path.join(out, name + ".img")
        if os.path.exists(img):
            os.unlink(img)
        run(MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(bs), "-N", "64", "-d", root, img, "%dk" % kib)
        run(E2FSCK, "-fn", img)
        with open(os.path.join(out, name + ".map"), "w") as f:
            for path, (size, _) in files.items():
                m = blocks_of(img, "/" + path)
                f.write("F %s %d %d\n" % (path, size, (size + bs - 1) // bs))
                for fb in sorted(m):
                    f.write("B %d %d\n" % (fb, m[fb]))
        names.append("%s %d" % (name, bs))
    with open(os.path.join(out, "images.txt"), "w") as f:
        f.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
