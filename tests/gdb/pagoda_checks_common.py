# What the gdb test scripts in tests/gdb share: reporting checks
# ("PAGODA-GDB-CHECK ok|FAIL <name>"), comparing the kernel's lines with the
# helpers', reading the kernel's log ring from memory, evaluating an
# expression, a backtrace's frames, and ending the run
# (gdb exits 1 if any check failed).

import gdb
import pagoda as P

results = []


def check(name, ok, why=""):
    results.append((name, ok))
    gdb.write(f"PAGODA-GDB-CHECK {'ok' if ok else 'FAIL'} {name}{'' if ok else ': ' + why}\n")


def compare(name, want, got, norm=lambda s: s):
    """Line by line; the first difference is the reason."""
    want = [l.rstrip() for l in want]
    got = [l.rstrip() for l in got]
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else "<nothing>"
        g = got[i] if i < len(got) else "<nothing>"
        if norm(w) != norm(g):
            check(name, False, f"line {i + 1} differs\n    kernel: {w!r}\n    gdb:    {g!r}")
            return False
    check(name, True)
    return True


def kernel_log():
    """The whole log ring, oldest byte first (what `dmesg` would print)."""
    size = P.val("log_buf").type.sizeof
    nxt = int(P.val("log_next"))
    base = P.addr_of(P.val("&log_buf"))
    buf = P.read(base, size)
    if nxt <= size:
        data = buf[:nxt]
    else:
        pos = nxt % size
        data = buf[pos:] + buf[:pos]
    return data.decode("latin-1")


def eval_int(expr):
    """A C expression in the stopped program, as an integer."""
    return int(gdb.parse_and_eval(expr))


def frames(limit=64):
    """The backtrace from the newest frame: (function name or "??", pc)."""
    out, f = [], gdb.newest_frame()
    while f is not None and len(out) < limit:
        out.append((f.name() or "??", f.pc()))
        f = f.older()
    return out


def show(cmd):
    """Run a pagoda command for the log, as a student would."""
    gdb.write(f"(gdb) {cmd}\n")
    gdb.execute(cmd)


def finish():
    failed = [n for n, ok in results if not ok]
    if failed or not results:
        gdb.write(f"PAGODA-GDB-CHECK FAILED {len(failed)} of {len(results)}: {' '.join(failed)}\n")
        gdb.execute("quit 1")
    gdb.write(f"PAGODA-GDB-CHECK all {len(results)} passed\n")
