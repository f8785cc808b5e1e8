#!/usr/bin/env python3
"""Every build's compilation database (build/<build>/compile_commands.json,
written by the Makefile, docs/editors.md) lists every kernel source of that
build, once, with that build's flags, and its commands really compile.

The expected sources are worked out here from the rule the Makefile states
(every .c/.S under boot, kernel, mm, drivers, lib and tests/ktest, less the
other word size's _32/_64 files and the other paging mode's _2level/_3level
files), not read back from make, so a database that drifts from the tree is
caught. Checks each build that has a kernel.elf; run after building.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOPS = ["boot", "kernel", "mm", "drivers", "lib", "tests/ktest"]

# build -> (files left out, flags every command must carry, flags none may)
BUILDS = {
    "x86_64": (("_32.c", "_32.S", "_2level.c", "_3level.c"),
               ["-m64", "-mcmodel=kernel"], ["-DCONFIG_X86_PAE", "-m32"]),
    "i386": (("_64.c", "_64.S", "_3level.c"),
             ["-m32"], ["-DCONFIG_X86_PAE", "-m64"]),
    "i386-pae": (("_64.c", "_64.S", "_2level.c"),
                 ["-m32", "-DCONFIG_X86_PAE"], ["-m64"]),
}
COMMON = ["-Iinclude", "-ffreestanding", "-Werror"]

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL  " + msg)


def expected_sources(left_out):
    srcs = set()
    for top in TOPS:
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if f.endswith((".c", ".S")) and not f.endswith(left_out):
                    srcs.add(os.path.relpath(os.path.join(d, f), ROOT))
    return srcs


def compiles(entry, tmp):
    """Run the entry's own command, writing the object into tmp."""
    args = list(entry["arguments"])
    args[args.index("-o") + 1] = os.path.join(tmp, "out.o")
    r = subprocess.run(args, cwd=entry["directory"], capture_output=True, text=True)
    if r.returncode:
        fail(f"{entry['file']}: its database command fails:\n{r.stderr[-2000:]}")
    return r.returncode == 0


def check(build, left_out, need, forbid, tmp):
    path = os.path.join(ROOT, "build", build, "compile_commands.json")
    try:
        with open(path) as f:
            db = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{build}: no readable compilation database ({e})")
        return
    files = [e.get("file") for e in db]
    dups = {f for f in files if files.count(f) > 1}
    if dups:
        fail(f"{build}: listed twice: {sorted(dups)}")
    want = expected_sources(left_out)
    if set(files) - want:
        fail(f"{build}: lists files that are not this build's sources: {sorted(set(files) - want)}")
    if want - set(files):
        fail(f"{build}: misses sources: {sorted(want - set(files))}")
    for e in db:
        args, src = e.get("arguments", []), e.get("file")
        if os.path.realpath(e.get("directory", "")) != os.path.realpath(ROOT):
            fail(f"{build}: {src}: directory {e.get('directory')!r} is not the tree's root")
        obj = os.path.join("build", build, os.path.splitext(src)[0] + ".o")
        if e.get("output") != obj or args[-2:] != ["-o", obj] or src not in args:
            fail(f"{build}: {src}: does not compile itself to {obj}")
        lang = ["-D__ASSEMBLER__"] if src.endswith(".S") else ["-std=gnu11"]
        missing = [f for f in COMMON + need + lang if f not in args]
        wrong = [f for f in forbid if f in args]
        if missing or wrong:
            fail(f"{build}: {src}: lacks {missing}, has {wrong}")
    # Flags an editor can trust must also be flags the compiler takes.
    for sample in ("kernel/main.c", "boot/header.S"):
        for e in db:
            if e["file"] == sample:
                compiles(e, tmp)
    print(f"{build}: {len(db)} sources checked")


def main():
    built = [b for b in BUILDS if os.path.exists(os.path.join(ROOT, "build", b, "kernel.elf"))]
    if not built:
        fail("no kernel built yet (make kernel; make test builds all three)")
    with tempfile.TemporaryDirectory() as tmp:
        for b in built:
            check(b, *BUILDS[b], tmp)
    if failures:
        print(f"FAIL  host test_compile_commands: {len(failures)} problem(s)")
        return 1
    print("PASS  host test_compile_commands")
    return 0


if __name__ == "__main__":
    sys.exit(main())
