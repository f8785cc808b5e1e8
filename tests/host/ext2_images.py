#!/usr/bin/env python3
"""ext2_images.py OUTDIR - the images tests/host/test_ext2.c reads.

For each geometry (block size, inode size, revision) a generated tree
OUTDIR/tree-<name>/ and its image OUTDIR/<name>.img made by the host's
`mke2fs -t ext2 -d`, then `e2fsck -fyD` (which indexes every directory of
more than a block: dir_index) and `e2fsck -fn` (the image must be clean).
The tree holds files of the sizes around block boundaries, files needing
single, double and triple indirect blocks (1 KiB blocks; with 4 KiB ones, a
file over 4 GiB), sparse files, a
wide and a deep directory, a 255-byte name, fast, slow, dangling, looping
and absolute symlinks, a hard link and a fifo. OUTDIR/images.txt lists
"name block_size".

Then OUTDIR/corrupt/<case>.img: copies of a small 1 KiB image each with
one structure broken, located with debugfs and written here byte by byte
(the cases and what each must give are in test_ext2.c).

Deterministic: the same bytes on every run (fixed seeds, fixed times).
"""
import os, random, re, shutil, struct, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from e2fsprogs import DEBUGFS, E2FSCK, MKE2FS, run  # noqa: E402

OUT = sys.argv[1]

GEOMETRIES = [  # name, block size, inode size, extra mke2fs options, image KiB
    ("b1024-i128", 1024, 128, [], 6144),
    ("b1024-i256", 1024, 256, [], 6144),
    ("b2048-i128", 2048, 128, [], 8192),
    ("b4096-i256", 4096, 256, [], 12288),
    ("b4096-i128", 4096, 128, [], 12288),
    ("b1024-rev0", 1024, 128, ["-r", "0"], 6144),
]




def data(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n)) if n < 4096 else rng.randbytes(n)


def write(path, content, mode=0o644):
    with open(path, "wb") as f:
        f.write(content)
    os.chmod(path, mode)


def sparse(path, rng, size, pieces):
    """A file of `size` bytes holding data only at the given offsets."""
    with open(path, "wb") as f:
        f.truncate(size)
        for off, n in pieces:
            f.seek(off)
            f.write(data(rng, min(n, size - off)))


def make_tree(root, bs, rng):
    os.makedirs(root)
    apb = bs // 4
    direct, single, double = 12 * bs, (12 + apb) * bs, (12 + apb + apb * apb) * bs
    f = os.path.join(root, "files")
    os.mkdir(f)
    for n in [0, 1, bs - 1, bs, bs + 1, 3 * bs + 17, direct, direct + 1]:
        write(os.path.join(f, "size-%d" % n), data(rng, n))
    # single indirect, dense; double indirect dense while small enough
    write(os.path.join(f, "single"), data(rng, min(single, direct + 40 * bs) + 5))
    if double <= 2 << 20:
        write(os.path.join(f, "double"), data(rng, single + 3 * bs + 7))
    else:
        sparse(os.path.join(f, "double"), rng, single + 3 * apb * bs + 9,
               [(0, 2 * bs), (direct - 5, 2 * bs), (single - 3, bs + 6), (single + apb * bs + 1, 3 * bs)])
    if bs == 1024:  # triple indirect: 64 MiB and more, sparse
        sparse(os.path.join(f, "triple"), rng, double + 5 * bs + 3,
               [(0, 100), (single + 10, 3000), (double - 2, 4000), (double + 4 * bs, bs + 3)])
    if bs == 4096:  # over 4 GiB: i_size_high (large_file), triple indirect
        sparse(os.path.join(f, "large"), rng, (4 << 30) + (8 << 20) + 3 * bs + 5,
               [(0, 10), ((4 << 30) - 7, 20), ((4 << 30) + (8 << 20) + 2 * bs, bs + 5)])
    sparse(os.path.join(f, "holes"), rng, 40 * bs + 11,
           [(bs, 10), (5 * bs + 3, 2 * bs), (13 * bs, bs), (30 * bs - 1, 2)])
    sparse(os.path.join(f, "all-hole"), rng, 20 * bs, [])
    write(os.path.join(f, "ro"), b"read only\n", 0o444)
    write(os.path.join(f, "exec"), b"#!/bin/sh\necho hi\n", 0o755)
    write(os.path.join(f, "private"), b"secret\n", 0o600)
    os.link(os.path.join(f, "size-1"), os.path.join(f, "hardlink"))
    os.mkfifo(os.path.join(f, "fifo"), 0o640)

    wide = os.path.join(root, "wide")  # several blocks: dir_index after e2fsck -D
    os.mkdir(wide)
    for i in range(220):
        write(os.path.join(wide, "entry-%04d-%s" % (i, "x" * (i % 37))), data(rng, i % 5))
    deep = root
    for i in range(24):
        deep = os.path.join(deep, "d%02d" % i)
        os.mkdir(deep)
    write(os.path.join(deep, "bottom"), b"the bottom\n")
    os.mkdir(os.path.join(root, "empty"), 0o700)
    write(os.path.join(root, "n" * 255), b"a 255-byte name\n")

    s = os.path.join(root, "links")
    os.mkdir(s)
    os.symlink("../files/size-1", os.path.join(s, "fast"))
    slow = "../" + "/".join(["."] * 60) + "/files/exec"  # over 60 bytes: a block
    os.symlink(slow, os.path.join(s, "slow"))
    os.symlink("/files/holes", os.path.join(s, "absolute"))
    os.symlink("../d00/d01", os.path.join(s, "to-dir"))
    os.symlink("nowhere", os.path.join(s, "dangling"))
    os.symlink("loop-b", os.path.join(s, "loop-a"))
    os.symlink("loop-a", os.path.join(s, "loop-b"))
    os.symlink("to-dir/d02/../d02", os.path.join(s, "via-link"))
    os.symlink("x" * min(bs - 1, 1000), os.path.join(s, "long-target"))


