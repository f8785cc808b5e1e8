#!/usr/bin/env python3
"""ext2_corrupt.py IMG OUTDIR - broken copies of an ext2 image.

Each copy OUTDIR/<case>.img has one structure broken, named for what it
breaks, so that a test can check a reader refuses it (at mount) or fails
cleanly on the one inode or directory concerned, and keeps running:

    sb-magic            the superblock's magic is not 0xef53
    sb-block-size       s_log_block_size says 512 KiB blocks
    sb-geometry         s_inodes_per_group disagrees with s_inodes_count
    feature-incompat    an incompatible feature nobody supports (0x80000000)
    gd-outside          a group descriptor's block bitmap outside its group
    ptr-outside         a file's first block pointer past the file system
    ptr-metadata        a file's first block pointer into the inode table
    ind-loop            a file's single indirect block pointing to itself
    dirent-reclen       a directory's ".." entry with rec_len past its block

OUTDIR/cases.txt lists them, one a line: "<case> mount" (the image must be
refused at mount), or "<case> read PATH" / "<case> readdir PATH" (it
mounts; reading that file, or listing that directory, must fail with a
corruption error). The file and directory are the first regular file with
an indirect block and the first directory other than the root and
lost+found, by inode number; their paths come from `debugfs ncheck`.

IMG must be a healthy ext2 image (mke2fs -t ext2, e.g. `make disk` of
tools/fstree.py's tree) with such a file and such a directory. IMG is not
changed.
"""
import os, shutil, struct, subprocess, sys

S_IFMT, S_IFREG, S_IFDIR = 0o170000, 0o100000, 0o040000


class Image:
    def __init__(self, path):
        self.data = bytearray(open(path, "rb").read())
        sb = self.data[1024:2048]
        (self.inodes_count, self.blocks_count, _, _, _, self.first_data_block, log_bs, _,
         self.blocks_per_group, _, self.inodes_per_group) = struct.unpack_from("<11I", sb, 0)
        if struct.unpack_from("<H", sb, 56)[0] != 0xEF53:
            sys.exit("ext2_corrupt.py: not an ext2 image")
        self.bs = 1024 << log_bs
        rev = struct.unpack_from("<I", sb, 76)[0]
        self.inode_size = struct.unpack_from("<H", sb, 88)[0] if rev else 128
        self.first_ino = struct.unpack_from("<I", sb, 84)[0] if rev else 11
        self.groups = (self.blocks_count - self.first_data_block - 1) // self.blocks_per_group + 1

    def u32(self, off):
        return struct.unpack_from("<I", self.data, off)[0]

    def put32(self, off, v):
        struct.pack_into("<I", self.data, off, v)

    def gd(self, g):
        """Byte offset of group g's descriptor."""
        return (self.first_data_block + 1) * self.bs + 32 * g

    def inode(self, ino):
        g, i = divmod(ino - 1, self.inodes_per_group)
        return self.u32(self.gd(g) + 8) * self.bs + i * self.inode_size

    def mode(self, ino):
        return struct.unpack_from("<H", self.data, self.inode(ino))[0]

    def links(self, ino):
        return struct.unpack_from("<H", self.data, self.inode(ino) + 26)[0]

    def block_ptr(self, ino, i):
        """Byte offset of i_block[i]."""
        return self.inode(ino) + 40 + 4 * i

    def find(self, want):
        for ino in range(self.first_ino, self.inodes_count + 1):
            if self.links(ino) and want(ino):
                return ino
        sys.exit("ext2_corrupt.py: no inode fit for a case (see the docstring)")


def path_of(img, ino):
    r = subprocess.run(["debugfs", "-R", "ncheck %d" % ino, img], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True, check=True)
    for line in r.stdout.splitlines()[1:]:
        fields = line.split(None, 1)
        if len(fields) == 2 and fields[0] == str(ino):
            return "/" + fields[1].lstrip("/")  # debugfs says //name for the root's
    sys.exit("ext2_corrupt.py: debugfs ncheck found no name for inode %d" % ino)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    os.environ["PATH"] += ":/sbin:/usr/sbin"
    os.makedirs(out, exist_ok=True)
    base = Image(src)
    file_ino = base.find(lambda i: base.mode(i) & S_IFMT == S_IFREG and base.u32(base.block_ptr(i, 12)))
    dir_ino = base.find(lambda i: base.mode(i) & S_IFMT == S_IFDIR and i != 11)
    file_path, dir_path = path_of(src, file_ino), path_of(src, dir_ino)

    def sb_magic(im):
        struct.pack_into("<H", im.data, 1024 + 56, 0x1234)

    def sb_block_size(im):
        im.put32(1024 + 24, 9)

    def sb_geometry(im):
        im.put32(1024 + 40, im.inodes_per_group + 8)

    def feature_incompat(im):
        im.put32(1024 + 96, im.u32(1024 + 96) | 0x80000000)

    def gd_outside(im):
        g = 1 if im.groups > 1 else 0
        im.put32(im.gd(g), im.blocks_count + 100 if g == 0 else im.first_data_block + 5)

    def ptr_outside(im):
        im.put32(im.block_ptr(file_ino, 0), im.blocks_count + 7)

    def ptr_metadata(im):
        im.put32(im.block_ptr(file_ino, 0), im.u32(im.gd(0) + 8))

    def ind_loop(im):
        ind = im.u32(im.block_ptr(file_ino, 12))
        im.put32(ind * im.bs, ind)

    def dirent_reclen(im):
        first = im.u32(im.block_ptr(dir_ino, 0)) * im.bs
        dot_len = struct.unpack_from("<H", im.data, first + 4)[0]
        struct.pack_into("<H", im.data, first + dot_len + 4, im.bs + 4)

    cases = [
        ("sb-magic", sb_magic, "mount"),
        ("sb-block-size", sb_block_size, "mount"),
        ("sb-geometry", sb_geometry, "mount"),
        ("feature-incompat", feature_incompat, "mount"),
        ("gd-outside", gd_outside, "mount"),
        ("ptr-outside", ptr_outside, "read " + file_path),
        ("ptr-metadata", ptr_metadata, "read " + file_path),
        ("ind-loop", ind_loop, "read " + file_path),
        ("dirent-reclen", dirent_reclen, "readdir " + dir_path),
    ]
    with open(os.path.join(out, "cases.txt"), "w") as f:
        for name, fn, what in cases:
            im = Image(src)
            fn(im)
            with open(os.path.join(out, name + ".img"), "wb") as o:
                o.write(im.data)
            f.write("%s %s\n" % (name, what))
    print("ext2_corrupt.py: %d broken copies of %s in %s (file %s, directory %s)" %
          (len(cases), src, out, file_path, dir_path))


if __name__ == "__main__":
    main()
