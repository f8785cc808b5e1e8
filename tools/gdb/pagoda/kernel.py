# What the `pagoda` commands know about the kernel: its layout, how to read
# its data structures from memory, and the kernel's own output formats. Plain
# functions returning data (pt_walk, zones, page_info, slab_caches, vm_areas,
# bio_info) and others formatting it (format_pt ...), for scripts and tests.

import gdb

# ---- the build ---------------------------------------------------------------

PAGE_SHIFT = 12
PAGE_SIZE = 1 << PAGE_SHIFT

_P, _W, _U, _PWT, _PCD, _A, _D, _PS, _G = (1 << i for i in range(9))
_NX64 = 1 << 63
PTE_FLAG_NAMES = [(_P, "P"), (_W, "W"), (_U, "U"), (_PWT, "PWT"), (_PCD, "PCD"),
                  (_A, "A"), (_D, "D"), (_PS, "PS"), (_G, "G")]
PAGEFLAG_NAMES = ["reserved", "buddy", "pcp", "slab", "highmem", "user"]
ZONE_NAMES = ["DMA", "DMA32", "Normal", "HighMem"]


class Arch:
    """What differs between the builds (include/asm/layout_*.h, pgtable_*.h)."""

    def __init__(self, bits, pae=False):
        self.bits = bits
        self.pae = pae
        if bits == 64:
            self.name = "x86_64"
            self.page_offset = 0xffff800000000000
            self.kernel_virt_base = 0xffffffff80000000
            self.levels, self.index_bits, self.pte_size = 4, 9, 8
            self.level_names = ["PML4", "PDPT", "PD", "PT"]
            self.addr_mask = 0x000ffffffffff000
            self.nx = _NX64
            self.vmalloc = (0xffffc90000000000, 0xffffca0000000000)
        else:
            self.name = "i386"
            self.page_offset = 0xc0000000
            self.kernel_virt_base = 0xc0000000
            self.levels, self.index_bits, self.pte_size = 2, 10, 4
            self.level_names = ["PD", "PT"]
            self.addr_mask = 0xfffff000
            self.nx = 0
            self.vmalloc = (0xf8800000, 0xff800000)
        if pae:
            # i386 PAE (include/asm/pgtable_3level.h): PDPT, PD, PT with
            # 8-byte entries, frames above 4 GiB, NX in bit 63.
            self.name = "i386-pae"
            self.levels, self.index_bits, self.pte_size = 3, 9, 8
            self.level_names = ["PDPT", "PD", "PT"]
            self.addr_mask = 0x000ffffffffff000
            self.nx = _NX64
        self.pkmap_base, self.last_pkmap = (0xff800000, 1024) if bits == 32 else (0, 0)
        # The repository's headers, when gdb runs from a checkout, win over
        # the defaults above (the layout may move; this file need not follow).
        lay = layout_defines(bits)
        self.page_offset = lay.get("PAGE_OFFSET", self.page_offset)
        self.kernel_virt_base = lay.get("KERNEL_VIRT_BASE", self.kernel_virt_base)
        self.vmalloc = (lay.get("VMALLOC_START", self.vmalloc[0]), lay.get("VMALLOC_END", self.vmalloc[1]))
        self.pkmap_base = lay.get("PKMAP_BASE", self.pkmap_base)
        self.last_pkmap = lay.get("LAST_PKMAP", self.last_pkmap)
        if bits == 32:
            # pkmap and fixmap are one page table each at the top (layout_32.h):
            # 4 MiB with 2-level tables, 2 MiB with PAE; vmalloc ends at pkmap.
            span = (1 << self.index_bits) << PAGE_SHIFT
            self.pkmap_base = (1 << 32) - 2 * span
            self.last_pkmap = span >> PAGE_SHIFT
            self.vmalloc = (self.vmalloc[0], self.pkmap_base)
        if bits == 64:
            self.direct_map_end = self.page_offset + lay.get("DIRECT_MAP_SIZE", 0x0000400000000000)
        else:
            self.direct_map_end = self.page_offset + lay.get("MAX_LOWMEM", 0x38000000)
        self.ptr_digits = bits // 4
        self.mask = (1 << bits) - 1

    def in_direct_map(self, va):
        return self.page_offset <= va < self.direct_map_end

    def level_shift(self, level):
        return PAGE_SHIFT + (self.levels - 1 - level) * self.index_bits

    def pa(self, va):
        """__pa: direct map (and, on x86_64, the kernel image) to physical."""
        if self.bits == 64 and va >= self.kernel_virt_base:
            return va - self.kernel_virt_base
        return va - self.page_offset

    def va(self, pa):
        return (pa + self.page_offset) & self.mask


