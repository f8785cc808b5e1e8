#!/usr/bin/env python3
"""Disk throughput under QEMU/TCG: boot q35 with a 64 MiB disk image and run
the monitor's `dbench` (sequential reads, queue depth 1, one bio per request
over scattered pages) for several request sizes, on sda (AHCI) and ram0 (the
RAM disk, which shows the block layer's own cost). Figures, never a verdict.

    tools/bench/disk_bench.py [--arch x86_64] [--bytes 32M]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QEMU = {"x86_64": "qemu-system-x86_64", "i386": "qemu-system-i386"}
SIZES = ["4K", "64K", "1M", "4M"]
LINE = re.compile(r"dbench (\S+): (\d+) bytes in ([0-9.]+) ms with (\d+)-byte reads: ([0-9.]+) MB/s, (\d+) IOPS")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", default="x86_64", choices=QEMU)
    ap.add_argument("--bytes", default="32M")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        img = os.path.join(tmp, "disk.img")
        subprocess.run([sys.executable, os.path.join(REPO, "tools", "disk_pattern.py"), "make", img, "64"], check=True)
        cmds = []
        for disk in ("sda", "ram0"):
            for size in SIZES:
                total = args.bytes if disk == "sda" else "8M"
                cmds.append(f"dbench+{disk}+{total}+{size}")
        iso = os.path.join(tmp, "bench.iso")
        subprocess.run(["bash", os.path.join(REPO, "tools", "mkiso.sh"),
                        os.path.join(REPO, "build", args.arch, "kernel.elf"), iso,
                        "moncmd=" + ",".join(cmds + ["exit"])], check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([QEMU[args.arch], "-M", "q35", "-m", "256M", "-cdrom", iso, "-boot", "d",
                              "-no-reboot", "-nodefaults", "-display", "none", "-serial", "stdio",
                              "-drive", f"file={img},if=none,id=d0,format=raw",
                              "-device", "ide-hd,drive=d0,bus=ide.0"],
                             capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL).stdout
    print(f"disk throughput ({args.arch}, q35, TCG; sequential reads, queue depth 1)")
    print(f"{'disk':<6} {'request':>8} {'MB/s':>9} {'IOPS':>8}")
    found = 0
    for m in LINE.finditer(out):
        disk, _, _, size, mbs, iops = m.groups()
        print(f"{disk:<6} {int(size) // 1024:>7}K {float(mbs):>9.2f} {int(iops):>8}")
        found += 1
    if not found:
        print(out[-2000:])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
