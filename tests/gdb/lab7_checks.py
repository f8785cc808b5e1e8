# Checks of tests/gdb/lab7_switch.gdb: one switch from process A to B. Each
# value is read two ways (CR3 against the mm's pgd through __pa, the TSS
# against the task's thread.sp0, the tables' entries against
# swapper_pg_dir's), so the walk in the lab's text stays true.

import gdb
import pagoda as P
from pagoda_checks_common import check, eval_int, finish, show  # noqa: F401 (finish: for the script)

seen = {}


def _top_level(pgd_va):
    """The entries of a top-level table and the index where the kernel half
    starts (mm/pgd.c KERNEL_PGD_BOUNDARY)."""
    a = P.arch()
    n = 4 if a.pae else 1 << a.index_bits
    boundary = (a.page_offset >> a.level_shift(0)) & (n - 1)
    raw = P.read(pgd_va, n * a.pte_size)
    ents = [int.from_bytes(raw[i * a.pte_size:(i + 1) * a.pte_size], "little") for i in range(n)]
    return ents, boundary


def _switch_frame():
    """The context_switch_mm frame above a switch_mm stop (inlined into
    __schedule, it still has its own prev and next), or None."""
    f = gdb.newest_frame()
    while f is not None and f.name() != "context_switch_mm":
        f = f.older()
    return f


class _ProcessSwitch(gdb.Breakpoint):
    """switch_mm, stopping only when prev and next are two processes named
    prog: what a student does by hand with `continue` and `bt`."""

    def __init__(self, prog):
        super().__init__("switch_mm", type=gdb.BP_HARDWARE_BREAKPOINT)
        self.prog = prog

    def stop(self):
        f = _switch_frame()
        if f is None:
            return False
        try:
            p, n = f.read_var("prev"), f.read_var("next")
            return (p["comm"].string() == n["comm"].string() == self.prog and int(p["mm"]) and int(n["mm"])
                    and int(p["mm"]) != int(n["mm"]))
        except gdb.error:
            return False


def break_at_process_switch(prog):
    _ProcessSwitch(prog)


def before_switch():
    a = P.arch()
    f = _switch_frame()
    check("stop-in-switch", f is not None, f"stopped in {gdb.newest_frame().name()}")
    if f is None:
        return
    f.select()
    show("bt 3")
    ta, tb = eval_int("(unsigned long)prev"), eval_int("(unsigned long)next")
    A, B = P.task_info(ta), P.task_info(tb)
    prev, nxt = A["mm"], B["mm"]
    show("p prev->comm")
    show("p next->comm")
    check("switch-a-to-b", A["process"] and B["process"] and A["pid"] != B["pid"] and prev and nxt,
          f"prev {A}, next {B}")
    gdb.write(f"switch from {A['comm']}/{A['pid']} (mm {prev:#x}) to {B['comm']}/{B['pid']} (mm {nxt:#x})\n")
    pgd_a = eval_int(f"(unsigned long)((struct mm_struct *){prev:#x})->pgd")
    pgd_b = eval_int(f"(unsigned long)((struct mm_struct *){nxt:#x})->pgd")
    cr3 = eval_int("$cr3")
    show("p/x $cr3")
    gdb.write(f"A's pgd {pgd_a:#x} (physical {a.pa(pgd_a):#x}), B's pgd {pgd_b:#x} (physical {a.pa(pgd_b):#x})\n")
    check("cr3-is-a", cr3 & a.addr_mask == a.pa(pgd_a), f"CR3 {cr3:#x}, A's pgd at {a.pa(pgd_a):#x}")
    ea, boundary = _top_level(pgd_a)
    eb, _ = _top_level(pgd_b)
    es, _ = _top_level(eval_int("(unsigned long)swapper_pg_dir"))
    kernel = range(boundary, len(ea))
    present = [i for i in kernel if ea[i] & 1]
    if present:
        i = present[0]
        show(f"p/x prev->mm->pgd[{i}]")
        show(f"p/x next->mm->pgd[{i}]")
        show(f"p/x swapper_pg_dir[{i}]")
    gdb.write(f"kernel half: entries {boundary}..{len(ea) - 1}, present {present[:8]}{' ...' if len(present) > 8 else ''}\n")
    check("kernel-half-shared", present and all(ea[i] == eb[i] == es[i] for i in kernel),
          f"entries {boundary}..{len(ea) - 1} differ: "
          f"{[(i, hex(ea[i]), hex(eb[i]), hex(es[i])) for i in kernel if not ea[i] == eb[i] == es[i]][:4]}")
    user_a = [i for i in range(boundary) if ea[i] & 1]
    check("user-half-own", user_a and all(ea[i] & a.addr_mask != eb[i] & a.addr_mask for i in user_a if eb[i] & 1),
          f"A's user entries {[(i, hex(ea[i]), hex(eb[i])) for i in user_a]}")
    seen.update(a=A, b=B, ta=ta, tb=tb, pgd_b=pgd_b, cr3=cr3)


