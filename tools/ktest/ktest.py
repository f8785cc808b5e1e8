#!/usr/bin/env python3
"""ktest - run Pagoda's tests: kernel boots under QEMU, gdb sessions and
host-side checks, as listed in tests/manifest.ini.

    tools/ktest/ktest.py                  # every test in the manifest
    tools/ktest/ktest.py --group boot     # only the "boot" group
    tools/ktest/ktest.py 'boot.i386.*'    # tests whose names match
    tools/ktest/ktest.py --list           # what there is

It builds the kernels it needs (make -s ARCH=<arch> kernel), runs the tests
in parallel, prints one line per test as it finishes, then a summary ending
in the line "N passed, N failed, N skipped".  Exit status: 0 if every test
that ran passed (and at least one ran), 1 if not (a kernel that does not
build fails its tests), 2 if the command line or the manifest is wrong.  docs/testing.md explains the whole scheme.

Modules: manifest (reading the manifest), ktap (the results format),
judge (verdict of a QEMU boot), iso (GRUB ISOs), proc (child processes),
runners (running each kind of test), junit (logs/junit.xml), durations
(last times, to start the longest tests first).  This file is the command
line.
"""

import argparse
import fnmatch
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import durations  # noqa: E402  (after the sys.path line, by necessity)
import junit  # noqa: E402
import manifest  # noqa: E402
import proc  # noqa: E402
import runners  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="ktest.py",
        description="Run Pagoda's tests listed in tests/manifest.ini.")
    p.add_argument("patterns", nargs="*", metavar="NAME",
                   help="run only tests whose name matches one of these "
                        "globs (fnmatch: * and ?)")
    p.add_argument("-g", "--group", action="append", default=[],
                   help="run only tests in this group (repeatable, or a "
                        "comma-separated list)")
    p.add_argument("--arch", choices=manifest.ARCHES,
                   help="run only tests for this architecture (leaves out "
                        "host tests)")
    p.add_argument("-l", "--list", action="store_true",
                   help="list the selected tests and exit")
    # One more than the CPUs: at -j2 on 2 CPUs the tests' processes used
    # 1.6 of them (many tests wait on sleeps, timeouts, typed input); -j3
    # took the suite from 178-185 s to 170 s and the quick group from 34.5
    # to 29 s on the CI machine kind. More than one extra only adds
    # contention for the tests that measure time.
    # A runner started by a host test of another run gets KTEST_JOBS=1.
    p.add_argument("-j", "--jobs", type=int,
                   default=int(os.environ.get("KTEST_JOBS", 0)) or (os.cpu_count() or 1) + 1,
                   help="tests to run at once (default: %(default)s, one more than the CPUs, "
                        "or $KTEST_JOBS)")
    p.add_argument("--order", choices=("longest", "manifest"),
                   default="longest",
                   help="start order: the longest tests first, by their "
                        "times in logs/durations.json from earlier runs "
                        "(new tests first), or manifest order "
                        "(default: %(default)s)")
    p.add_argument("-v", "--verbose", action="count", default=0,
                   help="print the log of each failed test; -vv: of every test")
    p.add_argument("--no-build", action="store_true",
                   help="do not run make; use the kernels already built")
    p.add_argument("--timeout-scale", type=float, default=1.0, metavar="F",
                   help="multiply every timeout by F (for slow machines)")
    p.add_argument("--grub", action="store_true",
                   help="boot through GRUB (multiboot2) also the tests that "
                        "boot directly (QEMU -kernel, PVH) by default")
    p.add_argument("--bios", default="", metavar="FILE",
                   help="firmware for the direct boot (QEMU -bios), e.g. "
                        "/usr/share/qemu/qboot.rom; default: QEMU's own")
    p.add_argument("--manifest", default=os.path.join(REPO, "tests",
                                                      "manifest.ini"),
                   help="manifest to read (default: tests/manifest.ini)")
    p.add_argument("--logdir", default=os.path.join(REPO, "logs"),
                   help="where to write <test>.log (default: logs/)")
    args = p.parse_args(argv)
    if args.jobs < 1:
        p.error("-j must be at least 1")
    if args.timeout_scale <= 0:
        p.error("--timeout-scale must be positive")
    args.group = [g for arg in args.group for g in arg.split(",") if g]
    return args


class UsageError(Exception):
    pass


