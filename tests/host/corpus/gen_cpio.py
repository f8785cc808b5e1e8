#!/usr/bin/env python3
"""Write the seed corpus of fuzz_cpio into corpus/cpio/.

Small newc archives as `cpio -o -H newc` writes them (a directory, files,
a symlink, the trailer, padding to 512 bytes), and a few garbled variants
that cpio_validate must reject.  Rerun after changing: it rewrites every file.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cpio")


def entry(name, mode, data=b"", ino=1, namesize=None, filesize=None, magic=b"070701"):
    name = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data) if filesize is None else filesize,
              0, 0, 0, 0, len(name) if namesize is None else namesize, 0]
    hdr = magic + b"".join(b"%08X" % f for f in fields)
    out = hdr + name
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def archive(*entries, pad=True):
    body = b"".join(entries) + entry("TRAILER!!!", 0)
    return body + (b"\0" * (-len(body) % 512) if pad else b"")


def main():
    os.makedirs(OUT, exist_ok=True)
    elf = b"\x7fELF" + bytes(range(60))
    seeds = {
        "bin-tree": archive(entry("bin", 0o40755), entry("bin/init", 0o100755, elf, 2),
                            entry("bin/sh", 0o120777, b"init", 3)),
        "one-file": archive(entry("hello", 0o100644, b"hello, world\n")),
        "empty-file-nopad": archive(entry("e", 0o100644), pad=False),
        "only-trailer": archive(),
        "bad-no-trailer": entry("a", 0o100644, b"abc"),
        "bad-filesize": archive(entry("a", 0o100644, b"abc", filesize=0x1000)),
        "bad-namesize": archive(entry("abc", 0o100644, namesize=2)),
        "bad-magic": archive(entry("a", 0o100644, b"x", magic=b"070707")),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
