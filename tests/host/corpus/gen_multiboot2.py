#!/usr/bin/env python3
"""Write the seed corpus of fuzz_multiboot2 into corpus/multiboot2/.

The seeds are multiboot2 boot information blocks laid out as GRUB 2.06
passes them to a kernel under QEMU (-m 128M, SeaBIOS), one with the ACPI 2.0
tag, ELF sections and a module, and a few garbled variants, each of which
multiboot2_parse must reject.  Rerun after changing: it rewrites every file.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "multiboot2")


def tag(type_, payload, size=None):
    """A tag: u32 type, u32 size (8 + payload unless given), payload, padding to 8."""
    size = 8 + len(payload) if size is None else size
    data = struct.pack("<II", type_, size) + payload
    return data + b"\0" * (-len(data) % 8)


def info(*tags, total=None):
    body = b"".join(tags)
    total = 8 + len(body) if total is None else total
    return struct.pack("<II", total, 0) + body


def string(type_, s):
    return tag(type_, s.encode() + b"\0")


def mmap(entries, entry_size=24):
    payload = struct.pack("<II", entry_size, 0)
    for addr, length, type_ in entries:
        e = struct.pack("<QQII", addr, length, type_, 0)
        payload += e[:entry_size].ljust(entry_size, b"\0")
    return tag(6, payload)


def rsdp(revision, rsdt, xsdt=0):
    v1 = b"RSD PTR " + b"\0" + b"BOCHS " + bytes([revision]) + struct.pack("<I", rsdt)
    v1 = v1[:8] + bytes([(-sum(v1)) & 0xff]) + v1[9:]
    if revision < 2:
        return v1
    v2 = v1 + struct.pack("<IQ", 36, xsdt) + b"\0\0\0\0"
    return v2[:32] + bytes([(-sum(v2)) & 0xff]) + v2[33:]


END = tag(0, b"")
QEMU_128M = [
    (0x0, 0x9fc00, 1),
    (0x9fc00, 0x400, 2),
    (0xf0000, 0x10000, 2),
    (0x100000, 0x7ee0000, 1),
    (0x7fe0000, 0x20000, 2),
    (0xfffc0000, 0x40000, 2),
]
CMDLINE = string(1, "/boot/pagoda.elf console=ttyS0 ktest=boot.*")
LOADER = string(2, "GRUB 2.06")
MEMINFO = tag(4, struct.pack("<II", 639, 130048))
BOOTDEV = tag(5, struct.pack("<III", 0xe0, 0xffffffff, 0xffffffff))
ACPI_OLD = tag(14, rsdp(0, 0x7fe1a7e))
ACPI_NEW = tag(15, rsdp(2, 0x7fe1a7e, 0x7fe1b00))
ELF = tag(9, struct.pack("<III", 4, 64, 3) + bytes(range(256)))
MODULE = tag(3, struct.pack("<II", 0x200000, 0x203000) + b"/boot/initrd\0")

SEEDS = {
    "grub-qemu-128M": info(CMDLINE, LOADER, MEMINFO, BOOTDEV, mmap(QEMU_128M), ACPI_OLD, END),
    "grub-acpi2-elf-module": info(CMDLINE, LOADER, MEMINFO, ELF, MODULE,
                                  mmap(QEMU_128M[::-1] + [(0x100000000, 0x40000000, 1)]),
                                  ACPI_OLD, ACPI_NEW, END),
    "minimal": info(END),
    # a second ELF sections tag whose headers do not fit (a fuzzer find)
    "elf-twice": info(LOADER, ELF, tag(9, struct.pack("<III", 0x200000, 64, 3)), END),
    # garbled: each one is rejected, for its own reason
    "bad-mmap-entry-size-20": info(CMDLINE, mmap(QEMU_128M, entry_size=20), END),
    "bad-tag-overrun": info(LOADER, tag(1, b"console=ttyS0\0", size=200), END),
    "bad-no-end-tag": info(CMDLINE, LOADER, MEMINFO),
    "bad-cmdline-unterminated": info(tag(1, b"console=ttyS0"), END),
    "bad-end-size-16": info(CMDLINE, tag(0, b"\0" * 8)),
    "bad-acpi2-short": info(LOADER, tag(15, rsdp(0, 0x7fe1a7e)), END),
    "bad-total-too-large": info(CMDLINE, END, total=4096),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(SEEDS)} seeds to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
