# Checks of tests/gdb/user_debug.gdb: user programs under gdb. Each compares
# what the pagoda helpers say with what gdb reads another way (the task's
# fields through the kernel's debug information, memory through another
# mapping), so a helper reading the wrong thing fails.

import os
import sys

import gdb
import pagoda as P
from pagoda_checks_common import check, eval_int, frames, finish, show  # noqa: F401 (finish: for the script)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import vmmap as vmmap_tool  # noqa: E402 (tools/vmmap.py: its parser and checks)


def _current():
    """The task in CR3 as the helpers find it, and its info."""
    t = P.cr3_task()
    return t, (P.task_info(t) if t else None)


def at_start(prog):
    """Stopped at prog's _start, although init ran that address first."""
    t, info = _current()
    pc = eval_int("$pc")
    start = P.elf_symbols(P.userprog.program_path(prog))["_start"][0]
    check("break-start-address", pc == start, f"pc {pc:#x}, {prog}'s _start {start:#x}")
    check("break-start-program", info is not None and info["comm"] == prog and info["pid"] != 1,
          f"stopped in {info and info['comm']}/{info and info['pid']}, want {prog} (not init, pid 1)")
    # init ran the same address first: the condition must have said no.
    check("break-start-skipped-init", P.userprog.verdicts["no"] >= 1 and P.userprog.verdicts["yes"] == 1,
          f"condition verdicts {P.userprog.verdicts}")


def at_main(prog):
    t, info = _current()
    frame = gdb.selected_frame()
    check("break-main", frame.name() == "main" and P.loaded_program() == prog,
          f"frame {frame.name()}, symbols of {P.loaded_program()}")
    check("break-main-comm", info is not None and info["comm"] == prog and info["process"],
          f"task {info}")
    if info is None:
        return
    pid = info["pid"]
    # The task as gdb's own expressions see it (the kernel's debug info).
    tsk = f"((struct task_struct *){t:#x})"
    check("task-pid", info["pid"] == eval_int(f"{tsk}->pid") and info["mm"] == eval_int(f"(unsigned long){tsk}->mm"),
          f"helpers {info}")

    show("pagoda ps")
    rows = {r["pid"]: r for r in P.ps()}
    text = "\n".join(P.format_ps())
    init = rows.get(1)
    check("ps-init", init is not None and init["comm"] == "init" and init["process"],
          f"pid 1 is {init}")
    me = rows.get(pid)
    check("ps-row", me is not None and me["ppid"] == 1 and me["state"] == "R" and
          f"{pid:5d}     1 R" in text and prog in text, f"row {me}\n{text}")

    show(f"pagoda vmas {pid}")
    mm = f"((struct task_struct *){t:#x})->mm"
    vm = P.vmas(info["mm"])
    lines = P.format_vmas(pid)
    check("vmas-count", len(vm) == eval_int(f"{mm}->map_count") == len(lines) - 1,
          f"{len(vm)} VMAs, map_count {eval_int(f'{mm}->map_count')}, {len(lines)} lines")
    check("vmas-total", sum(v["end"] - v["start"] for v in vm) >> 12 == eval_int(f"{mm}->total_vm"),
          f"{[(hex(v['start']), hex(v['end'])) for v in vm]} total_vm {eval_int(f'{mm}->total_vm')}")
    pc, sp = eval_int("$pc"), eval_int("$sp")
    text_vma = next((v for v in vm if v["start"] <= pc < v["end"]), None)
    check("vmas-text", text_vma is not None and P.perms(text_vma["flags"]) == "r-xp" and text_vma["rss"] > 0,
          f"pc {pc:#x} in {text_vma}")
    stack = next((v for v in vm if v["start"] <= sp < v["end"]), None)
    check("vmas-stack", stack is not None and stack["name"] == "[stack]" and P.perms(stack["flags"]) == "rw-p"
          and any(l.endswith("[stack] (grows down)") for l in lines), f"sp {sp:#x} in {stack}")
    # rss: the kernel's counter (ps, mm->rss) against the pages found in the
    # page tables (vmas), two independent sources.
    resident = sum(v["rss"] for v in vm)
    check("rss-counter-vs-tables", resident == me["rss"] == eval_int(f"{mm}->rss"),
          f"page tables {resident}, ps {me['rss']}, mm->rss {eval_int(f'{mm}->rss')}")

    # vmmap: the regions tile the address space once (tools/vmmap.py's own
    # checks on the text), its user regions are exactly the VMAs.
    show(f"pagoda vmmap {pid}")
    vd, _ = vmmap_tool.parse("\n".join(P.format_vmmap(pid)))
    users = [(r[0], r[1] + 1) for r in vd[0].regions if r[2] == "user"] if vd else []
    problems = vd[0].check() if vd else ["no dump"]
    check("vmmap-tiles", not problems and users == [(v["start"], v["end"]) for v in vm] and
          any(r[2] == "kernel-text" and r[0] == int(gdb.parse_and_eval("(unsigned long)_text")) & ~0xfff
              for r in vd[0].regions),
          f"{problems} users {users}")

    # pmap: every present page once, each pfn what pt_walk of the process's
    # tables finds (a walk of its own), in the zone that spans the pfn.
    show(f"pagoda pmap {pid}")
    pmap = P.format_pmap(pid)
    pages = [l.split() for l in pmap if l.startswith("pmap: ")]
    spans = [(z["name"], z["start_pfn"], z["start_pfn"] + z["spanned"]) for z in P.zones() if z["spanned"]]
    bad = []
    for _, va, pfn, zone, _, _ in pages:
        w = P.user_walk(pid, int(va, 16))
        if not w["present"] or w["phys"] >> 12 != int(pfn) or \
                not any(n == zone and s <= int(pfn) < e for n, s, e in spans):
            bad.append((va, pfn, zone, w["phys"]))
    check("pmap-vs-pt", pages and not bad and len(pages) == me["rss"] and pmap[-1] == f"pmap-end {len(pages)}",
          f"{len(pages)} pages, rss {me['rss']}, mismatches {bad[:3]}")

    show(f"pagoda pt {pid} main")
    walk = P.user_walk(pid, pc)
    pt_lines = P.format_pt_process(pid, pc)
    ok = walk["present"] and any(l.startswith("  in VMA ") and l.endswith(" r-x text") for l in pt_lines)
    check("pt-user-text", ok, "\n".join(pt_lines))
    if walk["present"]:
        via_direct_map = P.read(P.arch().va(walk["phys"]), 16)
        via_cr3 = P.read(pc, 16)
        check("pt-user-phys", via_direct_map == via_cr3,
              f"{via_direct_map.hex()} at phys {walk['phys']:#x}, {via_cr3.hex()} at {pc:#x}")
    # The direct map's first page through the process's tables: its kernel
    # half is swapper_pg_dir's, and the page is physical 0 (C's %#x: "0").
    kern = P.format_pt_process(pid, P.arch().page_offset)
    check("pt-user-kernel-half", kern[-2] == "  => physical address 0" and
          kern[-1] == "  a kernel address: kernel half: top-level entries the very same as swapper_pg_dir's",
          "\n".join(kern))
    none = P.format_pt_process(pid, 0)
    check("pt-user-unmapped", "  in no VMA: an access from user mode is a segfault" in none and
          any("not mapped" in l for l in none) and none[-1].endswith("the very same as swapper_pg_dir's"),
          "\n".join(none))


