#!/usr/bin/env python3
"""Boot-to-prompt time: how long from starting QEMU until the monitor's
`pagoda> ` prompt appears on COM1, and the kernel's own init time (TSC, from
its first instruction to the prompt). Figures, never a verdict.

    tools/bench/boot_time.py                       # the default set
    tools/bench/boot_time.py x86_64:q35:16G i386:pc:128M --runs 5

Each configuration boots --runs times; the table shows the median and the
range. The wall time includes QEMU start-up, SeaBIOS and GRUB, all under TCG.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QEMU = {"x86_64": "qemu-system-x86_64", "i386": "qemu-system-i386"}
DEFAULT = ["x86_64:pc:128M", "i386:pc:128M", "x86_64:q35:4G", "x86_64:q35:16G"]
INIT_RE = re.compile(r"kernel init took ([0-9.]+) ms")


def make_iso(arch):
    iso = os.path.join(REPO, "build", arch, "bench-boot.iso")
    kernel = os.path.join(REPO, "build", arch, "kernel.elf")
    if not os.path.exists(iso) or os.path.getmtime(iso) < os.path.getmtime(kernel):
        subprocess.run(["bash", os.path.join(REPO, "tools", "mkiso.sh"), kernel, iso],
                       check=True, stdout=subprocess.DEVNULL)
    return iso


def boot_once(arch, machine, mem, iso, timeout):
    cmd = [QEMU[arch], "-M", machine, "-m", mem, "-cdrom", iso, "-boot", "d",
           "-no-reboot", "-nodefaults", "-display", "none", "-serial", "stdio",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    out = b""
    wall = None
    os.set_blocking(p.stdout.fileno(), False)
    while time.monotonic() - start < timeout:
        chunk = p.stdout.read() or b""
        out += chunk
        if b"pagoda> " in out:
            wall = time.monotonic() - start
            break
        if p.poll() is not None:
            break
        time.sleep(0.002)
    p.kill()
    p.wait()
    m = INIT_RE.search(out.decode(errors="replace"))
    return wall, float(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("configs", nargs="*", default=DEFAULT, help="arch:machine:memory")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()

    print(f"{'configuration':<18} {'QEMU start to prompt (s)':>26} {'kernel init (ms, TSC)':>24}")
    for cfg in args.configs:
        arch, machine, mem = cfg.split(":")
        iso = make_iso(arch)
        walls, inits = [], []
        for _ in range(args.runs):
            wall, init = boot_once(arch, machine, mem, iso, args.timeout)
            if wall is None:
                print(f"{cfg:<18} no prompt within {args.timeout:g} s", file=sys.stderr)
                break
            walls.append(wall)
            if init is not None:
                inits.append(init)
        if not walls:
            continue
        w = f"{statistics.median(walls):.3f} ({min(walls):.3f}-{max(walls):.3f})"
        i = f"{statistics.median(inits):.1f} ({min(inits):.1f}-{max(inits):.1f})" if inits else "-"
        print(f"{cfg:<18} {w:>26} {i:>24}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