def select(specs, args):
    """The tests the command line asks for, in manifest order."""
    for pattern in args.patterns:
        if not any(fnmatch.fnmatchcase(s.name, pattern) for s in specs):
            raise UsageError(f"no test matches '{pattern}' (see --list)")
    known_groups = {g for s in specs for g in s.groups}
    for group in args.group:
        if group not in known_groups:
            raise UsageError(f"no test is in group '{group}' (groups: "
                             f"{', '.join(sorted(known_groups))})")
    chosen = []
    for s in specs:
        if args.patterns and not any(fnmatch.fnmatchcase(s.name, p)
                                     for p in args.patterns):
            continue
        if args.group and not set(args.group) & set(s.groups):
            continue
        if args.arch and s.arch != args.arch:
            continue
        chosen.append(s)
    if not chosen:
        raise UsageError("the selection matches no test")
    return chosen


def print_list(specs):
    width = max(len(s.name) for s in specs)
    for s in specs:
        where = s.arch or "host"
        line = f"{s.name:<{width}}  {s.kind:<4}  {where:<6}  {' '.join(s.groups)}"
        if s.skip:
            line += f"  (skip: {s.skip})"
        print(line.rstrip())


def make_env():
    """The environment for make: that of a `make test` that started us,
    minus its jobserver, whose file descriptors Python does not pass on
    (make would warn about it); we give our own -j instead."""
    env = dict(os.environ)
    flags = env.get("MAKEFLAGS", "").split()
    keep = [f for f in flags
            if not f.startswith(("--jobserver", "-j")) and f != "j"]
    if keep:
        env["MAKEFLAGS"] = " ".join(keep)
    else:
        env.pop("MAKEFLAGS", None)
    env.pop("MFLAGS", None)
    return env