_defines = {}


def header_defines(rel):
    """NAME -> number for the numeric #defines of a header of this checkout
    (rel from the top of the tree; values may be wrapped in _AC(...))."""
    if rel not in _defines:
        import os
        import re
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", rel)
        out = {}
        try:
            with open(path) as f:
                for m in re.finditer(r"^#define\s+(\w+)\s+(?:_AC\(\s*)?(0x[0-9a-fA-F]+|\d+)\b", f.read(), re.M):
                    out[m.group(1)] = int(m.group(2), 0)
        except OSError:
            pass
        _defines[rel] = out
    return _defines[rel]


def layout_defines(bits):
    """NAME -> value for the numeric #defines of include/asm/layout_{64,32}.h."""
    return header_defines(f"include/asm/layout_{bits}.h")


_arch = {}


def arch():
    bits = 64 if gdb.lookup_type("long").sizeof == 8 else 32
    # The PAE build's page-table entries are 8 bytes (pteval_t is u64).
    pae = bits == 32 and int(gdb.parse_and_eval("sizeof(swapper_pg_dir[0])")) == 8
    if (bits, pae) not in _arch:
        _arch[bits, pae] = Arch(bits, pae)
    return _arch[bits, pae]


# ---- memory ------------------------------------------------------------------

def read(addr, size):
    return bytes(gdb.selected_inferior().read_memory(addr, size))


def read_uint(addr, size):
    return int.from_bytes(read(addr, size), "little")


def val(expr):
    return gdb.parse_and_eval(expr)


def addr_of(value):
    """A pointer or address-valued gdb.Value as a Python int."""
    return int(value.cast(gdb.lookup_type("unsigned long")))


def nr_cpus():
    """NR_CPUS: every CPU has a per-CPU area, online or not."""
    return val("__per_cpu_offset").type.range()[1] + 1


def per_cpu(var, cpu):
    """CPU cpu's copy of a per-CPU variable (<pagoda/percpu.h>): the
    template's address plus __per_cpu_offset[cpu], modulo the address size
    (i386 offsets wrap around 4 GiB)."""
    mask = (1 << (8 * gdb.lookup_type("unsigned long").sizeof)) - 1
    addr = (addr_of(var.address) + addr_of(val("__per_cpu_offset")[cpu])) & mask
    return gdb.Value(addr).cast(var.type.pointer()).dereference()


def field_offset(type_name, field):
    t = gdb.lookup_type(type_name)
    for f in t.fields():
        if f.name == field:
            return f.bitpos // 8
    # anonymous union/struct members
    for f in t.fields():
        if f.name is None or f.type.strip_typedefs().code in (gdb.TYPE_CODE_UNION, gdb.TYPE_CODE_STRUCT):
            for g in f.type.strip_typedefs().fields():
                if g.name == field:
                    return (f.bitpos + g.bitpos) // 8
    raise gdb.GdbError(f"{type_name} has no field {field}")


