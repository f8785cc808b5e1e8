#!/usr/bin/env python3
"""fstree.py - a deterministic test tree for the file-system tests.

    tools/fstree.py [--seed N] [--block-size BS] [--manifest FILE] DIR

Makes DIR (which must not exist) holding, for block size BS (1024 unless
told; the sizes are chosen around its boundaries):

    sizes/size-0, size-1, size-<BS-1>, size-<BS>, size-<BS+1>   direct blocks
    sizes/single        12 blocks + 1 byte: the single indirect block
    sizes/double        past 12 + BS/4 blocks: double indirect blocks
                        (at 1 KiB blocks: over 268 KiB)
    sparse              data at the start, in the middle and at the end,
                        holes between (made with seek: mke2fs -d keeps them)
    deep/d1/.../d8/leaf eight levels of directories
    wide/e000 ... e299  300 entries in one directory (small files)
    a                   a one-byte name
    nnn...n             a 255-byte name
    link                a symlink to sizes/size-1

and a manifest, FILE (DIR.cksum unless told): one line per regular file,
sorted, as the host's GNU `cksum PATH` prints it with PATH relative to DIR
("CRC SIZE PATH"), which a guest test compares with its own cksum. The
contents come from the seed, and every mtime is fixed, so the same seed
gives the same bytes (and the same image from `make disk`).
"""
import argparse, os, random, subprocess, sys

MTIME = 1700000000


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def make_tree(root, bs, rng):
    os.makedirs(root)
    sizes = os.path.join(root, "sizes")
    os.mkdir(sizes)
    for n in [0, 1, bs - 1, bs, bs + 1]:
        write(os.path.join(sizes, "size-%d" % n), rng.randbytes(n))
    write(os.path.join(sizes, "single"), rng.randbytes(12 * bs + 1))
    apb = bs // 4
    write(os.path.join(sizes, "double"), rng.randbytes((12 + apb + 3) * bs + 5))
    with open(os.path.join(root, "sparse"), "wb") as f:
        for off, n in [(0, 100), (40 * bs + 7, bs + 3), (300 * bs, 1)]:
            f.seek(off)
            f.write(rng.randbytes(n))
    deep = os.path.join(root, "deep")
    for i in range(1, 9):
        deep = os.path.join(deep, "d%d" % i)
    os.makedirs(deep)
    write(os.path.join(deep, "leaf"), b"eight levels down\n")
    wide = os.path.join(root, "wide")
    os.mkdir(wide)
    for i in range(300):
        write(os.path.join(wide, "e%03d" % i), rng.randbytes(rng.randrange(0, 40)))
    write(os.path.join(root, "a"), b"a one-byte name\n")
    write(os.path.join(root, "n" * 255), b"a 255-byte name\n")
    os.symlink("sizes/size-1", os.path.join(root, "link"))
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.utime(os.path.join(dirpath, name), (MTIME, MTIME), follow_symlinks=False)
    os.utime(root, (MTIME, MTIME))


def manifest(root, out):
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.isfile(path) and not os.path.islink(path):
                files.append(os.path.relpath(path, root))
    files.sort()
    lines = []
    for i in range(0, len(files), 100):  # a command line of a sensible length
        r = subprocess.run(["cksum", "--"] + files[i:i + 100], cwd=root, check=True,
                           stdout=subprocess.PIPE, text=True)
        lines.append(r.stdout)
    with open(out, "w") as f:
        f.write("".join(lines))
    return len(files)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--block-size", type=int, default=1024, choices=[1024, 2048, 4096])
    ap.add_argument("--manifest")
    ap.add_argument("dir")
    a = ap.parse_args()
    if os.path.exists(a.dir):
        sys.exit("fstree.py: %s exists" % a.dir)
    make_tree(a.dir, a.block_size, random.Random(a.seed))
    out = a.manifest or a.dir.rstrip("/") + ".cksum"
    n = manifest(a.dir, out)
    print("fstree.py: %s (seed %d, %d-byte blocks), %d files in %s" % (a.dir, a.seed, a.block_size, n, out))


if __name__ == "__main__":
    main()