def build_kernels(specs, args, ctx):
    """make -s ARCH=<arch> kernel for each arch the selected tests boot.
    A failed build fails that arch's tests, not the others."""
    arches = sorted({s.arch for s in specs
                     if s.kind in ("qemu", "gdb", "console") and not s.kernel
                     and not s.skip})
    if args.no_build or not arches:
        return
    for arch in arches:
        argv = ["make", "-s", f"-j{os.cpu_count() or 1}",
                *manifest.MAKE_VARS[arch], "kernel"]
        print(f"ktest: {' '.join(argv)}", flush=True)
        r = subprocess.run(argv, cwd=REPO, env=make_env(),
                           stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            ctx.build_failed[arch] = (
                f"kernel build failed "
                f"(make {' '.join(manifest.MAKE_VARS[arch])} kernel)")
            print(f"ktest: build for {arch} failed; its tests fail",
                  flush=True)


class Printer:
    """Prints one aligned line per finished test, from any thread."""

    def __init__(self, specs, verbose):
        self.width = max(len(s.name) for s in specs)
        self.verbose = verbose
        self.lock = threading.Lock()

    def line(self, out):
        name = f"{out.name:<{self.width}}"
        if out.verdict == "SKIP":
            text = f"SKIP  {name}  {'':>10}  {out.reason}"
        else:
            secs = f"({out.seconds:.2f} s)"
            text = f"{out.verdict}  {name}  {secs:>10}  {out.reason}"
        with self.lock:
            print(text.rstrip(), flush=True)
            if out.log and (self.verbose >= 2
                            or (self.verbose and out.verdict == "FAIL")):
                self.dump(out.log)

    def dump(self, path):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                print("    | " + line.rstrip("\r\n"))
        sys.stdout.flush()


def run_all(specs, ctx, jobs, printer, order=None):
    """Run specs on `jobs` worker threads, starting them in `order` (indices;
    default: as given); return their Outcomes in the order of specs.

    A test starts only while the guest CPUs already running plus its own
    stay within a budget of 2 x jobs + 1 (QEMU runs a thread per guest CPU):
    two 4-CPU guests on a 2-CPU host spin on each other's IPIs and took
    20-30 s instead of 1 s. Multi-CPU guests also run at most jobs // 2 at
    once (one on 2 CPUs): two 2-CPU guests of IPC round trips beside each
    other took 30 s, one after the other 11 s (ufs.i386-pae.q35.user and
    ufs.i386.q35.3G.smp2). A worker that finds the next test too big starts
    a smaller later one instead; a test runs alone if nothing else fits."""
    pending = list(range(len(specs)) if order is None else order)
    results = [None] * len(specs)
    stop = threading.Event()
    cond = threading.Condition()
    budget = 2 * jobs + 1
    max_multi = max(1, jobs // 2)
    running = [0]           # guest CPUs of the tests running now
    multi = [0]             # tests running now with more than one guest CPU

    def take():
        """The next test that fits (index, cpus), or None when all started."""
        with cond:
            while pending and not stop.is_set():
                for k, i in enumerate(pending):
                    cpus = specs[i].smp
                    fits = running[0] + cpus <= budget and (cpus == 1 or multi[0] < max_multi)
                    if running[0] == 0 or fits:
                        del pending[k]
                        running[0] += cpus
                        multi[0] += cpus > 1
                        return i, cpus
                cond.wait(0.5)
            return None

    def worker():
        while not stop.is_set():
            got = take()
            if got is None:
                return
            i, cpus = got
            out = runners.run(specs[i], ctx)
            results[i] = out
            with cond:
                running[0] -= cpus
                multi[0] -= cpus > 1
                cond.notify_all()
            if not stop.is_set():
                printer.line(out)

    threads = [threading.Thread(target=worker, daemon=True)
               for _ in range(min(jobs, len(specs)))]
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(0.2)
    except KeyboardInterrupt:
        stop.set()
        proc.kill_all()
        raise
    return results


SLOWEST = 10


def print_slowest(outcomes, n=SLOWEST):
    """The n slowest tests that ran: where a growing suite's time goes."""
    ran = sorted((o for o in outcomes if o.verdict != "SKIP"),
                 key=lambda o: o.seconds, reverse=True)[:n]
    if len(ran) < 2:
        return
    print(f"\nSlowest {len(ran)}:")
    width = max(len(o.name) for o in ran)
    for o in ran:
        print(f"  {o.seconds:7.2f} s  {o.cpu:6.2f} s of CPU  {o.name:<{width}}  {o.verdict}")


def summarize(outcomes, seconds):
    """Print the slowest tests, the failures and the closing line; return the
    exit status."""
    print_slowest(outcomes)
    passed = sum(o.verdict == "PASS" for o in outcomes)
    failed = [o for o in outcomes if o.verdict == "FAIL"]
    skipped = sum(o.verdict == "SKIP" for o in outcomes)
    if failed:
        print("\nFailed:")
        for o in failed:
            print(f"  {o.name}: {o.reason}")
            if o.log:
                print(f"      log: {os.path.relpath(o.log)}")
    n = len(outcomes)
    # Test time is each test's wall time, summed; CPU is what their
    # processes used. On a busy machine the first grows, the second does
    # not: the one to watch when the suite slows down.
    total = sum(o.seconds for o in outcomes)
    cpu = sum(o.cpu for o in outcomes)
    print(f"\nktest: {n} test{'' if n == 1 else 's'} in {seconds:.1f} s "
          f"({total:.1f} s of test time, {cpu:.1f} s of CPU)")
    print(f"{passed} passed, {len(failed)} failed, {skipped} skipped")
    if not passed and not failed:
        print("ktest: no test ran", file=sys.stderr)
    return 0 if passed and not failed else 1


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        specs = select(manifest.load(args.manifest), args)
    except (manifest.ManifestError, UsageError) as e:
        print(f"ktest: {e}", file=sys.stderr)
        return 2
    if args.list:
        print_list(specs)
        return 0

    os.makedirs(args.logdir, exist_ok=True)
    ctx = runners.Context(repo=REPO, logdir=os.path.abspath(args.logdir),
                          timeout_scale=args.timeout_scale,
                          boot_override="grub" if args.grub else "", bios=args.bios)
    start = time.monotonic()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    try:
        build_kernels(specs, args, ctx)
        order = None
        if args.order == "longest":
            order = durations.longest_first(specs, durations.load(ctx.logdir))
        outcomes = run_all(specs, ctx, args.jobs, Printer(specs, args.verbose),
                           order)
    except KeyboardInterrupt:
        print("\nktest: interrupted", file=sys.stderr)
        return 130
    seconds = time.monotonic() - start
    xml = os.path.join(ctx.logdir, "junit.xml")
    junit.write(xml, outcomes, seconds, stamp)
    durations.save(ctx.logdir, outcomes)
    print(f"ktest: results in {os.path.relpath(xml)} (JUnit XML)")
    return summarize(outcomes, seconds)


if __name__ == "__main__":
    sys.exit(main())
