# Processes seen from gdb: the task list, a task's address space (its
# mm_struct, VMAs and page tables) and which task the CPU runs, in the
# formats of the monitor's ps, vmas, pmap and pt <pid> (kernel/observe/sched.c,
# mm/mmap.c show_vmas, kernel/observe/vmmap.c, kernel/observe/pt.c), read from
# memory like the rest.

import gdb

from .kernel import (PAGE_SHIFT, _P, addr_of, arch, cstring, deref, field_offset, header_defines,
                     layout_defines, list_entries, page_info, ptr, pt_walk, read, read_uint, val, walk_lines,
                     zones)

# ---- the kernel's #defines (gdb sees no macros: the headers are read) ---------

def sched_define(name, default):
    return header_defines("include/pagoda/sched.h").get(name, default)


def task_size():
    a = arch()
    return 0x00007ffffffff000 if a.bits == 64 else a.page_offset


# ---- tasks ----------------------------------------------------------------------

def tasks():
    """Addresses of every task_struct, in the order of the kernel's task_list
    (what for_each_task, and so ps, walks)."""
    head = addr_of(val("&task_list"))
    return list_entries(head, "struct task_struct", "tasks")


def task(addr):
    return deref("struct task_struct", addr)


def state_char(t):
    """task_state_char (kernel/sched/kthread.c)."""
    if int(t["flags"]) & sched_define("PF_IDLE", 1):
        return "I"
    if int(t["exit_state"]) == sched_define("EXIT_ZOMBIE", 8):
        return "Z"
    return {sched_define("TASK_RUNNING", 0): "R", sched_define("TASK_INTERRUPTIBLE", 1): "S",
            sched_define("TASK_UNINTERRUPTIBLE", 2): "D",
            sched_define("EXIT_ZOMBIE", 8): "Z"}.get(int(t["state"]), "X")


def task_info(addr):
    t = task(addr)
    parent = addr_of(t["parent"])
    mm = addr_of(t["mm"])
    process = bool(int(t["flags"]) & sched_define("PF_PROCESS", 0x10))
    info = {"addr": addr, "pid": int(t["pid"]), "ppid": int(task(parent)["pid"]) if parent else 0,
            "state": state_char(t), "cpu": int(t["cpu"]), "comm": cstring(addr_of(t["comm"].address), 16),
            "process": process, "mm": mm, "rss": 0, "faults": 0, "cow": 0}
    if mm:
        m = deref("struct mm_struct", mm)
        info.update(rss=int(m["rss"]), faults=int(m["nr_faults"]), cow=int(m["nr_cow"]))
    return info


def ps():
    return [task_info(a) for a in tasks()]


def find_task(pid):
    for a in tasks():
        if int(task(a)["pid"]) == pid:
            return a
    return None


def format_ps():
    lines = ["  PID  PPID S CPU COMM                  RSS   FAULTS      COW"]
    for r in ps():
        cols = (f" {r['rss']:8d} {r['faults']:8d} {r['cow']:8d}" if r["process"]
                else "        -        -        -")
        lines.append(f"{r['pid']:5d} {r['ppid']:5d} {r['state']} {r['cpu']:3d} {r['comm']:<16s}{cols}")
    lines.append("RSS, FAULTS, COW (processes only): user pages mapped, user page faults served, "
                 "pages copied on write")
    return lines


# ---- which task the CPU runs ----------------------------------------------------

