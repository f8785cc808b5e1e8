#!/usr/bin/env python3
"""ufd_image.py - judge what the shell_ext2 console tests left on their disk
(tests/manifest.d/usertests.ini, tools/ktest/console.py shell_ext2).

  ufd_image.py check IMG      the files the shell's utilities made, moved
                              and removed under /u are as the session left
                              them (debugfs dump against the tree that
                              tools/ufs_image.py make wrote, 1 KiB blocks)
  ufd_image.py cksum NAME     the host's `cksum` of NAME in that tree

e2fsck and the clean state are tools/ufs_image.py check's business.
"""
import os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ufs_image  # noqa: E402


def tree_file(name):
    with tempfile.TemporaryDirectory() as tmp:
        ufs_image.tree(tmp, 1024)
        with open(os.path.join(tmp, name), "rb") as f:
            return f.read()


def expected():
    return {
        "u/big2": tree_file("big"),
        "u/v/b": b"hello\nmore\n",
        "u/a": None,
        "u/t": None,
        "u/v/w": None,
        "u/made": b"",
    }


def check(img):
    bad = []
    exp = expected()
    for path, want in exp.items():
        got = ufs_image.dump(img, path)
        if got != want:
            bad.append("%s: %s, not %s" % (path, "absent" if got is None else "%d bytes" % len(got),
                                           "absent" if want is None else "%d bytes" % len(want)))
    for b in bad:
        print("ufd_image.py: " + b)
    if bad:
        sys.exit("ufd_image.py: %d of %d expectations failed" % (len(bad), len(exp)))
    print("ufd_image.py: the %d names the shell changed are as it left them" % len(exp))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "check":
        check(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "cksum":
        out = subprocess.run(["cksum"], input=tree_file(sys.argv[2]), capture_output=True, check=True)
        print(out.stdout.decode().strip())
    else:
        sys.exit(__doc__)
