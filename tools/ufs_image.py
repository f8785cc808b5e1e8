#!/usr/bin/env python3
"""ufs_image.py - the disks of the ufs boots (tests/manifest.d/ufs.ini).

  ufs_image.py make IMG BLOCK        a known tree as ext2 on IMG (its size kept)
  ufs_image.py bmap IMG              lab 9's disk: the tree (1 KiB blocks) and
                                     /bmap/triple, sparse, with data in the
                                     triple indirect block's reach; its pieces
                                     in /BMAP ("crc offset length path")
  ufs_image.py corrupt IMG BLOCK     the same, then one file's block pointer
                                     aimed at the group descriptors (EUCLEAN),
                                     and the dir_nlink feature (read-only)
  ufs_image.py empty IMG BLOCK       an empty ext2 on IMG (the ENOSPC disk)
  ufs_image.py corrupt-set IMG...    tools/fstree.py's tree as ext2 (1 KiB
                                     blocks), broken by tools/ext2_corrupt.py
                                     in the cases of CORRUPT_SET, one a disk
  ufs_image.py check IMG [WHAT]      after the boot: e2fsck -fn finds nothing
                                     and the file system is marked clean; WHAT
                                     "writes": every file the suite's write
                                     cases made, changed or removed is as they
                                     leave it (debugfs dump); "writes-killed":
                                     and made/killed (blk=user); "-notimer"
                                     after either: the boot left
                                     timer_writes_back out, so no
                                     made/timer; "enospc": the
                                     small disk's /after and /pressure;
                                     "bmap": /bmap/written as usertests'
                                     ufs.bmap_write left it, block for block
                                     in debugfs's map

The tree's /MANIFEST lists "crc32 size path" for every regular file, with
the CRC that zlib computes, so usertests' ufs suite checks each byte it
reads against the host's. Deterministic: fixed seeds and times.
"""
import os, random, re, shutil, subprocess, sys, tempfile, zlib

from e2fsprogs import DEBUGFS, DUMPE2FS, E2FSCK, ENV, MKE2FS, run


def put(root, rel, content, manifest):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content)
    manifest.append("%08x %d %s" % (zlib.crc32(content), len(content), rel))


def tree(root, bs):
    rng = random.Random(16)
    manifest = []
    apb = bs // 4
    sizes = [0, 1, bs - 1, bs, bs + 1, 12 * bs, 12 * bs + 1, (12 + apb) * bs + 3]
    for n in sizes:
        put(root, "files/size-%d" % n, rng.randbytes(n), manifest)
    # Readahead's file: 2 MiB, read cold in small pieces by the suite.
    put(root, "big", rng.randbytes(2 << 20), manifest)
    put(root, "again", rng.randbytes(300 << 10), manifest)
    for i in range(150):
        put(root, "wide/entry-%03d-%s" % (i, "w" * (i % 41)), rng.randbytes(i % 7), manifest)
    put(root, "/".join("d%d" % i for i in range(10)) + "/bottom", b"the bottom\n", manifest)
    put(root, "n" * 255, b"a 255-byte name\n", manifest)
    # A sparse file: holes read as zeros (the CRC is of the whole length).
    path = os.path.join(root, "holes")
    with open(path, "wb") as f:
        f.truncate(40 * bs + 11)
        f.seek(5 * bs + 3)
        f.write(b"x" * (2 * bs))
    with open(path, "rb") as f:
        content = f.read()
    manifest.append("%08x %d %s" % (zlib.crc32(content), len(content), "holes"))
    os.symlink("files/size-1", os.path.join(root, "link"))
    os.mkdir(os.path.join(root, "empty"))
    manifest.sort(key=lambda l: l.split(" ", 2)[2])
    with open(os.path.join(root, "MANIFEST"), "w") as f:
        f.write("\n".join(manifest) + "\n")


