"""Bootable ISOs for (kernel, command line) pairs, made once and reused.

GRUB reads the kernel command line from grub.cfg inside the ISO, so every
distinct command line needs an ISO of its own.  They live next to the kernel,
in <kernel dir>/iso/<hash>.iso (build/<arch>/iso/ for the real kernel), and
are reused while they are newer than the kernel, its initramfs.cpio (if
any) and tools/mkiso.sh.

Tests run in parallel threads and several may want the same ISO: a lock per
ISO makes the first one build it and the others wait for it.  mkiso.sh writes
a temporary file and renames it, so even two runners at once are safe.
"""

import hashlib
import os
import subprocess
import threading


class IsoError(Exception):
    pass


class IsoCache:
    def __init__(self, repo):
        self.repo = repo
        self.mkiso = os.path.join(repo, "tools", "mkiso.sh")
        self._locks = {}
        self._locks_lock = threading.Lock()

    def path_for(self, kernel, cmdline):
        key = hashlib.sha1(f"{os.path.abspath(kernel)}\0{cmdline}".encode())
        return os.path.join(os.path.dirname(kernel), "iso",
                            key.hexdigest()[:16] + ".iso")

    def _lock(self, path):
        with self._locks_lock:
            return self._locks.setdefault(path, threading.Lock())

    def _fresh(self, iso, kernel):
        try:
            made = os.stat(iso).st_mtime_ns
        except FileNotFoundError:
            return False
        # mkiso.sh puts the kernel's initramfs.cpio (if any) on the ISO too.
        initramfs = os.path.join(os.path.dirname(kernel), "initramfs.cpio")
        if os.path.exists(initramfs) and made < os.stat(initramfs).st_mtime_ns:
            return False
        return (made >= os.stat(kernel).st_mtime_ns
                and made >= os.stat(self.mkiso).st_mtime_ns)

    def get(self, kernel, cmdline):
        """Return the path of an ISO booting kernel with cmdline."""
        iso = self.path_for(kernel, cmdline)
        with self._lock(iso):
            if not self._fresh(iso, kernel):
                argv = [self.mkiso, kernel, iso] + cmdline.split()
                r = subprocess.run(argv, cwd=self.repo, capture_output=True,
                                   text=True, stdin=subprocess.DEVNULL)
                if r.returncode != 0:
                    lines = (r.stderr or r.stdout).strip().splitlines()
                    raise IsoError("mkiso.sh failed: "
                                   + (lines[-1] if lines else
                                      f"exit status {r.returncode}"))
        return iso
