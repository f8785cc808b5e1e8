#!/usr/bin/env python3
"""Type on COM1 while the monitor prints: every byte must arrive, and the
serial interrupt must never find "nobody handled it".

Boots the kernel's monitor under QEMU (two CPUs by default) with COM1 on a
Unix socket, then for each round sends a long-printing command (`dmesg`)
and right behind it three lines, which arrive while it prints: unknown
command names made of every printable character, so the monitor's replies
("unknown command '...'") show whether each byte arrived, once and in
order. Ends with `exit` (ACPI power-off).

usage: type_while_printing.py ARCH [--smp N] [--rounds N] [--machine M]
Prints the serial log, then "serial-typing: ok ..." or "serial-typing: FAIL ...";
exits 0 only on success.
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tools", "ktest"))
from iso import IsoCache                            # noqa: E402

QEMU = {"x86_64": "qemu-system-x86_64", "i386": "qemu-system-i386",
        "i386-pae": "qemu-system-i386"}
PROMPT = b"pagoda> "
BAD = (b"nobody handled it", b"no controller")


class Console:
    def __init__(self, sock):
        self.sock = sock
        self.log = bytearray()
        self.closed = False

    def pump(self, seconds=0.0):
        """Read what is there (waiting up to seconds for the first byte)."""
        if self.closed:
            return
        self.sock.settimeout(seconds if seconds > 0 else 0.0001)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    self.closed = True
                    return
                self.log += data
                self.sock.settimeout(0.0001)
        except (socket.timeout, BlockingIOError):
            pass

    def wait_for(self, what, start, deadline):
        while self.log.find(what, start) < 0:
            if self.closed:
                raise EOFError(f"QEMU closed COM1 before {what!r}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {what!r} on COM1")
            self.pump(0.05)
        return self.log.find(what, start) + len(what)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("arch", choices=sorted(QEMU))
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--machine", default="pc")
    ap.add_argument("--timeout", type=float, default=60)   # under the manifest's 120
    args = ap.parse_args()

    kernel = os.path.join(REPO, "build", args.arch, "kernel.elf")
    iso = IsoCache(REPO).get(kernel, "monitor")
    deadline = time.monotonic() + args.timeout
    with tempfile.TemporaryDirectory(prefix="serial-") as tmp:
        path = os.path.join(tmp, "com1.sock")
        argv = [QEMU[args.arch], "-M", args.machine, "-m", "128M", "-smp", str(args.smp)]
        if args.arch == "i386-pae":
            argv += ["-cpu", "max"]
        argv += ["-cdrom", iso, "-boot", "d", "-no-reboot", "-nodefaults",
                 "-display", "none",
                 "-chardev", f"socket,id=com1,path={path},server=on,wait=on",
                 "-serial", "chardev:com1",
                 "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        print("$", " ".join(argv), flush=True)
        qemu = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
        con = None
        failures = []
        try:
            # The socket file appears when QEMU binds it, a moment before
            # it listens: until then connect() is refused, so try again.
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            while True:
                try:
                    sock.connect(path)
                    break
                except (FileNotFoundError, ConnectionRefusedError):
                    if time.monotonic() > deadline or qemu.poll() is not None:
                        raise TimeoutError("QEMU made no COM1 socket to connect to")
                    time.sleep(0.02)
            con = Console(sock)
            at = con.wait_for(PROMPT, 0, deadline)
            printable = bytes(c for c in range(0x21, 0x7f) if c not in b"'")
            for r in range(args.rounds):
                # Different lines each round: a lost, doubled or swapped byte
                # cannot hide behind the same text from a round before. Three
                # lines (over 256 bytes, more than the input ring holds) go
                # out at once right behind the command, so they arrive while
                # dmesg prints, interrupts off for each line it writes.
                lines = [b"typed%02d%c" % (r, 97 + k) + printable[r + k:] + printable[:r + k]
                         for k in range(3)]
                sock.sendall(b"dmesg\r" + b"".join(line + b"\r" for line in lines))
                for line in lines:
                    at = con.wait_for(b"unknown command '" + line + b"'", at, deadline)
                at = con.wait_for(PROMPT, at, deadline)
            sock.sendall(b"exit\r")
            con.wait_for(b"Powering off.", at, deadline)
            qemu.wait(timeout=max(1, deadline - time.monotonic()))
            if qemu.returncode != 0:
                failures.append(f"QEMU exit status {qemu.returncode}, not 0 (power-off)")
        except (TimeoutError, EOFError, OSError, subprocess.TimeoutExpired) as e:
            failures.append(str(e))
        finally:
            if qemu.poll() is None:
                qemu.kill()
                qemu.wait()
        log = bytes(con.log) if con else b""
        sys.stdout.write(log.decode("utf-8", errors="replace"))
        for bad in BAD:
            if bad in log:
                failures.append(f"the log has {bad.decode()!r}")
        if failures:
            print(f"\nserial-typing: FAIL ({args.arch}, smp {args.smp}): " + "; ".join(failures))
            return 1
        print(f"\nserial-typing: ok ({args.arch}, smp {args.smp}, {args.rounds} rounds, "
              "every byte arrived, no unhandled interrupt)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
