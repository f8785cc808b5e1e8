"""The host's e2fsprogs, as the image-making scripts call them: the tools'
paths (root's PATH on Debian has /usr/sbin, a user's may not) and run(),
with a fixed time and deterministic mke2fs so that the same tree gives the
same image bytes on every run."""
import os
import shutil
import subprocess
import sys

MKE2FS = shutil.which("mke2fs") or "/usr/sbin/mke2fs"
DEBUGFS = shutil.which("debugfs") or "/usr/sbin/debugfs"
E2FSCK = shutil.which("e2fsck") or "/usr/sbin/e2fsck"
DUMPE2FS = shutil.which("dumpe2fs") or "/sbin/dumpe2fs"
ENV = dict(os.environ, E2FSPROGS_FAKE_TIME="1700000000", MKE2FS_DETERMINISTIC="1")


def run(*cmd, check=True):
    """Run one tool; its output (stdout and stderr). A failure ends the
    calling script with the command and what it printed, unless check is
    False (e2fsck -fy answers 1 when it changed something)."""
    r = subprocess.run(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and r.returncode != 0:
        sys.exit("%s: %s failed (%d):\n%s" % (os.path.basename(sys.argv[0]), " ".join(cmd),
                                             r.returncode, r.stdout))
    return r.stdout
