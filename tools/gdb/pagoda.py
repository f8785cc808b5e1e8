# `source tools/gdb/pagoda.py` (tools/gdb/pagoda.gdb does, so `make debug`
# has it): load the kernel-aware `pagoda` gdb commands, which live in the
# package tools/gdb/pagoda/ (kernel.py: reading the kernel's structures;
# commands.py: the commands). Sourcing again reloads them after an edit.
# Scripts use the same code with `import pagoda` (see tests/gdb/).
import importlib
import os
import sys

_dir = os.path.dirname(os.path.abspath(__file__))
if _dir not in sys.path:
    sys.path.insert(0, _dir)
if "pagoda" in sys.modules:
    for _m in ("kernel", "elfsyms", "process", "userprog", "unwind", "commands"):
        importlib.reload(sys.modules["pagoda." + _m])
    importlib.reload(sys.modules["pagoda"])
else:
    importlib.import_module("pagoda")
