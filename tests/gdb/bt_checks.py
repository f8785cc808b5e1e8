# `bt` must end cleanly at the entry code: the frame that called the first C
# function (start64_high / start32_high on the boot CPU, secondary_startup
# on an AP) is the outermost one, because the entry code's call-frame
# information says its return address is undefined. Without that, gdb goes
# on unwinding into whatever lies above the stack ("0x... in ?? ()").
import gdb

LIMIT = 64          # deeper than any boot-time chain; a runaway unwind stops here


def check(name, outermost):
    frames, f = [], gdb.newest_frame()
    while f is not None and len(frames) < LIMIT:
        frames.append(f.name() or f"?? at {f.pc():#x}")
        f = f.older()
    ok = f is None and frames[-1] in outermost and not any(n.startswith("??") for n in frames)
    why = "" if ok else f": frames {' <- '.join(frames)}; want the last to be {' or '.join(outermost)}"
    gdb.write(f"PAGODA-GDB-CHECK {'ok' if ok else 'FAIL'} bt-ends-{name}{why}\n")
    if not ok:
        gdb.execute("quit 1")