def cr3_task():
    """The process whose page tables the selected CPU has in CR3 (its pgd's
    physical address), or None (a kernel thread's or the boot tables). This
    is the address space gdb reads and breakpoints hit in; on a CPU running
    that process's user code or system call it is also `current`."""
    try:
        cr3 = int(val("$cr3"))
    except gdb.error:
        return None
    a = arch()
    pgd_off = field_offset("struct mm_struct", "pgd")
    want = cr3 & a.addr_mask
    for t in tasks():
        mm = read_uint(t + field_offset("struct task_struct", "mm"), a.bits // 8)
        if mm and a.pa(read_uint(mm + pgd_off, a.bits // 8)) == want:
            return t
    return None


# ---- vmas ------------------------------------------------------------------------

VM_READ, VM_WRITE, VM_EXEC, VM_SHARED, VM_GROWSDOWN = 0x1, 0x2, 0x4, 0x8, 0x100
_PROTNONE = 1 << 9


def user_pages(pgd_va, start, end):
    """Virtual addresses of the leaves in [start, end) that own a page
    (walk_user_ptes with pte_has_page: present or PROT_NONE)."""
    return [va for va, _ in user_leaves(pgd_va, start, end, _P | _PROTNONE)]


def user_leaves(pgd_va, start, end, bits):
    """(address, entry) of the leaves in [start, end) with any of bits set,
    in address order, one table page read at a time."""
    a = arch()
    out = []

    def walk(table_va, level, va, end):
        shift = a.level_shift(level)
        span = 1 << shift
        first = (va >> shift) & ((1 << a.index_bits) - 1)
        n = ((end - 1) >> shift) - (va >> shift) + 1
        raw = read(table_va + first * a.pte_size, n * a.pte_size)
        for i in range(n):
            e = int.from_bytes(raw[i * a.pte_size:(i + 1) * a.pte_size], "little")
            lo = max(va, ((va >> shift) + i) << shift)
            hi = min(end, (((va >> shift) + i) << shift) + span)
            if level == a.levels - 1:
                if e & bits:
                    out.append((lo, e))
            elif e & _P:
                walk(a.va(e & a.addr_mask), level + 1, lo, hi)

    if start < end:
        walk(pgd_va, 0, start, end)
    return out


def vmas(mm):
    """The VMAs of the mm at address mm: start, end, flags, name, resident pages."""
    m = deref("struct mm_struct", mm)
    pgd = addr_of(m["pgd"])
    out = []
    for v in list_entries(addr_of(m["mmap"].address), "struct vm_area_struct", "vm_list"):
        vma = deref("struct vm_area_struct", v)
        name = addr_of(vma["vm_name"])
        start, end = addr_of(vma["vm_start"]), addr_of(vma["vm_end"])
        out.append({"addr": v, "start": start, "end": end, "flags": int(vma["vm_flags"]),
                    "name": cstring(name, 64) if name else "", "rss": len(user_pages(pgd, start, end))})
    return out


def perms(flags):
    return ((flags & VM_READ and "r" or "-") + (flags & VM_WRITE and "w" or "-") +
            (flags & VM_EXEC and "x" or "-") + (flags & VM_SHARED and "s" or "p"))


def task_mm(pid):
    t = find_task(pid)
    if t is None:
        raise gdb.GdbError(f"no task with pid {pid}")
    mm = addr_of(task(t)["mm"])
    if not mm:
        info = task_info(t)
        raise gdb.GdbError(f"{info['comm']}/{pid} has no user address space (a kernel thread)")
    return mm


def format_vmas(pid):
    """show_vmas (mm/mmap.c), line for line."""
    mm = task_mm(pid)
    m = deref("struct mm_struct", mm)
    lines = []
    for v in vmas(mm):
        lines.append(f"{ptr(v['start'])}-{ptr(v['end'])} {perms(v['flags'])} {(v['end'] - v['start']) >> 10:6d} kB "
                     f"rss {v['rss'] << (PAGE_SHIFT - 10):6d} kB {v['name']}"
                     f"{' (grows down)' if v['flags'] & VM_GROWSDOWN else ''}")
    lines.append(f"{int(m['map_count'])} VMAs, {int(m['total_vm']) << (PAGE_SHIFT - 10)} kB mapped, "
                 f"rss {int(m['rss']) << (PAGE_SHIFT - 10)} kB, {int(m['nr_faults'])} faults, "
                 f"{int(m['nr_cow'])} copied on write")
    return lines


def format_pmap(pid):
    """The monitor's `pmap <pid>` (kernel/observe/vmmap.c), line for line:
    each present user page's address, pfn, zone (from its struct page),
    rw/ro and VMA name."""
    a = arch()
    mm = task_mm(pid)
    pgd = addr_of(deref("struct mm_struct", mm)["pgd"])
    max_pfn = int(val("max_pfn"))
    comm = task_info(find_task(pid))["comm"]
    lines = [f"pmap-begin {'x86_64' if a.bits == 64 else 'i386'} {pid} {comm} {max_pfn}"]
    lines += [f"pmap-zone: {z['name']} {z['start_pfn']} {z['start_pfn'] + z['spanned']}" for z in zones() if z["spanned"]]
    n = 0
    for v in vmas(mm):
        for va, e in user_leaves(pgd, v["start"], v["end"], _P):
            pfn = (e & a.addr_mask) >> PAGE_SHIFT
            zone = page_info(pfn)["zone"] if pfn < max_pfn else "device"
            lines.append(f"pmap: 0x{va:0{a.bits // 4}x} {pfn} {zone} {'rw' if e & 2 else 'ro'} {v['name'] or '[anon]'}")
            n += 1
    lines.append(f"pmap-end {n}")
    return lines


def _sym(name):
    return int(gdb.parse_and_eval(f"(unsigned long){name}")) & arch().mask


def kernel_areas():
    """kernel_areas (kernel/observe/vmmap.c): (start, end, kind, detail) of
    the kernel half, sorted, end 0 meaning the top of the address space."""
    a = arch()
    lay = layout_defines(a.bits)
    ram = int(val("max_pfn")) << PAGE_SHIFT
    dm_start, dm_end = a.page_offset, a.page_offset + min(ram, a.direct_map_end - a.page_offset)
    img_start, img_end = _sym("_text") & ~0xfff, (_sym("_end") + 0xfff) & ~0xfff
    out = []
    if a.bits == 64:
        out.append((lay.get("NONCANONICAL_START", 1 << 47), a.page_offset, "noncanonical", None))
    if dm_start <= img_start and img_end <= dm_end:
        out += [(dm_start, img_start, "direct-map", "lowmem"), (img_end, dm_end, "direct-map", "lowmem")]
    else:
        out.append((dm_start, dm_end, "direct-map", "all-RAM"))
    out += [(img_start, _sym("_srodata"), "kernel-text", None), (_sym("_srodata"), _sym("_sdata"), "kernel-rodata", None),
            (_sym("_sdata"), _sym("__bss_start"), "kernel-data", None), (_sym("__bss_start"), img_end, "kernel-bss", None),
            (a.vmalloc[0], a.vmalloc[1], "vmalloc", "vmalloc/vmap/ioremap")]
    if a.last_pkmap:
        out.append((a.pkmap_base, a.pkmap_base + (a.last_pkmap << PAGE_SHIFT), "pkmap", "kmap"))
    if a.bits == 64:
        fix = (lay.get("FIXADDR_START", 0xffffffffffc00000), lay.get("FIXADDR_SIZE", 0x200000))
    else:
        span = (1 << a.index_bits) << PAGE_SHIFT        # one page table at the top
        fix = ((1 << 32) - span, span)
    out.append((fix[0], (fix[0] + fix[1]) & a.mask, "fixmap", "kmap_local/apic/early"))
    return sorted(out, key=lambda r: r[0])


def format_vmmap(pid):
    """The monitor's `vmmap <pid>` (kernel/observe/vmmap.c), line for line:
    the regions tiling the address space, the split, the count."""
    a = arch()
    mm = task_mm(pid)
    top, split, w = a.mask, task_size(), a.bits // 4
    lines, nxt = [], [0, False]

    def emit(first, last, kind, detail):
        lines.append(f"vmmap: 0x{first:0{w}x} 0x{last:0{w}x} {kind}{' ' + detail if detail else ''}")
        nxt[0], nxt[1] = last + 1, last == top

    def region(start, end, kind, detail):
        if nxt[1] or start < nxt[0] or (end and end <= start):
            return
        if start > nxt[0]:
            emit(nxt[0], start - 1, "unmapped" if nxt[0] < split and start <= split else "hole", None)
        emit(start, (end - 1) & top, kind, detail)

    for v in vmas(mm):
        backing = "anon"
        vma = deref("struct vm_area_struct", v["addr"])
        if v["flags"] & 0x4000:                  # VM_IO
            backing = "device"
        elif addr_of(vma["vm_memobj"]):
            backing = "memobj"
        region(v["start"], v["end"], "user", f"{perms(v['flags'])} {v['name'] or '[anon]'} {backing}")
    if nxt[0] < split:
        emit(nxt[0], split - 1, "unmapped", None)
    for start, end, kind, detail in kernel_areas():
        region(start, end, kind, detail)
    if not nxt[1]:
        emit(nxt[0], top, "hole", None)
    comm = task_info(find_task(pid))["comm"]
    return ([f"vmmap-begin {'x86_64' if a.bits == 64 else 'i386'} {pid} {comm} {a.bits} {a.levels}"] + lines +
            [f"vmmap-split 0x{split:0{w}x}", f"vmmap-end {len(lines)}"])


# ---- pt <pid> <va> -----------------------------------------------------------------

def kernel_half_matches(pgd):
    """pgd_kernel_half_matches (mm/pgd.c): the top-level entries from
    PAGE_OFFSET's up are swapper_pg_dir's."""
    a = arch()
    first = (a.page_offset >> a.level_shift(0)) & ((1 << a.index_bits) - 1)
    n = (1 << a.index_bits) - first if not a.pae else 4 - first
    swapper = addr_of(val("&swapper_pg_dir"))
    return read(pgd + first * a.pte_size, n * a.pte_size) == read(swapper + first * a.pte_size, n * a.pte_size)


def format_pt_process(pid, va):
    """The monitor's `pt <pid> <vaddr>` (kernel/observe/pt.c pt_process)."""
    a = arch()
    mm = task_mm(pid)
    pgd = addr_of(deref("struct mm_struct", mm)["pgd"])
    lines = [f"pt {ptr(va)} in pid {pid}'s address space (pgd {a.pa(pgd):#x})"]
    lines += walk_lines(va, a.pa(pgd))
    if va >= task_size():
        prefix = "  a kernel address: "
    else:
        prefix = "  "
        v = next((v for v in vmas(mm) if v["start"] <= va < v["end"]), None)
        if v:
            lines.append(f"  in VMA {ptr(v['start'])}-{ptr(v['end'])} {perms(v['flags'])[:3]} {v['name']}")
        else:
            lines.append("  in no VMA: an access from user mode is a segfault")
    lines.append(f"{prefix}kernel half: top-level entries "
                 f"{'the very same as' if kernel_half_matches(pgd) else 'DIFFERENT from'} swapper_pg_dir's")
    return lines


def user_walk(pid, va):
    """pt_walk in process pid's page tables."""
    mm = task_mm(pid)
    return pt_walk(va, arch().pa(addr_of(deref("struct mm_struct", mm)["pgd"])))