def in_syscall(prog, handler, user_funcs):
    """bt from a system call handler: kernel frames, the entry frame, then
    the program's frames, the first at the user ip the entry saved."""
    t, info = _current()
    check("syscall-comm", info is not None and info["comm"] == prog, f"task {info}")
    stack = frames()
    desc = " <- ".join(f"{n}@{pc:#x}" for n, pc in stack)
    limit = P.process.task_size()
    kernel = [i for i, (_, pc) in enumerate(stack) if pc >= limit]
    user = [i for i, (_, pc) in enumerate(stack) if pc < limit]
    check("bt-kernel-then-user", stack[0][0] == handler and kernel and user and max(kernel) < min(user)
          and stack[max(kernel)][0] in ("entry_SYSCALL_64", "trap_common"), desc)
    # The user ip from task_pt_regs(current), by gdb's own arithmetic.
    regs = f"(((struct pt_regs *)((struct task_struct *){t:#x})->thread.sp0) - 1)"
    uip = eval_int(f"{regs}->ip")
    check("bt-user-ip", bool(user) and stack[min(user)][1] == uip,
          f"first user frame at {stack[min(user)][1] if user else 0:#x}, pt_regs ip {uip:#x}: {desc}")
    names = [stack[i][0] for i in user]
    want = list(user_funcs)
    check("bt-user-frames", [n for n in names if n in want] == want and names[-1] == "main",
          f"user frames {names}, want {want} in order, main last")


_step = {}


def step_into_kernel(prog, caller):
    """At prog's function caller: stepi up to the system-call instruction
    and over it, which enters the kernel's entry code (TCG single-steps into
    the handler the instruction jumps to)."""
    for _ in range(64):
        insn = gdb.execute("x/i $pc", to_string=True)
        if "syscall" in insn.split(":", 1)[-1] or "int    $0x80" in insn:
            break
        gdb.execute("stepi", to_string=True)
    at = eval_int("$pc")
    size = 2                                # syscall (0f 05) and int $0x80 (cd 80)
    show("stepi")
    show("bt")
    stack = frames()
    entry = stack[0][0] in ("entry_SYSCALL_64", "trap_stubs") and eval_int("$pc") >= P.process.task_size()
    check("stepi-into-entry", entry, f"after stepi over {insn.strip()}: {stack[:3]}")
    check("stepi-entry-caller", len(stack) > 2 and stack[1][1] == at + size and
          caller in [n for n, _ in stack[1:4]], f"want {caller} at {at + size:#x}: {stack}")
    _step["return"] = at + size


def step_back_to_user(prog):
    """In a system call's handler from prog: finish up to the entry code, then stepi
    until user mode: the first user instruction follows the system call."""
    t, info = _current()
    check("step-handler-comm", info is not None and info["comm"] == prog, f"task {info}")
    for _ in range(8):
        if gdb.selected_frame().name() in ("entry_SYSCALL_64", "trap_common"):
            break
        show("finish")
    where = gdb.selected_frame().name()
    limit = P.process.task_size()
    for _ in range(200):
        if eval_int("$pc") < limit:
            break
        gdb.execute("stepi", to_string=True)
    pc = eval_int("$pc")
    check("step-back-to-user", where in ("entry_SYSCALL_64", "trap_common") and pc == _step.get("return"),
          f"finish reached {where}; back in user mode at {pc:#x}, the system call returns to "
          f"{_step.get('return', 0):#x}")