def bmap_tree(root):
    """Lab 9: a sparse file whose data lies around the boundaries of the
    triple indirect block's reach (1 KiB blocks: 256 pointers a block, the
    triple level from file block 65804 on); each piece at most 4096 bytes
    (one FS_PREAD), one all hole."""
    rng = random.Random(9)
    bs, apb = 1024, 256
    t = 12 + apb + apb * apb
    pieces = [(100, 50), ((t - 1000) * bs, 4096), (t * bs - 3, 7), ((t + apb) * bs - 1, 2),
              ((t + apb * apb) * bs - 5, 9), ((t + apb * apb + 9 * apb + 3) * bs + 11, 1000)]
    os.mkdir(os.path.join(root, "bmap"))
    path = os.path.join(root, "bmap", "triple")
    with open(path, "wb") as f:
        f.truncate(pieces[-1][0] + pieces[-1][1] + 77)
        for off, n in pieces:
            if off != (t - 1000) * bs:
                f.seek(off)
                f.write(rng.randbytes(n))
    lines = []
    with open(path, "rb") as f:
        for off, n in pieces:
            f.seek(off)
            lines.append("%08x %d %d bmap/triple" % (zlib.crc32(f.read(n)), off, n))
    with open(os.path.join(root, "BMAP"), "w") as f:
        f.write("\n".join(lines) + "\n")


# The blocks usertests' ufs.bmap_write writes in /bmap/written (fs_bmap.c's
# written[]), each holding "block N\n".
BMAP_WRITES = [0, 12, 268, 268 + 256, 65804, 65804 + 65536]


def blocks_of(img, path):
    """{file block: disk block} from debugfs's stat."""
    text = stat(img, path).split("BLOCKS:", 1)[-1]
    m = {}
    for lo, hi, plo in re.findall(r"\((\d+)(?:-(\d+))?\):(\d+)", text):
        for k in range(int(hi or lo) - int(lo) + 1):
            m[int(lo) + k] = int(plo) + k
    return m


def check_bmap(img):
    m = blocks_of(img, "bmap/written")
    bad = [] if sorted(m) == BMAP_WRITES else ["mapped blocks %s, not %s" % (sorted(m), BMAP_WRITES)]
    with open(img, "rb") as f:
        for fb in BMAP_WRITES:
            want = ("block %d\n" % fb).encode()
            f.seek(m.get(fb, 0) * 1024)
            got = f.read(1024)
            if fb not in m or got != want + bytes(1024 - len(want)):
                bad.append("file block %d (disk block %s): %r..." % (fb, m.get(fb), got[:16]))
    for b in bad:
        print("ufs_image.py: bmap/written: " + b)
    if bad:
        sys.exit("ufs_image.py: bmap/written is not as ufs.bmap_write left it")
    print("ufs_image.py: bmap/written: blocks %s as written, found through debugfs's map" % BMAP_WRITES)


