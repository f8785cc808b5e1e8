#!/usr/bin/env python3
"""Write a compilation database (compile_commands.json) for one build.

The Makefile calls this on every build with the exact compiler, flags and
source list it compiles with, so clangd and other editors see the kernel as
gcc does: the right arch (-m64/-m32), paging mode (-DCONFIG_X86_PAE) and
include path for the build they are pointed at (docs/editors.md).

  compile_commands.py -o OUT --cc CC --cflags "..." --asflags "..."
                      --objdir build/<build> SRC...

The file is rewritten only when its content changes, so running it on every
make costs no rebuild of anything that depends on it.
"""
import argparse
import json
import os
import shlex
import sys


def entries(root, cc, cflags, asflags, objdir, srcs):
    out = []
    for src in sorted(srcs):
        obj = os.path.join(objdir, os.path.splitext(src)[0] + ".o")
        flags = asflags if src.endswith(".S") else cflags
        out.append({
            "directory": root,
            "file": src,
            "output": obj,
            "arguments": [cc] + flags + ["-c", src, "-o", obj],
        })
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--cc", required=True)
    p.add_argument("--cflags", required=True)
    p.add_argument("--asflags", required=True)
    p.add_argument("--objdir", required=True)
    p.add_argument("--directory", default=os.getcwd())
    p.add_argument("srcs", nargs="+")
    a = p.parse_args()

    db = entries(os.path.abspath(a.directory), a.cc, shlex.split(a.cflags),
                 shlex.split(a.asflags), a.objdir, a.srcs)
    text = json.dumps(db, indent=1) + "\n"
    try:
        with open(a.output) as f:
            if f.read() == text:
                return 0
    except OSError:
        pass
    os.makedirs(os.path.dirname(a.output) or ".", exist_ok=True)
    tmp = a.output + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
