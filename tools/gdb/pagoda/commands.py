# The gdb commands: `pagoda` and its subcommands, over pagoda.kernel.

import gdb

from .kernel import (addr_of, format_bio, format_buddy, format_kmaps, format_page, format_pt,
                     format_slab, format_vmalloc, parse_page_arg, val)
from .process import format_pmap, format_ps, format_pt_process, format_vmas, format_vmmap
from .mounts import format_mounts
from . import userprog

# ---- the commands ------------------------------------------------------------------

SUBCOMMANDS = [
    ("pt", "[pid] <vaddr>", "page-table walk from the current CR3 or process pid's, every level decoded (like pt)"),
    ("buddy", "", "free blocks per zone and order, counted on the free lists (like buddyinfo)"),
    ("page", "<pfn|0xaddr|expr>", "a struct page decoded: flags, zone, order, refcount, slab cache"),
    ("slab", "", "the slab caches (like slabinfo)"),
    ("vmalloc", "", "vmalloc/vmap/ioremap areas (like vmallocinfo)"),
    ("bio", "<addr|expr>", "a struct bio: sector, size and its segments with physical addresses"),
    ("kmaps", "", "live highmem mappings (i386 with kmap support)"),
    ("ps", "", "tasks: pid, parent, state, CPU, name; processes' rss, faults, COW copies (like ps)"),
    ("mounts", "", "the mount table: id, path, source, fstype, flags, the endpoint (like mounts)"),
    ("vmas", "<pid>", "a process's VMAs: range, perms, size, resident, name (like the monitor's vmas)"),
    ("vmmap", "<pid>", "a process's whole address space as regions: VMAs, holes, kernel areas (like vmmap)"),
    ("pmap", "<pid>", "a process's present pages: address, pfn, zone, rw/ro, VMA (like the monitor's pmap)"),
    ("user", "[prog|auto|off]", "load a user program's symbols (auto: at each stop, CR3's program)"),
    ("break", "<prog> <function|file:line|*addr>", "hardware breakpoint that stops only in prog's process"),
    ("help", "", "this list"),
]


def help_lines():
    lines = ["pagoda: kernel-aware commands (they read kernel memory; no monitor needed)"]
    for name, args, text in SUBCOMMANDS:
        lines.append(f"  pagoda {name + (' ' + args if args else ''):<28s} {text}")
    lines += ["Getting started: hbreak start_kernel, continue; bt, next, info registers, p/x $cr3.",
              "A user program: pagoda break hello main, continue; bt in a system call shows both sides.",
              "The monitor is on a socket meanwhile: 'make console' in another terminal."]
    return lines


def _out(lines):
    for line in lines:
        gdb.write(line + "\n")


def _int_arg(arg, what):
    arg = arg.strip()
    if not arg:
        raise gdb.GdbError(f"usage: pagoda {what}")
    try:
        return int(arg, 16) if not arg.startswith(("0x", "0X")) and all(c in "0123456789abcdefABCDEF" for c in arg) \
            else addr_of(val(arg))
    except gdb.error as e:
        raise gdb.GdbError(str(e))


class Pagoda(gdb.Command):
    """Kernel-aware helpers for Pagoda: pagoda pt|buddy|page|slab|vmalloc|bio|kmaps|ps|mounts|vmas|vmmap|pmap|user|break|help."""

    def __init__(self):
        super().__init__("pagoda", gdb.COMMAND_USER, gdb.COMPLETE_NONE, True)

    def invoke(self, arg, from_tty):
        if arg.strip():
            raise gdb.GdbError(f"pagoda: unknown subcommand '{arg.split()[0]}' (pagoda help)")
        _out(help_lines())


class _Sub(gdb.Command):
    """A subcommand: run() does the work; unreadable memory becomes one clear
    error line instead of a Python traceback."""

    def __init__(self, name):
        super().__init__("pagoda " + name, gdb.COMMAND_USER)
        self.sub = name

    def invoke(self, arg, from_tty):
        try:
            self.run(arg)
        except gdb.MemoryError as e:
            raise gdb.GdbError(f"pagoda {self.sub}: {e} (a wrong address, or a kernel not yet past "
                               "mm_init / paging_init?)")


class _PidSub(_Sub):
    """A subcommand whose one argument is a pid: it prints show(pid)."""

    def __init__(self, name, show):
        super().__init__(name)
        self.show = show

    def run(self, arg):
        if not arg.strip().isdigit():
            raise gdb.GdbError(f"usage: pagoda {self.sub} <pid>")
        _out(self.show(int(arg)))


class PagodaHelp(_Sub):
    """List the pagoda subcommands."""

    def __init__(self):
        super().__init__("help")

    def run(self, arg):
        _out(help_lines())


class PagodaPt(_Sub):
    """pagoda pt [pid] <vaddr>: walk the page tables for vaddr (hex, with or without 0x, or an expression).
Without pid, from $cr3 (the tables the selected CPU uses); with a decimal
pid, that process's (its mm's pgd), then its VMA at vaddr and whether its
kernel half is swapper_pg_dir's, as the monitor's `pt <pid> <vaddr>`."""

    def __init__(self):
        super().__init__("pt")

    def run(self, arg):
        words = arg.split()
        if len(words) == 2 and words[0].isdigit():
            _out(format_pt_process(int(words[0]), _int_arg(words[1], "pt [pid] <vaddr>")))
        else:
            _out(format_pt(_int_arg(arg, "pt [pid] <vaddr>")))


class PagodaPs(_Sub):
    """pagoda ps: every task (the kernel's task_list): pid, parent, state, CPU, name, and for a process
its rss (pages mapped), page faults served and pages copied on write."""

    def __init__(self):
        super().__init__("ps")

    def run(self, arg):
        _out(format_ps())


