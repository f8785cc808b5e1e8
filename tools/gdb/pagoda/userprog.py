# User programs under gdb: their symbols, and breakpoints that stop in one
# program only.
#
# Every program is a static ELF linked at the same base (user/user.ld), kept
# with its debug information in build/<build>/user/bin/<prog>, so one set of
# user symbols can be loaded at a time: loading another program's replaces
# the previous one's (two would claim the same addresses). At each stop the
# program of the process whose page tables are in CR3 is loaded, if it is
# not already: its comm is its program's name (exec's set_comm).
#
# A breakpoint in a program is a hardware one (a debug register compares
# the virtual address, in whatever address space runs) with a condition on
# CR3's process: a software breakpoint would be an int3 written into the
# memory of whichever process is loaded when gdb inserts it (docs/gdb.md).

import os

import gdb

from .elfsyms import elf_symbols
from .process import cr3_task, task_info

_loaded = {"path": None}
# How often $_pagoda_in answered yes and no (a test checks that a breakpoint
# did let another program run by).
verdicts = {"yes": 0, "no": 0}
auto = {"on": True}


def build_dir():
    """build/<build> of the kernel gdb debugs (its kernel.elf's directory)."""
    kernel = gdb.current_progspace().filename
    if not kernel:
        raise gdb.GdbError("no kernel loaded in gdb (file build/<build>/kernel.elf)")
    return os.path.dirname(os.path.abspath(kernel))


def program_path(prog):
    return os.path.join(build_dir(), "user", "bin", os.path.basename(prog))


def loaded_program():
    return os.path.basename(_loaded["path"]) if _loaded["path"] else None


def load_program(prog, quiet=False):
    """Load prog's symbols in place of the previous program's. Returns its path."""
    path = program_path(prog)
    if not os.path.isfile(path):
        raise gdb.GdbError(f"pagoda user: no program {path} (make user builds build/<build>/user/bin/*)")
    if _loaded["path"] == path:
        return path
    unload_program()
    gdb.execute(f"add-symbol-file {path}", to_string=True)
    _loaded["path"] = path
    if not quiet:
        gdb.write(f"pagoda: symbols of {prog} loaded from {os.path.relpath(path)}\n")
    return path


def unload_program():
    if _loaded["path"]:
        try:
            gdb.execute(f"remove-symbol-file {_loaded['path']}", to_string=True)
        except gdb.error:
            pass                        # already gone (a new `file`)
        _loaded["path"] = None


def running_program():
    """The comm of CR3's process if it is a process, else None. Never
    raises: it runs in breakpoint conditions and stop hooks, where the
    kernel may not even be in memory yet (the firmware's first stop)."""
    try:
        cr0 = int(gdb.parse_and_eval("$cr0"))
        if not cr0 & (1 << 31):        # paging off: firmware, boot code
            return None
        t = cr3_task()
        if t is None:
            return None
        info = task_info(t)
        return info["comm"] if info["process"] else None
    except Exception:                   # noqa: BLE001 (garbage memory can fail anywhere)
        return None


def on_stop(event):
    if not auto["on"]:
        return
    prog = running_program()
    if prog and os.path.isfile(program_path(prog)) and loaded_program() != prog:
        try:
            load_program(prog)
        except gdb.error as e:
            gdb.write(f"pagoda: could not load {prog}'s symbols: {e}\n")


class InProgram(gdb.Function):
    """$_pagoda_in("prog"): 1 if the selected CPU runs in prog's address
    space (CR3 is the page tables of a process whose comm is prog), else 0."""

    def __init__(self):
        super().__init__("_pagoda_in")

    def invoke(self, prog):
        want = prog.string() if prog.type.code != gdb.TYPE_CODE_INT else str(int(prog))
        yes = running_program() == want
        verdicts["yes" if yes else "no"] += 1
        return 1 if yes else 0


class CurrentPid(gdb.Function):
    """$_pagoda_pid(): the pid of the process whose page tables are in CR3,
    or -1 (a kernel thread's, the boot tables): for conditions such as
    `condition 1 $_pagoda_pid() == 3` when forked copies run one program."""

    def __init__(self):
        super().__init__("_pagoda_pid")

    def invoke(self):
        try:
            t = cr3_task()
            return int(task_info(t)["pid"]) if t is not None else -1
        except Exception:               # noqa: BLE001 (a condition must not fail)
            return -1


def break_in(prog, spec):
    """A hardware breakpoint at spec (a function, file:line or *address) of
    prog, stopping only when prog's process runs it. Returns its number."""
    path = load_program(prog)
    syms = elf_symbols(path)
    if spec.startswith("*"):
        pc = int(gdb.parse_and_eval(spec[1:]))
    elif spec in syms and spec != "main":
        # The program's own symbol: gdb's lookup could find the kernel's
        # namesake first (_start, memcpy, strlen ...).
        pc = syms[spec][0]
    else:
        # main, file:line: gdb's lookup, past the prologue like `break`.
        _, sals = gdb.decode_line(spec)
        if not sals:
            raise gdb.GdbError(f"pagoda break: no '{spec}' in {prog}")
        pc = sals[0].pc
    gdb.execute(f"hbreak *{pc:#x} if $_pagoda_in(\"{prog}\")", to_string=True)
    bp = gdb.breakpoints()[-1]
    gdb.write(f"Hardware breakpoint {bp.number} at {pc:#x}: {spec} in {prog} (only when {prog} runs it)\n")
    return bp.number


InProgram()
CurrentPid()
# Sourcing pagoda.py again (after an edit) must not leave the old hook too.
if getattr(gdb, "_pagoda_on_stop", None):
    gdb.events.stop.disconnect(gdb._pagoda_on_stop)
gdb._pagoda_on_stop = on_stop
gdb.events.stop.connect(on_stop)
