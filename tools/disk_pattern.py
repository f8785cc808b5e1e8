#!/usr/bin/env python3
"""The pattern the monitor's `dwrite` writes (include/pagoda/diskpattern.h),
regenerated on the host, and CRC-32s of disk images the way `dcrc` reports
them.

    tools/disk_pattern.py make  IMAGE SIZE_MIB          deterministic image content
    tools/disk_pattern.py crc   IMAGE LBA COUNT         zlib CRC-32 of sectors
    tools/disk_pattern.py check IMAGE LBA COUNT SEED    did dwrite write this?
"""
import struct
import sys
import zlib

M32 = 0xffffffff


def word(lba, i, seed):
    x = (seed ^ (lba * 0x9e3779b1) ^ (i * 0x85ebca77)) & M32
    x ^= x >> 15
    x = (x * 0x2c1b3c6d) & M32
    x ^= x >> 12
    return x


def sector(lba, seed):
    return struct.pack("<128I", *(word(lba, i, seed) for i in range(128)))


def image_sector(lba):
    """Content of sector lba in an image from `make`: the pattern with seed 0."""
    return sector(lba, 0)


def main(argv):
    if len(argv) >= 3 and argv[0] == "make":
        with open(argv[1], "wb") as f:
            for lba in range(int(argv[2]) * 2048):
                f.write(image_sector(lba))
        return 0
    if len(argv) == 4 and argv[0] == "crc":
        lba, count = int(argv[2]), int(argv[3])
        with open(argv[1], "rb") as f:
            f.seek(lba * 512)
            print("%08x" % (zlib.crc32(f.read(count * 512)) & M32))
        return 0
    if len(argv) == 5 and argv[0] == "check":
        lba, count, seed = int(argv[2]), int(argv[3]), int(argv[4])
        with open(argv[1], "rb") as f:
            f.seek(lba * 512)
            data = f.read(count * 512)
        want = b"".join(sector(lba + s, seed) for s in range(count))
        if data != want:
            bad = next(i for i in range(len(want)) if i >= len(data) or data[i] != want[i])
            print(f"mismatch at byte {bad} (sector {lba + bad // 512})")
            return 1
        print("ok")
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
