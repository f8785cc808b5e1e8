#!/usr/bin/env python3
"""Boot times, for each way of starting the kernel: from starting QEMU to the
kernel's first output on COM1 (its banner, printed a few hundred instructions
after its first one: only the entry's page-table setup runs in between), to
the monitor's `pagoda> ` prompt; and as the kernel reports them from the TSC
(which starts at 0 when QEMU starts the machine): the machine's start to the
kernel's first instruction (firmware and loader), and the kernel's own init
(first instruction to the prompt). Figures, never a verdict.

    tools/bench/boot_time.py                       # the default set
    tools/bench/boot_time.py x86_64:q35:16G i386:pc:128M --runs 5 --boot direct

Boots (--boot, comma-separated):
    grub    SeaBIOS, then GRUB from an ISO: the multiboot2 entry (make run)
    direct  SeaBIOS, then QEMU's -kernel: the PVH entry (the tests)
    qboot   QEMU's small qboot firmware, then -kernel: the PVH entry

Each configuration boots --runs times; the table shows the median and the
range, all under TCG.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QEMU = {"x86_64": "qemu-system-x86_64", "i386": "qemu-system-i386",
        "i386-pae": "qemu-system-i386"}
DEFAULT = ["x86_64:pc:128M", "i386:pc:128M", "x86_64:q35:4G", "x86_64:q35:16G"]
BOOTS = ("grub", "direct", "qboot")
QBOOT = "/usr/share/qemu/qboot.rom"
INIT_RE = re.compile(r"kernel init took ([0-9.]+) ms")
FIRST_RE = re.compile(r"first kernel instruction ([0-9.]+) ms after")


def make_iso(arch):
    iso = os.path.join(REPO, "build", arch, "bench-boot.iso")
    kernel = os.path.join(REPO, "build", arch, "kernel.elf")
    if not os.path.exists(iso) or os.path.getmtime(iso) < os.path.getmtime(kernel):
        subprocess.run(["bash", os.path.join(REPO, "tools", "mkiso.sh"), kernel, iso, "monitor"],
                       check=True, stdout=subprocess.DEVNULL)
    return iso


def boot_args(arch, boot):
    kernel = os.path.join(REPO, "build", arch, "kernel.elf")
    if boot == "grub":
        return ["-cdrom", make_iso(arch), "-boot", "d"]
    bios = ["-bios", QBOOT] if boot == "qboot" else []
    initramfs = os.path.join(REPO, "build", arch, "initramfs.cpio")
    initrd = ["-initrd", initramfs] if os.path.exists(initramfs) else []
    # `monitor`: the boot goes to the monitor's prompt, as it did before the
    # default became init and the shell (the figures stay comparable).
    return bios + ["-kernel", kernel, "-append", "monitor"] + initrd


def boot_once(arch, machine, mem, smp, args, timeout):
    """(seconds to the first COM1 byte, to the prompt, kernel init ms,
    ms from the machine's start to the first kernel instruction)."""
    cmd = [QEMU[arch], "-M", machine, "-m", mem, "-smp", str(smp), *args,
           "-no-reboot", "-nodefaults", "-display", "none", "-serial", "stdio",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if arch == "i386-pae":
        cmd += ["-cpu", "max"]
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    out = b""
    first = wall = None
    os.set_blocking(p.stdout.fileno(), False)
    while time.monotonic() - start < timeout:
        chunk = p.stdout.read() or b""
        if chunk and first is None:
            first = time.monotonic() - start
        out += chunk
        if b"pagoda> " in out:
            wall = time.monotonic() - start
            break
        if p.poll() is not None:
            break
        time.sleep(0.001)
    p.kill()
    p.wait()
    text = out.decode(errors="replace")
    m, f = INIT_RE.search(text), FIRST_RE.search(text)
    return first, wall, float(m.group(1)) if m else None, float(f.group(1)) if f else None


def spread(xs, fmt):
    if not xs:
        return "-"
    return f"{statistics.median(xs):{fmt}} ({min(xs):{fmt}}-{max(xs):{fmt}})"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("configs", nargs="*", default=DEFAULT,
                    help="arch:machine:memory[:cpus] (arch x86_64, i386 or i386-pae)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--boot", default=",".join(BOOTS),
                    help="comma-separated: " + ", ".join(BOOTS))
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    boots = [b for b in args.boot.split(",") if b]
    for b in boots:
        if b not in BOOTS:
            ap.error(f"unknown boot '{b}' ({', '.join(BOOTS)})")

    print(f"{'configuration':<20} {'boot':<7} {'to first output (s)':>22} "
          f"{'to prompt (s)':>22} {'reset to kernel (ms, TSC)':>26} {'kernel init (ms, TSC)':>24}")
    for cfg in args.configs:
        arch, machine, mem, *rest = cfg.split(":")
        smp = int(rest[0]) if rest else 1
        for boot in boots:
            if boot == "qboot" and not os.path.exists(QBOOT):
                print(f"{cfg:<20} {boot:<7} no {QBOOT}", file=sys.stderr)
                continue
            firsts, walls, inits, resets = [], [], [], []
            for _ in range(args.runs):
                first, wall, init, reset = boot_once(arch, machine, mem, smp,
                                                     boot_args(arch, boot), args.timeout)
                if wall is None:
                    print(f"{cfg:<20} {boot:<7} no prompt within {args.timeout:g} s",
                          file=sys.stderr)
                    break
                firsts.append(first)
                walls.append(wall)
                if init is not None:
                    inits.append(init)
                if reset is not None:
                    resets.append(reset)
            if walls:
                print(f"{cfg:<20} {boot:<7} {spread(firsts, '.3f'):>22} "
                      f"{spread(walls, '.3f'):>22} {spread(resets, '.1f'):>26} "
                      f"{spread(inits, '.1f'):>24}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
