# The symbol table of an ELF file on the host, read without gdb: the entry
# unwinder needs the kernel's assembly labels while gdb is unwinding (asking
# gdb then could start another unwind), and `pagoda break` needs a user
# program's function address without loading that program's symbols.

import os
import struct

_cache = {}


def elf_symbols(path):
    """name -> (value, size) of every named symbol in path's .symtab."""
    key = (path, os.stat(path).st_mtime_ns)     # a rebuilt program is read again
    if key in _cache:
        return _cache[key]
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        raise ValueError(f"{path}: not an ELF file")
    is64 = data[4] == 2
    if is64:
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
    else:
        shoff, = struct.unpack_from("<I", data, 0x20)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x2e)
    sections = []
    for i in range(shnum):
        o = shoff + i * shentsize
        if is64:
            _, stype, _, _, off, size, link, _, _, entsize = struct.unpack_from("<IIQQQQIIQQ", data, o)
        else:
            _, stype, _, _, off, size, link, _, _, entsize = struct.unpack_from("<IIIIIIIIII", data, o)
        sections.append((stype, off, size, link, entsize))
    out = {}
    for stype, off, size, link, entsize in sections:
        if stype != 2:                  # SHT_SYMTAB
            continue
        stroff = sections[link][1]
        for o in range(off, off + size, entsize):
            if is64:
                name, _, _, _, value, ssize = struct.unpack_from("<IBBHQQ", data, o)
            else:
                name, value, ssize, _, _, _ = struct.unpack_from("<IIIBBH", data, o)
            if name:
                end = data.index(b"\0", stroff + name)
                out.setdefault(data[stroff + name:end].decode(), (value, ssize))
    _cache[key] = out
    return out
