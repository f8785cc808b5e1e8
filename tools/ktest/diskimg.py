"""Disk images filled with the test pattern, made once per size and copied.

tools/disk_pattern.py computes the pattern word by word in Python: about
1.5 s of CPU for a 16 MiB image, paid by each of the two dozen disk tests
before its QEMU started (outside the test's own time, so no slowest-ten list
showed it). The runner now makes one master image per size, in
build/ktest-disks/pattern-<hash>-<N>M.img, and gives each test a copy (a
few milliseconds). The hash is that of disk_pattern.py, so a changed
pattern makes new masters. A lock per master makes the first thread build
it and the others wait; the master is written beside and renamed, so two
runners at once are safe too.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import threading


class PatternImages:
    def __init__(self, repo):
        self.repo = repo
        self.script = os.path.join(repo, "tools", "disk_pattern.py")
        self.dir = os.path.join(repo, "build", "ktest-disks")
        self._locks = {}
        self._locks_lock = threading.Lock()
        self._tag = None

    def _lock(self, path):
        with self._locks_lock:
            return self._locks.setdefault(path, threading.Lock())

    def master(self, mib):
        """The path of the master image of mib MiB, made if missing."""
        with self._locks_lock:
            if self._tag is None:
                with open(self.script, "rb") as f:
                    self._tag = hashlib.sha1(f.read()).hexdigest()[:12]
        path = os.path.join(self.dir, f"pattern-{self._tag}-{mib}M.img")
        with self._lock(path):
            if not os.path.exists(path):
                os.makedirs(self.dir, exist_ok=True)
                tmp = f"{path}.tmp.{os.getpid()}.{threading.get_ident()}"
                subprocess.run([sys.executable, self.script, "make", tmp,
                                str(mib)], check=True)
                os.replace(tmp, path)
        return path

    def copy(self, mib, dest):
        """A fresh image of mib MiB with the pattern at dest."""
        shutil.copyfile(self.master(mib), dest)