def list_entries(head_addr, type_name, member, limit=100000):
    """Addresses of the entries of a struct list_head list (list_for_each_entry)."""
    a = arch()
    off = field_offset(type_name, member)
    out = []
    pos = read_uint(head_addr, a.bits // 8)
    while pos != head_addr:
        out.append(pos - off)
        if len(out) > limit:
            raise gdb.GdbError(f"list at {head_addr:#x} does not end (loop?)")
        pos = read_uint(pos, a.bits // 8)
    return out


def deref(type_name, addr):
    return gdb.Value(addr).cast(gdb.lookup_type(type_name).pointer()).dereference()


def cstring(addr, limit=256):
    data = read(addr, limit)
    return data.split(b"\0", 1)[0].decode("latin-1")


def ptr(x):
    """%p: the full width of a pointer, no 0x."""
    return f"{x & arch().mask:0{arch().ptr_digits}x}"


# ---- symbols: the kernel's own table (scripts/kallsyms.py), as %pS prints --

_kallsyms = {}


def kallsyms():
    key = gdb.current_progspace().filename
    if key not in _kallsyms:
        num_addr = addr_of(val("&kallsyms_num"))
        n = read_uint(num_addr, 8)
        addrs_raw = read(addr_of(val("&kallsyms_addrs")), 8 * n)
        sizes_raw = read(addr_of(val("&kallsyms_sizes")), 8 * n)
        offs_raw = read(addr_of(val("&kallsyms_name_offs")), 4 * n)
        names_base = addr_of(val("&kallsyms_names"))
        offs = [int.from_bytes(offs_raw[4 * i:4 * i + 4], "little") for i in range(n)]
        names_len = (offs[-1] + 128) if n else 1
        names = read(names_base, names_len)
        syms = []
        for i in range(n):
            end = names.index(b"\0", offs[i])
            syms.append((int.from_bytes(addrs_raw[8 * i:8 * i + 8], "little"),
                         int.from_bytes(sizes_raw[8 * i:8 * i + 8], "little"),
                         names[offs[i]:end].decode()))
        _kallsyms[key] = syms
    return _kallsyms[key]


def symbol(addr):
    """'name+0xoff/0xsize' like %pS, or '0x<addr>'."""
    import bisect
    syms = kallsyms()
    i = bisect.bisect_right([s[0] for s in syms], addr) - 1
    if i >= 0 and addr - syms[i][0] < syms[i][1]:
        return f"{syms[i][2]}+{addr - syms[i][0]:#x}/{syms[i][1]:#x}"
    return f"{addr:#x}"


# ---- pt ------------------------------------------------------------------------

def decode_pte_flags(entry, a=None):
    a = a or arch()
    names = [n for bit, n in PTE_FLAG_NAMES if entry & bit]
    if a.nx and entry & a.nx:
        names.append("NX")
    return " ".join(names)


def current_cr3():
    """CR3 from QEMU's stub; if this gdb/QEMU pair has no $cr3, the kernel's
    swapper_pg_dir (what every kernel thread runs on)."""
    try:
        return int(val("$cr3")), "CR3"
    except gdb.error:
        return arch().pa(addr_of(val("&swapper_pg_dir"))), "swapper_pg_dir"


def pt_walk(va, cr3=None):
    """The walk of mm/pgtable.c's pt_walk: a dict with levels, index[],
    entry[], present, phys, page_size."""
    a = arch()
    if cr3 is None:
        cr3 = current_cr3()[0]
    table = cr3 & a.addr_mask
    w = {"levels": 0, "index": [], "entry": [], "table": [], "present": False,
         "phys": None, "page_size": 0, "cr3": cr3}
    for level in range(a.levels):
        shift = a.level_shift(level)
        idx = (va >> shift) & ((1 << a.index_bits) - 1)
        entry = read_uint(a.va(table) + idx * a.pte_size, a.pte_size)
        w["levels"] += 1
        w["index"].append(idx)
        w["entry"].append(entry)
        w["table"].append(table)
        if not entry & _P:
            return w
        if level == a.levels - 1 or entry & _PS:     # the kernel's rule (mm/pgtable.c)
            size = 1 << shift
            w["present"] = True
            w["page_size"] = size
            w["phys"] = (entry & a.addr_mask & ~(size - 1)) + (va & (size - 1))
            return w
        table = entry & a.addr_mask
    return w


def hexc(x):
    """C's %#x: 0 is printed "0", without the 0x."""
    return f"{x:#x}" if x else "0"


def walk_lines(va, cr3):
    """The walk's lines of the kernel's `pt` (show_walk, kernel/observe/pt.c):
    each level's entry, then the physical address or why there is none."""
    a = arch()
    w = pt_walk(va, cr3)
    lines = []
    for l in range(w["levels"]):
        e = w["entry"][l]
        head = (f"  {a.level_names[l]:<4s}[{w['index'][l]:4d}] = {e:0{a.pte_size * 2}x}  "
                f"{decode_pte_flags(e, a):<20s}")
        if not e & _P:
            lines.append(head + " not present: the walk stops here")
        elif w["present"] and l == w["levels"] - 1:
            size = w["page_size"]
            lines.append(head + f" {size >> 10} KiB page at {hexc(e & a.addr_mask & ~(size - 1))}")
        else:
            lines.append(head + f" next table at {hexc(e & a.addr_mask)}")
    if w["present"]:
        lines.append(f"  => physical address {hexc(w['phys'])}")
    else:
        lines.append("  => not mapped: an access would page-fault")
    return lines


def format_pt(va, cr3=None):
    """The lines the kernel's `pt <vaddr>` prints (kernel/observe/pt.c)."""
    cr3_val, src = current_cr3() if cr3 is None else (cr3, "CR3")
    lines = [f"pt {ptr(va)} ({src} {cr3_val:#x})"] + walk_lines(va, cr3_val)
    area = vm_area_of(va)
    if area:
        in_guard = not (area["addr"] <= va < area["addr"] + area["size"])
        lines.append(f"  {'guard page of the' if in_guard else 'in the'} {area['kind']} area "
                     f"{ptr(area['addr'])}-{ptr(area['addr'] + area['size'])} ({area['size'] >> 10} KiB) "
                     f"allocated by {symbol(area['caller'])}")
    return lines


# ---- buddy ------------------------------------------------------------------------

def nr_page_orders():
    return gdb.lookup_type("struct zone")["free_area"].type.range()[1] + 1


def zones():
    """Each zone: name, start_pfn, spanned, present, managed, free_pages,
    nr_free per order, and the blocks (pfns) on each free list."""
    a = arch()
    out = []
    z = val("zones")
    nz = z.type.range()[1] + 1
    mem_map = addr_of(val("mem_map"))
    page_size = gdb.lookup_type("struct page").sizeof
    for i in range(nz):
        zone = z[i]
        info = {"index": i, "name": cstring(addr_of(zone["name"])) if addr_of(zone["name"]) else ZONE_NAMES[i],
                "start_pfn": int(zone["zone_start_pfn"]), "spanned": int(zone["spanned_pages"]),
                "present": int(zone["present_pages"]), "managed": int(zone["managed_pages"]),
                "free_pages": int(zone["free_pages"]), "nr_free": [], "blocks": [], "pcp": 0}
        for o in range(nr_page_orders()):
            fa = zone["free_area"][o]
            info["nr_free"].append(int(fa["nr_free"]))
            head = addr_of(fa["free_list"].address)
            pages = list_entries(head, "struct page", "lru") if info["spanned"] else []
            info["blocks"].append([(p - mem_map) // page_size for p in pages])
        pcp = zone["per_cpu_pageset"].dereference()
        info["pcp_cpu"] = [int(per_cpu(pcp, cpu)["count"]) if addr_of(pcp.address) else 0
                           for cpu in range(nr_cpus())]
        info["pcp"] = sum(info["pcp_cpu"])
        out.append(info)
    return out


def format_buddy():
    """buddyinfo's table (mm/page_alloc_debug.c show_buddyinfo), from the lists
    themselves: a count that disagrees with nr_free is flagged."""
    lines = [f"buddyinfo: free blocks per order (order n = 2^n pages = {PAGE_SIZE >> 10} KiB << n)"]
    orders = nr_page_orders()
    lines.append(f"{'order':<18s}" + "".join(f" {o:6d}" for o in range(orders)))
    notes = []
    for z in zones():
        if not z["spanned"]:
            continue
        lines.append(f"Node 0, zone {z['name']:<7s}" + "".join(f" {n:6d}" for n in z["nr_free"]))
        for o in range(orders):
            if len(z["blocks"][o]) != z["nr_free"][o]:
                notes.append(f"  zone {z['name']} order {o}: nr_free {z['nr_free'][o]} but "
                             f"{len(z['blocks'][o])} blocks on the list")
        pages = sum(len(b) << o for o, b in enumerate(z["blocks"]))
        if pages != z["free_pages"]:
            notes.append(f"  zone {z['name']}: free_pages {z['free_pages']} but the lists hold {pages}")
    for z in zones():
        if z["spanned"]:
            lines.append(f"pcp per CPU, zone {z['name']:<7s}" +
                         "".join(f" cpu{c} {z['pcp_cpu'][c]}" for c in online_cpus()))
    return lines, notes


def online_cpus():
    """Logical ids of the online CPUs (cpu_online_mask; 0 alone before SMP)."""
    try:
        mask = int(val("cpu_online_mask"))
    except gdb.error:
        mask = 1
    return [c for c in range(64) if mask >> c & 1]


# ---- page ------------------------------------------------------------------------

def page_struct_addr(pfn):
    return addr_of(val("mem_map")) + pfn * gdb.lookup_type("struct page").sizeof


def parse_page_arg(arg):
    """A pfn (decimal), a physical or virtual address (0x...), a struct page
    pointer (in mem_map), or any gdb expression giving one of those."""
    a = arch()
    mem_map = addr_of(val("mem_map"))
    max_pfn = int(val("max_pfn"))
    psize = gdb.lookup_type("struct page").sizeof
    arg = arg.strip()
    if arg.isdigit():
        return int(arg)
    v = val(arg)
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_PTR and \
            str(v.type.strip_typedefs().target().strip_typedefs()) == "struct page":
        return (addr_of(v) - mem_map) // psize
    x = addr_of(v)
    if mem_map <= x < mem_map + max_pfn * psize:
        return (x - mem_map) // psize
    if a.in_direct_map(x) or (a.bits == 64 and x >= a.kernel_virt_base and a.pa(x) < max_pfn << PAGE_SHIFT
                              and x < 0xffffffffc0000000):
        return a.pa(x) >> PAGE_SHIFT
    if x >= a.page_offset:          # vmalloc, ioremap, kmap, fixmap: ask the page tables
        w = pt_walk(x)
        if not w["present"]:
            raise gdb.GdbError(f"{x:#x} is not mapped: no page behind it")
        return w["phys"] >> PAGE_SHIFT
    return x >> PAGE_SHIFT          # a physical address


def page_info(pfn):
    a = arch()
    addr = page_struct_addr(pfn)
    p = deref("struct page", addr)
    flags = int(p["flags"]) & a.mask
    zonenum = (flags >> (a.bits - 2)) & 3
    nflags = len(PAGEFLAG_NAMES)
    info = {"pfn": pfn, "addr": addr, "phys": pfn << PAGE_SHIFT, "flags": flags,
            "flag_names": [PAGEFLAG_NAMES[i] for i in range(nflags) if flags & (1 << i)],
            "zone": ZONE_NAMES[zonenum], "refcount": int(p["_refcount"]),
            "order": int(p["private"]) & 0xffffffff, "slab_cache": None, "large_kmalloc": False}
    if flags & (1 << 3):        # PG_slab
        cache = addr_of(p["slab_cache"])
        info["slab_cache"] = cstring(cache + field_offset("struct kmem_cache", "name"), 32)
    else:
        try:
            if addr_of(p["slab_cache"]) == addr_of(val("&kmalloc_large_tag")):
                info["large_kmalloc"] = True
        except gdb.error:
            pass
    return info


def page_state(info):
    """The kernel's `page` 'state:' summary, as far as memory alone tells."""
    f = info["flag_names"]
    if "reserved" in f:
        return "reserved"
    if "buddy" in f:
        return (f"free: heads a free order-{info['order']} block ({1 << info['order']} pages) "
                f"in zone {info['zone']}")
    if "pcp" in f:
        return f"free: on a per-CPU list of zone {info['zone']}"
    if info["refcount"]:
        return f"allocated: heads an order-{info['order']} block, refcount {info['refcount']}"
    pfn = info["pfn"]
    for o in range(1, nr_page_orders()):
        head = pfn & ~((1 << o) - 1)
        h = deref("struct page", page_struct_addr(head))
        if int(h["flags"]) & 2 and int(h["private"]) >= o:
            return f"free: page {pfn - head} of the free order-{int(h['private'])} block at pfn {head:#x}"
    return "allocated: inside a block allocated with a higher order"


def format_page(pfn):
    a = arch()
    max_pfn = int(val("max_pfn"))
    if pfn >= max_pfn:
        return [f"pfn {pfn:#x} is beyond max_pfn {max_pfn:#x}: no struct page"]
    i = page_info(pfn)
    names = "|".join(i["flag_names"]) or "none"
    lines = [f"page: struct page {ptr(i['addr'])} pfn {pfn:#x} phys {i['phys']:#x} zone {i['zone']} "
             f"refcount {i['refcount']} private(order) {i['order']}",
             f"page: flags {i['flags']:#x}({names}){' slab page' if 'slab' in i['flag_names'] else ''}"]
    if i["slab_cache"] is not None:
        lines.append(f"page: slab cache {i['slab_cache']}")
    elif i["large_kmalloc"]:
        lines.append("page: large kmalloc block")
    if "highmem" not in i["flag_names"]:
        lines.append(f"page: direct-map address {ptr(a.va(i['phys']))}")
    else:
        lines.append("page: highmem: no permanent kernel mapping (kmap it)")
    if "user" in i["flag_names"]:
        mapcount = int(deref("struct page", i["addr"])["_mapcount"])
        lines.append(f"page: user memory: mapped by {mapcount} PTEs (_mapcount)")
    lines.append("state: " + page_state(i))
    return lines


# ---- slab ------------------------------------------------------------------------

def slab_caches():
    out = []
    head = addr_of(val("&slab_caches"))
    for c in list_entries(head, "struct kmem_cache", "list"):
        s = deref("struct kmem_cache", c)
        stacks = s["cpu_cache"].dereference()
        avail = [int(per_cpu(stacks, i)["avail"]) for i in range(nr_cpus())]
        cpu = sum(avail)
        out.append({"addr": c, "name": cstring(c + field_offset("struct kmem_cache", "name"), 32),
                    "object_size": int(s["object_size"]), "size": int(s["size"]),
                    "objects": int(s["objects"]), "order": int(s["order"]), "flags": int(s["flags"]),
                    "nr_slabs": int(s["nr_slabs"]), "inuse": int(s["inuse"]), "cpu": cpu, "per_cpu": avail,
                    "is_static": bool(s["is_static"])})
    return out


def format_slab():
    lines = ["slabinfo: %-18s %7s %6s %9s %5s %8s %8s %6s %6s %4s" % (
        "name", "objsize", "stride", "objs/slab", "order", "active", "total", "slabs", "pages", "cpu")]
    pages = hidden = 0
    for s in slab_caches():
        if s["flags"] & 0x20 and s["is_static"] and not s["nr_slabs"]:
            hidden += 1
            continue
        lines.append("slabinfo: %-18s %7u %6u %9u %5u %8u %8u %6u %6u %4u" % (
            s["name"], s["object_size"], s["size"], s["objects"], s["order"], s["inuse"] - s["cpu"],
            s["nr_slabs"] * s["objects"], s["nr_slabs"], s["nr_slabs"] << s["order"], s["cpu"]))
        pages += s["nr_slabs"] << s["order"]
    debug = "slab_debug on" if bool(val("slab_debug")) else "slab_debug off"
    lines.append(f"slabinfo: {pages} pages ({pages * (PAGE_SIZE // 1024)} KiB) in slabs; "
                 f"{hidden} empty dma-kmalloc caches not shown; {debug}")
    caches = slab_caches()
    lines.append("slabinfo: free objects in per-CPU stacks:" +
                 "".join(f" cpu{c} {sum(s['per_cpu'][c] for s in caches)}" for c in online_cpus()))
    return lines


# ---- vmalloc ------------------------------------------------------------------------

def vm_areas():
    out = []
    head = addr_of(val("&vmap_areas"))
    for a_addr in list_entries(head, "struct vm_struct", "list"):
        v = deref("struct vm_struct", a_addr)
        flags = int(v["flags"])
        kind = "ioremap" if flags & 4 else "vmap" if flags & 2 else "vmalloc"
        out.append({"struct": a_addr, "addr": addr_of(v["addr"]), "size": int(v["size"]), "flags": flags,
                    "kind": kind, "nr_pages": int(v["nr_pages"]), "phys_addr": int(v["phys_addr"]),
                    "caller": addr_of(v["caller"]), "pages": addr_of(v["pages"])})
    return out


def vm_area_of(va):
    """The area whose mapped range or guard page holds va (vm_area_lookup_fault)."""
    a = arch()
    if not a.vmalloc[0] <= va < a.vmalloc[1]:
        return None
    try:
        for area in vm_areas():
            if area["addr"] <= va < area["addr"] + area["size"] + PAGE_SIZE:
                return area
    except gdb.error:
        return None
    return None


def format_vmalloc():
    a = arch()
    lines = []
    total = 0
    areas = vm_areas()
    for v in areas:
        line = "%s-%s %9d %s" % (ptr(v["addr"]), ptr(v["addr"] + v["size"] + PAGE_SIZE),
                                 v["size"] + PAGE_SIZE, symbol(v["caller"]))
        if v["nr_pages"]:
            line += f" pages={v['nr_pages']}"
        if v["flags"] & 4:
            line += f" phys={v['phys_addr']:#x}"
        lines.append(line + " " + v["kind"])
        total += v["size"]
    lines.append(f"{int(val('nr_areas'))} areas, {total >> 10} KiB mapped in "
                 f"{ptr(a.vmalloc[0])}-{ptr(a.vmalloc[1])}")
    # The lazy purge's state, as vmalloc_lazy_stats() reads it
    # (mm/vmap_area.c; lazy_max_pages: an eighth of the region, at most 32 MiB).
    if int(val("vmalloc_debug")):
        lines.append("freed areas shot down at once (vmalloc_debug)")
    else:
        kib = PAGE_SIZE >> 10
        max_pages = min((a.vmalloc[1] - a.vmalloc[0]) // PAGE_SIZE >> 3, (32 << 20) // PAGE_SIZE)
        lines.append(f"lazy: {int(val('lazy_pages')) * kib} KiB freed ({int(val('lazy_entries'))} runs of "
                     f"neighbours) wait for the TLB purge at {max_pages * kib} KiB; "
                     f"{int(val('nr_purges'))} purges so far")
    return lines


# ---- bio ------------------------------------------------------------------------

REQ_OPS = ["read", "write", "flush"]


def bio_info(addr):
    mem_map = addr_of(val("mem_map"))
    psize = gdb.lookup_type("struct page").sizeof
    b = deref("struct bio", addr)
    it = b["bi_iter"]
    segs = []
    vecs = addr_of(b["bi_io_vec"])
    vsize = gdb.lookup_type("struct bio_vec").sizeof
    for i in range(int(b["bi_vcnt"])):
        bv = deref("struct bio_vec", vecs + i * vsize)
        page = addr_of(bv["bv_page"])
        pfn = (page - mem_map) // psize
        off = int(bv["bv_offset"])
        segs.append({"page": page, "pfn": pfn, "offset": off, "len": int(bv["bv_len"]),
                     "phys": (pfn << PAGE_SHIFT) + off})
    disk = addr_of(b["bi_disk"])
    name = ""
    if disk:
        try:
            name = cstring(addr_of(deref("struct gendisk", disk)["disk_name"].address), 32)
        except gdb.error:
            name = ""
    op = int(b["bi_op"])
    return {"addr": addr, "disk": name, "op": REQ_OPS[op] if op < len(REQ_OPS) else str(op),
            "sector": int(it["bi_sector"]), "size": int(it["bi_size"]), "idx": int(it["bi_idx"]),
            "bvec_done": int(it["bi_bvec_done"]), "vcnt": int(b["bi_vcnt"]),
            "max_vecs": int(b["bi_max_vecs"]), "status": int(b["bi_status"]),
            "parent": addr_of(b["bi_parent"]), "remaining": int(b["bi_remaining"]), "segments": segs}


def format_bio(addr):
    i = bio_info(addr)
    lines = [f"bio {ptr(addr)}: {i['op']} {i['disk'] or '?'} sector {i['sector']} size {i['size']} "
             f"({i['size'] >> 9} sectors), {i['vcnt']}/{i['max_vecs']} segments, status {i['status']}"
             + (f", split from bio {ptr(i['parent'])}" if i["parent"] else "")]
    if i["idx"] or i["bvec_done"]:
        lines.append(f"  iterator at segment {i['idx']} + {i['bvec_done']} bytes")
    lines.append(f"  {'#':>3s}  {'struct page':<{arch().ptr_digits}s} {'pfn':>10s} {'offset':>6s} "
                 f"{'len':>6s}  phys")
    for n, s in enumerate(i["segments"]):
        lines.append(f"  {n:3d}  {ptr(s['page'])} {s['pfn']:#10x} {s['offset']:6d} {s['len']:6d}  "
                     f"{s['phys']:#x}-{s['phys'] + s['len']:#x}")
    total = sum(s["len"] for s in i["segments"])
    lines.append(f"  {total} bytes in {len(i['segments'])} segments")
    return lines


# ---- kmaps -------------------------------------------------------------------------

def kmaps():
    """The live temporary mappings (mm/highmem.c, mm/highmem_32.c): the
    per-CPU kmap_local/kmap_atomic stacks and, on i386, the pkmap pool.
    None when the kernel has no kmap support (no kmap_ctrl symbol)."""
    a = arch()
    try:
        ctrl = val("kmap_ctrl")
    except gdb.error:
        return None
    mem_map = addr_of(val("mem_map"))
    psize = gdb.lookup_type("struct page").sizeof
    local = []
    for cpu in range(nr_cpus()):
        kc = per_cpu(ctrl, cpu)
        depth = int(kc["idx"])
        km_max = kc["stack"].type.range()[1] + 1
        for i in range(min(depth, km_max)):
            slot = kc["stack"][i]
            local.append({"cpu": cpu, "depth": i, "slot": cpu * km_max + i, "vaddr": addr_of(slot["vaddr"]),
                          "pfn": (addr_of(slot["page"]) - mem_map) // psize, "atomic": bool(slot["atomic"]),
                          "high": bool(slot["high"])})
    pkmap = None
    try:
        count = val("pkmap_count")
        pages = val("pkmap_page")
        n = count.type.range()[1] + 1
        entries = []
        raw = read(addr_of(count.address), 4 * n)
        counts = [int.from_bytes(raw[4 * i:4 * i + 4], "little", signed=True) for i in range(n)]
        for i, c in enumerate(counts):
            if c:
                entries.append({"entry": i, "count": c,
                                "pfn": (addr_of(pages[i]) - mem_map) // psize})
        pkmap = {"size": n, "entries": entries, "flushes": int(val("pkmap_flushes"))}
    except gdb.error:
        pkmap = None
    return {"local": local, "pkmap": pkmap}


def format_kmaps():
    """Like the kernel's `kmaps` (kernel/observe/kmap.c)."""
    a = arch()
    k = kmaps()
    if k is None:
        if a.bits == 64:
            return ["kmaps: this kernel has no kmap support; x86_64 has no highmem anyway: "
                    "every page is in the direct map"]
        return ["kmaps: this kernel has no kmap support (no kmap_ctrl): no highmem mappings"]
    lines = []
    for s in k["local"]:
        kind = "atomic" if s["atomic"] else "local"
        if s["high"]:
            lines.append(f"kmaps: local  cpu {s['cpu']} depth {s['depth']:2d}  slot {s['slot']:3d}  "
                         f"{ptr(s['vaddr'])}  pfn {s['pfn']:#x}  {kind}")
        else:
            lines.append(f"kmaps: local  cpu {s['cpu']} depth {s['depth']:2d}  (lowmem) {ptr(s['vaddr'])}  "
                         f"pfn {s['pfn']:#x}  {kind}")
    if not k["local"]:
        lines.append("kmaps: no kmap_local/kmap_atomic mapping held")
    p = k["pkmap"]
    if p is None:
        lines.append("kmaps: no pkmap pool on x86_64: every page is in the direct map")
    else:
        held = lazy = 0
        for e in p["entries"]:
            if e["count"] == 1:
                lazy += 1
                continue
            held += 1
            lines.append(f"kmaps: pkmap  entry {e['entry']:4d}  {ptr(a.pkmap_base + (e['entry'] << PAGE_SHIFT))}  "
                         f"pfn {e['pfn']:#x}  refcount {e['count'] - 1}")
        lines.append(f"kmaps: pkmap {ptr(a.pkmap_base)}-{ptr(a.pkmap_base + p['size'] * PAGE_SIZE)}: "
                     f"{held} of {p['size']} entries held, {lazy} unused awaiting the lazy flush, "
                     f"{p['flushes']} flushes")
    return lines
