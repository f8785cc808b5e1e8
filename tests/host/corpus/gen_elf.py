#!/usr/bin/env python3
"""Write the seed corpus of fuzz_elf into corpus/elf/.

Minimal static executables as user/user.ld lays them out (text r-x with the
headers, rodata r--, data+bss rw-), ELF64 x86-64 and ELF32 i386, and a few
that elf_check must refuse.  Rerun after changing: it rewrites every file.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "elf")
PT_LOAD, PT_INTERP = 1, 3


def elf(is64, segs, entry_off=0x100, etype=2, size=0x600):
    base = 0x400000 if is64 else 0x08048000
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 1, 1]) + b"\0" * 9
    if is64:
        eh = ident + struct.pack("<HHIQQQIHHHHHH", etype, 62, 1, base + entry_off, 64, 0, 0,
                                 64, 56, len(segs), 0, 0, 0)
        ph = b"".join(struct.pack("<IIQQQQQQ", t, fl, off, base + va, base + va, fs, ms, 0x1000)
                      for t, fl, off, va, fs, ms in segs)
    else:
        eh = ident + struct.pack("<HHIIIIIHHHHHH", etype, 3, 1, base + entry_off, 52, 0, 0,
                                 52, 32, len(segs), 0, 0, 0)
        ph = b"".join(struct.pack("<IIIIIIII", t, off, base + va, base + va, fs, ms, fl, 0x1000)
                      for t, fl, off, va, fs, ms in segs)
    img = eh + ph
    return img + b"\x90" * (size - len(img))


# Packed into 1.5 KiB (the fuzzer's inputs stay under 4 KiB): each segment
# on its own pages in memory, its file bytes right after the previous one's.
GOOD = [(PT_LOAD, 5, 0, 0, 0x400, 0x400), (PT_LOAD, 4, 0x400, 0x1400, 0x100, 0x100),
        (PT_LOAD, 6, 0x500, 0x2500, 0x100, 0x3000)]


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {
        "good64": elf(True, GOOD),
        "good32": elf(False, GOOD),
        "one-segment64": elf(True, GOOD[:1], size=0x400),
        "bad-overlap32": elf(False, [GOOD[0], (PT_LOAD, 6, 0x500, 0x500, 0x10, 0x10)]),
        "bad-interp64": elf(True, [GOOD[0], (PT_INTERP, 4, 0x1000, 0x1000, 0x10, 0x10)]),
        "bad-dyn64": elf(True, GOOD, etype=3),
        "bad-entry32": elf(False, GOOD, entry_off=0x2510),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