def make_image(name, bs, isz, extra, kib, root):
    img = os.path.join(OUT, name + ".img")
    if os.path.exists(img):
        os.unlink(img)
    run(MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(bs), "-I", str(isz), "-N", "1024",
        "-E", "root_owner=%d:%d" % (os.getuid(), os.getgid()),
        *extra, "-d", root, img, "%dk" % kib)
    if "-r" not in extra:
        run(E2FSCK, "-fyD", img, check=False)  # 0 or 1 (it optimised directories)
    run(E2FSCK, "-fn", img)
    return img


def debugfs(img, cmd):
    return run(DEBUGFS, "-R", cmd, img)


def inode_of(img, path):
    return int(re.search(r"Inode: (\d+)", debugfs(img, "stat " + path)).group(1))


def inode_place(img, path):
    m = re.search(r"located at block (\d+), offset (0x[0-9a-f]+)", debugfs(img, "imap " + path))
    return int(m.group(1)), int(m.group(2), 16)


def blocks_of(img, path):
    """{'0': n, 'IND': n, ...} from debugfs stat's BLOCKS: list."""
    out = debugfs(img, "stat " + path).split("BLOCKS:", 1)[1]
    found = {}
    for key, first, last in re.findall(r"\(([A-Z0-9]+)(?:-\d+)?\):(\d+)(?:-(\d+))?", out):
        found.setdefault(key, int(first))
    return found


class Image:
    def __init__(self, path):
        self.path = path
        self.b = bytearray(open(path, "rb").read())
        sb = self.b[1024:2048]
        self.inodes_count, self.blocks_count = struct.unpack_from("<II", sb, 0)
        self.bs = 1024 << struct.unpack_from("<I", sb, 24)[0]
        self.gd = 2 * 1024 if self.bs == 1024 else self.bs  # block first_data_block + 1

    def put(self, off, fmt, *v):
        struct.pack_into(fmt, self.b, off, *v)

    def save(self, name):
        os.makedirs(os.path.join(OUT, "corrupt"), exist_ok=True)
        with open(os.path.join(OUT, "corrupt", name + ".img"), "wb") as f:
            f.truncate(len(self.b))  # sparse: only the blocks in use take room
            for at in range(0, len(self.b), 4096):
                chunk = self.b[at:at + 4096]
                if chunk.count(0) != len(chunk):
                    f.seek(at)
                    f.write(chunk)


def make_corrupt(base):
    img = lambda: Image(base)
    bs = img().bs
    ino_table_blk = struct.unpack_from("<I", img().b, img().gd + 8)[0]

    c = img(); c.put(1024 + 56, "<H", 0x1234); c.save("sb-magic")
    c = img(); c.put(1024 + 24, "<I", 9); c.save("sb-block-size")
    c = img(); c.put(1024 + 0, "<I", c.inodes_count + 8); c.save("sb-inodes-count")
    c = img(); c.put(1024 + 96, "<I", 0x42); c.save("sb-extents")   # extent | filetype
    c = img(); c.put(1024 + 96, "<I", 0x06); c.save("sb-recover")
    c = img(); c.put(1024 + 100, "<I", 0x8003); c.save("sb-ro-unknown")
    c = img(); c.put(c.gd + 8, "<I", c.blocks_count + 50); c.save("gd-inode-table")

    blk, off = inode_place(base, "/files/single")
    at = blk * bs + off + 40  # i_block[]
    c = img(); c.put(at, "<I", c.blocks_count + 100); c.save("ptr-outside")
    c = img(); c.put(at + 4, "<I", ino_table_blk + 1); c.save("ptr-metadata")
    ind = blocks_of(base, "/files/single")["IND"]
    c = img(); c.put(ind * bs + 8, "<I", ind); c.save("ind-self")  # file block 14
    tblk, toff = inode_place(base, "/files/triple")
    tind = blocks_of(base, "/files/triple")["TIND"]
    c = img(); c.put(tind * bs, "<I", tind); c.save("tind-self")

    d = blocks_of(base, "/empty")["0"] * bs  # ".", then ".." to the block's end
    c = img(); c.put(d + 4, "<H", 0); c.save("de-reclen-zero")
    c = img(); c.put(d + 12 + 4, "<H", bs); c.save("de-reclen-past")
    c = img(); c.put(d + 6, "<B", 9); c.save("de-namelen-past")
    c = img(); c.put(d + 12, "<I", c.inodes_count + 1); c.save("de-inode-past")
    c = img(); c.put(d + 4, "<H", 14); c.save("de-reclen-unaligned")


def main():
    os.makedirs(OUT, exist_ok=True)
    listing = []
    for name, bs, isz, extra, kib in GEOMETRIES:
        root = os.path.join(OUT, "tree-" + name)
        if os.path.exists(root):
            shutil.rmtree(root)
        make_tree(root, bs, random.Random(bs * 1000 + isz))
        make_image(name, bs, isz, extra, kib, root)
        listing.append("%s %d\n" % (name, bs))
    make_corrupt(os.path.join(OUT, "b1024-i128.img"))
    with open(os.path.join(OUT, "images.txt"), "w") as f:
        f.writelines(listing)


main()