def after_switch():
    a = P.arch()
    if "b" not in seen:
        return
    cr3 = eval_int("$cr3")
    show("p/x $cr3")
    check("cr3-is-b", cr3 & a.addr_mask == a.pa(seen["pgd_b"]) and cr3 != seen["cr3"],
          f"CR3 {cr3:#x} (before {seen['cr3']:#x}), B's pgd at {a.pa(seen['pgd_b']):#x}")
    t = P.cr3_task()
    check("cr3-task-is-b", t == seen["tb"], f"pagoda finds task {t and P.task_info(t)} in CR3")


def _tss_sp0():
    """CPU 0's TSS field, the way the lab's text prints it (the per-CPU
    copy: the template's address plus the CPU's offset)."""
    field = "rsp[0]" if P.arch().bits == 64 else "esp0"
    kind = "tss64" if P.arch().bits == 64 else "tss32"
    show(f"p/x ((struct {kind} *)((unsigned long)&tss + __per_cpu_offset[0]))->{field}")
    tss = P.per_cpu(P.val("tss"), 0)
    return int(tss["rsp"][0]) if P.arch().bits == 64 else int(tss["esp0"])


def before_load_sp0():
    if "b" not in seen:
        return
    show("p/x sp0")
    sp0 = eval_int("sp0")
    old = _tss_sp0()
    sp0_a = eval_int(f"((struct task_struct *){seen['ta']:#x})->thread.sp0")
    sp0_b = eval_int(f"((struct task_struct *){seen['tb']:#x})->thread.sp0")
    gdb.write(f"TSS sp0 {old:#x} (A's kernel stack top {sp0_a:#x}); loading {sp0:#x} (B's {sp0_b:#x})\n")
    check("sp0-is-a", old == sp0_a, f"TSS {old:#x}, A's thread.sp0 {sp0_a:#x}")
    check("sp0-arg-is-b", sp0 == sp0_b and sp0 != sp0_a, f"load_sp0({sp0:#x}), B's thread.sp0 {sp0_b:#x}")
    # The top of B's kernel stack, from the task's own record of it.
    tb = f"((struct task_struct *){seen['tb']:#x})"
    stack, top = eval_int(f"(unsigned long){tb}->stack"), eval_int(f"{tb}->stack_info.top")
    check("sp0-top-of-b-stack", sp0_b == top and eval_int(f"{tb}->stack_info.bottom") == stack,
          f"B's stack [{stack:#x}, {top:#x}), sp0 {sp0_b:#x}")
    seen.update(sp0_b=sp0_b)


def after_load_sp0():
    if "sp0_b" not in seen:
        return
    now = _tss_sp0()
    gdb.write(f"TSS sp0 now {now:#x}\n")
    check("sp0-is-b", now == seen["sp0_b"], f"TSS {now:#x}, B's thread.sp0 {seen['sp0_b']:#x}")
