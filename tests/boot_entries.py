#!/usr/bin/env python3
"""Both entries give the kernel the same boot information: boot one build on
one machine twice, through GRUB (multiboot2) and through QEMU's -kernel
(PVH), with the same command line, and compare what the kernel reports from
its bootinfo: every memory map line, the command line, the RSDP and the ACPI
tables found through it, the CPUs of the MADT, the initramfs module's size. Both runs must also pass the
bootinfo.* ktests. Prints "PASS  entries agree" or what differs.

    tests/boot_entries.py ARCH MACHINE MEMORY [SMP]    (the kernel must be built)
"""
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = {"x86_64": "qemu-system-x86_64", "i386": "qemu-system-i386",
        "i386-pae": "qemu-system-i386"}
CMDLINE = "ktest=bootinfo.* loglevel=6"
# What must be the same, whichever entry: (label, regex over the log).
FACTS = [
    ("memory map", re.compile(r"^mem: .*$", re.M)),
    ("command line", re.compile(r"command line '([^']*)'")),
    ("RSDP", re.compile(r"ACPI RSDP (\S+)")),
    ("ACPI tables", re.compile(r"^acpi: .*$", re.M)),
    ("MADT", re.compile(r"^madt: .*$", re.M)),
    ("initramfs", re.compile(r"^initramfs: (\d+ KiB)", re.M)),
]


def boot(arch, machine, mem, smp, args, timeout=120):
    cmd = [QEMU[arch], "-M", machine, "-m", mem, "-smp", smp, *args,
           "-no-reboot", "-nodefaults", "-display", "none", "-serial", "stdio",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if arch == "i386-pae":
        cmd += ["-cpu", "max"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=timeout)
    return r.returncode, r.stdout.decode(errors="replace").replace("\r", "")


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    arch, machine, mem = sys.argv[1:4]
    smp = sys.argv[4] if len(sys.argv) == 5 else "1"
    kernel = os.path.join(REPO, "build", arch, "kernel.elf")
    if not os.path.exists(kernel):
        print(f"no {kernel}: build it first")
        return 1
    # mkiso.sh gives GRUB the initramfs beside the kernel; -initrd gives QEMU it.
    initramfs = os.path.join(REPO, "build", arch, "initramfs.cpio")
    with tempfile.TemporaryDirectory(prefix="entries-") as tmp:
        iso = os.path.join(tmp, "grub.iso")
        subprocess.run(["bash", os.path.join(REPO, "tools", "mkiso.sh"), kernel, iso,
                        *CMDLINE.split()], check=True)
        runs = {
            "grub": boot(arch, machine, mem, smp, ["-cdrom", iso, "-boot", "d"]),
            "direct": boot(arch, machine, mem, smp, ["-kernel", kernel, "-append", CMDLINE]
                           + (["-initrd", initramfs] if os.path.exists(initramfs) else [])),
        }
    bad = 0
    entry = {"grub": "boot: multiboot2 entry", "direct": "boot: pvh entry"}
    for name, (status, log) in runs.items():
        if status != 33 or "# ktest: 4 passed, 0 failed" not in log or entry[name] not in log:
            print(f"FAIL: the {name} boot: exit {status}, expected 33 with "
                  f"'{entry[name]}' and 4 bootinfo ktests passed; its log:\n{log}")
            bad += 1
    for label, rx in FACTS:
        got = {name: rx.findall(log) for name, (_, log) in runs.items()}
        if not got["grub"]:
            print(f"FAIL: no {label} in the GRUB boot's log")
            bad += 1
        elif got["grub"] != got["direct"]:
            print(f"FAIL: {label} differs:\n  grub:   {got['grub']}\n  direct: {got['direct']}")
            bad += 1
        else:
            print(f"same {label}: {len(got['grub'])} line(s), e.g. {got['grub'][0]}")
    if bad:
        return 1
    print("PASS  entries agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