def make(img, bs, bmap=False):
    size = os.path.getsize(img)
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "root")
        os.mkdir(root)
        tree(root, bs)
        if bmap:
            bmap_tree(root)
        os.unlink(img)
        run(MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(bs), "-d", root, img, "%dk" % (size // 1024))
    run(E2FSCK, "-fn", img)


def corrupt(img, bs):
    make(img, bs)
    # files/size-N's first block pointer at block 1 (1 KiB) or 0: metadata.
    run(DEBUGFS, "-w", "-R", "sif /files/size-%d block[0] 1" % (bs + 1), img)
    # A read-only-compatible feature the library does not know: it mounts
    # the image read-only (and says so).
    run(DEBUGFS, "-w", "-R", "feature dir_nlink", img)


def pattern(off, n):
    """usertests' pat(): byte i of the files the suite writes."""
    return bytes((((i ^ (i >> 8) ^ (i >> 16)) * 31) & 0xff) for i in range(off, off + n))


# What the write cases of the ufs suite leave: path -> bytes, or None for
# a name that must be gone, or "dir" / ("link", target).
def expected_writes():
    trunc = pattern(0, 3000) + bytes(99997 - 3000) + b"end"
    return {
        "moved": b"heXYo\nworld\n",
        "made/small": None,
        "made/big": pattern(0, (2 << 20) + 100),
        "made/trunc": trunc,
        "made/victim": b"winner\n",
        "made/winner": None,
        "made/link": ("link", "../moved"),
        "made/timer": b"written back by the timer\n",
        "made/sub/subsub": "dir",
        "made/d1/d2/d3/d4/d5/d6/d7/d8/d9/bottom": b"the bottom\n",
        "d0/d1": None,
        "files/size-0": None,
        "empty": None,
        "again": None,
    }


def dump(img, path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "f")
        r = subprocess.run([DEBUGFS, "-R", "dump /%s %s" % (path, out), img], env=ENV,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if not os.path.exists(out) or "File not found" in r.stdout:
            return None
        with open(out, "rb") as f:
            return f.read()


def stat(img, path):
    return run(DEBUGFS, "-R", "stat /%s" % path, img)


def check_writes(img, killed=False, timer=True):
    exp = expected_writes()
    if killed:  # blk=user: written while ahcid was killed
        exp["made/killed"] = pattern(0, 4 << 20)
    if not timer:  # the boot ran the suite without ufs.timer_writes_back
        exp["made/timer"] = None
    bad = []
    for path, want in exp.items():
        st = stat(img, path)
        if want is None:
            if "File not found" not in st:
                bad.append("%s: still there" % path)
        elif want == "dir":
            if "Type: directory" not in st:
                bad.append("%s: not a directory" % path)
        elif isinstance(want, tuple):
            if "Type: symlink" not in st or ('Fast link dest: "%s"' % want[1]) not in st:
                bad.append("%s: not a symlink to %s" % (path, want[1]))
        else:
            got = dump(img, path)
            if got != want:
                bad.append("%s: %s bytes, not the %d expected" % (path, "no" if got is None else len(got),
                                                                   len(want)))
    for b in bad:
        print("ufs_image.py: " + b)
    if bad:
        sys.exit("ufs_image.py: %d of %d expectations failed" % (len(bad), len(exp)))
    print("ufs_image.py: the %d files and names the suite changed are as it left them" % len(exp))


def check(img):
    r = subprocess.run([E2FSCK, "-fn", img], env=ENV, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    print(r.stdout)
    if r.returncode:
        sys.exit("e2fsck -fn: exit %d" % r.returncode)
    state = [l for l in run(DUMPE2FS, "-h", img).splitlines() if l.startswith("Filesystem state:")]
    print(state[0] if state else "no state")
    if not state or "clean" not in state[0] or "not clean" in state[0]:
        sys.exit("the file system is not marked clean")
    print("ufs_image.py: %s is clean" % img)


# The broken images of the corrupt boot, in disk order: three that mount
# and break a file or a directory, three the library refuses.
CORRUPT_SET = ["ptr-outside", "ind-loop", "dirent-reclen", "feature-incompat", "gd-outside",
               "sb-geometry"]


def corrupt_set(imgs):
    here = os.path.dirname(os.path.abspath(__file__))
    size = os.path.getsize(imgs[0])
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "tree")
        run(sys.executable, os.path.join(here, "fstree.py"), "--block-size", "1024", root)
        base = os.path.join(tmp, "base.img")
        run(MKE2FS, "-q", "-F", "-t", "ext2", "-b", "1024", "-d", root, base, "%dk" % (size // 1024))
        out = os.path.join(tmp, "out")
        run(sys.executable, os.path.join(here, "ext2_corrupt.py"), base, out)
        for img, case in zip(imgs, CORRUPT_SET):
            shutil.copyfile(os.path.join(out, case + ".img"), img)
            print("ufs_image.py: %s is %s" % (img, case))


def empty(img, bs):
    size = os.path.getsize(img)
    os.unlink(img)
    run(MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(bs), img, "%dk" % (size // 1024))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "bmap":
        make(sys.argv[2], 1024, bmap=True)
    elif len(sys.argv) >= 3 and sys.argv[1] == "corrupt-set":
        corrupt_set(sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "empty":
        empty(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        check(sys.argv[2])
        if sys.argv[3] in ("writes", "writes-killed", "writes-notimer", "writes-killed-notimer"):
            check_writes(sys.argv[2], "-killed" in sys.argv[3], not sys.argv[3].endswith("-notimer"))
        elif sys.argv[3] == "bmap":
            check_bmap(sys.argv[2])
        elif sys.argv[3] == "enospc":
            got = dump(sys.argv[2], "after")
            if got != b"room again\n":
                sys.exit("ufs_image.py: /after is %r" % got)
            print("ufs_image.py: /after as written after the ENOSPC")
            got = dump(sys.argv[2], "pressure")
            if got != pattern(0, 1 << 20):
                sys.exit("ufs_image.py: /pressure: %s bytes, not the 1 MiB expected" % (
                    "no" if got is None else len(got)))
            print("ufs_image.py: /pressure as written through a 64-block cache")
        else:
            sys.exit(__doc__)
    elif len(sys.argv) == 4 and sys.argv[1] == "corrupt":
        corrupt(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        sys.exit(__doc__)
