#!/usr/bin/env python3
"""Disk throughput under QEMU/TCG: boot q35 with a 64 MiB disk image and run
the monitor's `dbench` (sequential reads, one bio per request over scattered
pages) on sda (AHCI) and ram0 (the RAM disk, which shows the block layer's own
cost):

- request sizes 4 KiB, 64 KiB, 1 MiB and 4 MiB at queue depth 1;
- 4 KiB requests at queue depth 32 with NCQ (32 queued commands), and at
  depths 1 and 32 in a second boot with `ahci_noncq` (the driver then runs
  one command at a time, so depth 32 only keeps its pending list full);
- PIO for comparison (a third boot with `ahci_pio`: READ SECTORS EXT, the
  disk handing over one sector per PIO Setup FIS) at 4 KiB, 64 KiB, 1 MiB.

Figures, never a verdict. --save FILE also writes the depth-1 NCQ rows of
sda as "PAGODA disk.<size>.mbs|iops <value> <unit>" lines, the form
tools/bench/side_by_side.py pairs with Linux's.

    tools/bench/disk_bench.py [--arch x86_64] [--bytes 32M] [--save FILE]
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
LINE = re.compile(r"dbench (\S+): (\d+) bytes in ([0-9.]+) ms with (\d+)-byte reads, queue depth (\d+): "
                  r"([0-9.]+) MB/s, (\d+) IOPS \(at most (\d+) in flight\)")


def boot(args, tmp, img, cmdline, cmds):
    """Boot once with these monitor commands; the matching dbench lines."""
    iso = os.path.join(tmp, "bench.iso")
    subprocess.run(["bash", os.path.join(REPO, "tools", "mkiso.sh"),
                    os.path.join(REPO, "build", args.arch, "kernel.elf"), iso]
                   + cmdline + ["moncmd=" + ",".join(cmds + ["exit"])],
                   check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run([QEMU[args.arch], "-M", "q35", "-m", "256M", "-cdrom", iso, "-boot", "d",
                          "-no-reboot", "-nodefaults", "-display", "none", "-serial", "stdio",
                          "-drive", f"file={img},if=none,id=d0,format=raw",
                          "-device", "ide-hd,drive=d0,bus=ide.0"],
                         capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL).stdout
    rows = LINE.findall(out)
    if not rows:
        print(out[-2000:])
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", default="x86_64", choices=QEMU)
    ap.add_argument("--bytes", default="32M")
    ap.add_argument("--save", metavar="FILE")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        img = os.path.join(tmp, "disk.img")
        subprocess.run([sys.executable, os.path.join(REPO, "tools", "disk_pattern.py"), "make", img, "64"], check=True)
        cmds = []
        for disk in ("sda", "ram0"):
            for size in SIZES:
                total = args.bytes if disk == "sda" else "8M"
                cmds.append(f"dbench+{disk}+{total}+{size}")
        cmds.append(f"dbench+sda+{args.bytes}+4K+32")
        ncq = boot(args, tmp, img, [], cmds)
        noncq = boot(args, tmp, img, ["ahci_noncq"],
                     [f"dbench+sda+{args.bytes}+4K", f"dbench+sda+{args.bytes}+4K+32"])
        pio = boot(args, tmp, img, ["ahci_pio"], [f"dbench+sda+8M+{size}" for size in SIZES[:3]])
    if not ncq or not noncq or not pio:
        return 1
    print(f"disk throughput ({args.arch}, q35, TCG; sequential reads)")
    print(f"{'disk':<6} {'request':>8} {'depth':>6} {'mode':<8} {'MB/s':>9} {'IOPS':>8} {'in flight':>10}")
    for rows, mode in ((ncq, "NCQ"), (noncq, "no NCQ"), (pio, "PIO")):
        for disk, _, _, size, qd, mbs, iops, peak in rows:
            print(f"{disk:<6} {int(size) // 1024:>7}K {qd:>6} {mode if disk == 'sda' else '-':<8} "
                  f"{float(mbs):>9.2f} {int(iops):>8} {int(peak):>10}")
    if args.save:
        save(args.save, ncq)
    return 0


def save(path, rows):
    """The depth-1 sda rows as side_by_side.py reads them (4096 -> 4K...)."""
    names = {1024 * int(s[:-1]) * (1024 if s.endswith("M") else 1): s for s in SIZES}
    with open(path, "w") as f:
        for disk, _, _, size, qd, mbs, iops, _ in rows:
            if disk == "sda" and qd == "1":
                f.write(f"PAGODA disk.{names[int(size)]}.mbs {mbs} MB/s\n")
                f.write(f"PAGODA disk.{names[int(size)]}.iops {iops} IOPS\n")


if __name__ == "__main__":
    sys.exit(main())