class PagodaMounts(_Sub):
    """pagoda mounts: the kernel's mount table as the monitor's mounts prints it, the last column
naming the endpoint object (and whether the kernel serves it) instead of its state."""

    def __init__(self):
        super().__init__("mounts")

    def run(self, arg):
        _out(format_mounts())


class PagodaVmas(_PidSub):
    """pagoda vmas <pid>: process pid's VMAs as the monitor's vmas prints them (like /proc/PID/maps,
with the resident part counted in its page tables), then its totals."""

    def __init__(self):
        super().__init__("vmas", format_vmas)


class PagodaVmmap(_PidSub):
    """pagoda vmmap <pid>: process pid's whole virtual address space as the monitor's vmmap prints
it: regions tiling it once (VMAs, unmapped gaps, the kernel half's areas), the split (tools/vmmap.py)."""

    def __init__(self):
        super().__init__("vmmap", format_vmmap)


class PagodaPmap(_PidSub):
    """pagoda pmap <pid>: where process pid's pages live, as the monitor's pmap prints them: each
present user page's address, pfn, zone, rw/ro and VMA name (tools/vmmap.py draws it)."""

    def __init__(self):
        super().__init__("pmap", format_pmap)


class PagodaUser(_Sub):
    """pagoda user [prog|auto|off]: the user program whose symbols gdb has.
All programs are linked at the same addresses, so one is loaded at a time
(build/<build>/user/bin/<prog>, replacing the previous one). By default
(auto) each stop loads the program of the process whose page tables are in
CR3. `pagoda user prog` loads prog now; `off` stops the automatic loading
and unloads; no argument says which is loaded."""

    def __init__(self):
        super().__init__("user")

    def run(self, arg):
        arg = arg.strip()
        if arg == "off":
            userprog.auto["on"] = False
            userprog.unload_program()
            gdb.write("pagoda: user symbols unloaded; no automatic loading\n")
        elif arg == "auto":
            userprog.auto["on"] = True
            userprog.on_stop(None)
            gdb.write(f"pagoda: automatic loading on; loaded: {userprog.loaded_program() or 'none'}\n")
        elif arg:
            userprog.load_program(arg)
        else:
            gdb.write(f"pagoda: user symbols: {userprog.loaded_program() or 'none'} "
                      f"(automatic loading {'on' if userprog.auto['on'] else 'off'}); "
                      f"CR3 runs: {userprog.running_program() or 'no process'}\n")


class PagodaBreak(_Sub):
    """pagoda break <prog> <function|file:line|*addr>: stop when prog's process runs there.
A hardware breakpoint (the kernel's page tables decide nothing: it compares
the virtual address) with the condition $_pagoda_in("prog"): the process
whose page tables are in CR3 is named prog. Loads prog's symbols."""

    def __init__(self):
        super().__init__("break")

    def run(self, arg):
        words = arg.split(None, 1)
        if len(words) != 2:
            raise gdb.GdbError("usage: pagoda break <prog> <function|file:line|*addr>")
        userprog.break_in(words[0], words[1].strip())


class PagodaBuddy(_Sub):
    """pagoda buddy: free blocks per zone and order, from the zones' free lists."""

    def __init__(self):
        super().__init__("buddy")

    def run(self, arg):
        lines, notes = format_buddy()
        _out(lines)
        if notes:
            _out(["inconsistencies:"] + notes)


class PagodaPage(_Sub):
    """pagoda page <pfn|0xaddr|expr>: decode a struct page.
A decimal number is a pfn. 0x... is a struct page pointer (inside mem_map),
a direct-map or kernel-image address, a vmalloc/kmap/fixmap address (looked
up in the page tables) or else a physical address. Anything else is
evaluated by gdb (e.g. bio->bi_io_vec[0].bv_page)."""

    def __init__(self):
        super().__init__("page")

    def run(self, arg):
        if not arg.strip():
            raise gdb.GdbError("usage: pagoda page <pfn|0xaddr|expr>")
        _out(format_page(parse_page_arg(arg)))


class PagodaSlab(_Sub):
    """pagoda slab: the slab caches (name, object size, stride, objects per slab, active/total)."""

    def __init__(self):
        super().__init__("slab")

    def run(self, arg):
        _out(format_slab())


class PagodaVmalloc(_Sub):
    """pagoda vmalloc: the vmalloc/vmap/ioremap areas (range with guard page, size, caller, kind)."""

    def __init__(self):
        super().__init__("vmalloc")

    def run(self, arg):
        _out(format_vmalloc())


class PagodaBio(_Sub):
    """pagoda bio <addr|expr>: a struct bio's sector, size and segments."""

    def __init__(self):
        super().__init__("bio")

    def run(self, arg):
        if not arg.strip():
            raise gdb.GdbError("usage: pagoda bio <addr|expr>")
        addr = addr_of(val(arg))
        if not addr:
            raise gdb.GdbError("pagoda bio: NULL")
        _out(format_bio(addr))


class PagodaKmaps(_Sub):
    """pagoda kmaps: live highmem mappings."""

    def __init__(self):
        super().__init__("kmaps")

    def run(self, arg):
        _out(format_kmaps())


Pagoda()
for _c in (PagodaHelp, PagodaPt, PagodaBuddy, PagodaPage, PagodaSlab, PagodaVmalloc, PagodaBio, PagodaKmaps,
           PagodaPs, PagodaMounts, PagodaVmas, PagodaVmmap, PagodaPmap, PagodaUser, PagodaBreak):
    _c()
