# The kernel's mount table (kernel/fs/mount.c) read from memory: `pagoda
# mounts`, in the monitor's `mounts` format (kernel/fs/mount.c show_mounts)
# but for the last column, which names the endpoint object (its address and
# whether the kernel serves it) instead of asking it for its state.

import gdb

from .kernel import addr_of, cstring, val


def _static(name):
    sym = gdb.lookup_static_symbol(name) if hasattr(gdb, "lookup_static_symbol") else None
    return sym.value() if sym else val(name)


def mounts():
    """[{id, flags, path, source, fstype, obj, kernel}] in mount_list's order."""
    table = _static("mounts")
    out = []
    for i in range(int(_static("nr_mounts"))):
        m = table[i]
        info = m["info"]
        obj = addr_of(m["obj"])
        ep = m["obj"].cast(gdb.lookup_type("struct endpoint").pointer()).dereference()
        out.append({
            "id": int(info["id"]), "flags": int(info["flags"]),
            "path": cstring(addr_of(info["path"].address)),
            "source": cstring(addr_of(info["source"].address)),
            "fstype": cstring(addr_of(info["fstype"].address)),
            "obj": obj, "kernel": addr_of(ep["kserver"]) != 0,
        })
    return out


def format_mounts():
    lines = ["  id  path                 source           fstype           flags  endpoint"]
    ms = mounts()
    for m in ms:
        lines.append("  %2u  %-20s %-16s %-16s %-5s  %s" % (
            m["id"], m["path"], m["source"], m["fstype"], "ro" if m["flags"] & 1 else "rw",
            f"{m['obj']:#x}" + (", served by the kernel" if m["kernel"] else "")))
    size = _static("mounts").type.range()[1] + 1     # MOUNT_MAX
    lines.append(f"  {len(ms)} of {size} mounts; the next id is {int(_static('last_id')) + 1}")
    return lines
