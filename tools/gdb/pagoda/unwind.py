# A gdb frame unwinder for the kernel's entry code (kernel/x86/entry_*.S),
# so that `bt` goes on through a trap, an interrupt or a system call into
# the code it interrupted: from a system call handler, the kernel frames,
# then the user program's (with its symbols loaded, see userprog.py).
#
# The entry code has no call-frame information, but it saved every register
# of the interrupted code as a struct pt_regs, and where that frame is
# follows from the stack pointer at its calls (of do_trap, do_syscall_64,
# exit_to_user_mode, schedule_tail):
#   x86_64: `movq %rsp, %rdi; call ...`: the regs are at the frame's sp;
#   i386:   `pushl %esp; call ...`: the word at sp points to them;
#           ret_from_fork's `pushl %eax; call schedule_tail`: they start
#           one word above sp.
# The interrupted frame's registers are then the saved ones. From user mode
# (CS's RPL 3) that is the user program's frame; from kernel mode (an
# interrupt in the kernel) the kernel's, and on i386 its sp is where the
# missing sp/ss words would be (a ring-0 trap pushes neither).
#
# Two more places, for `stepi` into the kernel: the first instruction of
# entry_SYSCALL_64 (every user register still live; the user ip in rcx) and
# of a trap stub (the CPU's frame at sp: ip, cs, flags, then sp and ss).

import os
import struct
import traceback

import gdb
from gdb.unwinder import Unwinder, register_unwinder

from .elfsyms import elf_symbols

CALLEES = ("do_trap", "do_syscall_64", "exit_to_user_mode", "schedule_tail")
REGS64 = {"rax": "ax", "rbx": "bx", "rcx": "cx", "rdx": "dx", "rsi": "si", "rdi": "di", "rbp": "bp",
          "r8": "r8", "r9": "r9", "r10": "r10", "r11": "r11", "r12": "r12", "r13": "r13", "r14": "r14",
          "r15": "r15", "rip": "ip", "cs": "cs", "ss": "ss"}
REGS32 = {"eax": "ax", "ebx": "bx", "ecx": "cx", "edx": "dx", "esi": "si", "edi": "di", "ebp": "bp",
          "eip": "ip", "cs": "cs", "ds": "ds", "es": "es", "fs": "fs", "gs": "gs"}
# Vectors whose stub finds an error code already pushed (asm/trapnr.h).
ERROR_CODE_VECTORS = (8, 10, 11, 12, 13, 14, 17, 21, 29, 30)
SYSCALL_VECTOR = 0x80       # asm/desc.h


class FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


def _mem(addr, size):
    return bytes(gdb.selected_inferior().read_memory(addr, size))


def _user_frame_pointer(usp):
    """i386: the user library's syscall6 (user/lib/arch/syscall_32.h) passes
    the sixth argument in ebp, having pushed the frame pointer just before
    int $0x80: the caller's ebp is the word at the user sp, and the
    program's call-frame information (CFA = ebp + 8) needs that one. (Back
    in user mode, gdb sees the argument in ebp until syscall6's popl.)"""
    return struct.unpack("<I", _mem(usp, 4))[0]


class EntryUnwinder(Unwinder):
    """Unwinds the entry code's frames through what it saved."""

    def __init__(self):
        super().__init__("pagoda-entry")
        self.key = None
        self.syms = {}

    def _setup(self):
        """kernel.elf's symbols (read from the file, not asked of gdb: that
        while it unwinds could start another unwind) and struct pt_regs."""
        kernel = gdb.current_progspace().filename
        if self.key == kernel:
            return bool(self.syms)
        self.key = kernel
        self.syms = {}
        syms = elf_symbols(kernel)
        if not all(n in syms for n in ("do_trap", "trap_stubs", "ret_from_fork")):
            return False
        self.syms = syms
        self.callees = {syms[n][0] for n in CALLEES if n in syms}     # no do_syscall_64 on i386
        self.fields = {f.name: f.bitpos // 8 for f in gdb.lookup_type("struct pt_regs").fields()}
        self.word = gdb.lookup_type("unsigned long").sizeof
        return True

    def _after_entry_call(self, pc):
        """Is pc a return address in the entry code (trap_stubs up to the
        end of ret_from_fork, the file's last function): just after a
        `call rel32` (e8) of one of CALLEES? (C code calls some of them too.)"""
        rff, size = self.syms["ret_from_fork"]
        if not self.syms["trap_stubs"][0] < pc <= rff + (size or 32):
            return False
        code = _mem(pc - 5, 5)
        if code[0] != 0xE8:
            return False
        target = (pc + struct.unpack("<i", code[1:])[0]) & ((1 << (8 * self.word)) - 1)
        return target in self.callees

    def regs_of(self, pc, sp):
        """The struct pt_regs of an entry frame stopped after one of its calls, or None."""
        if not self._after_entry_call(pc):
            return None
        if self.word == 8:
            return sp
        rff = self.syms["ret_from_fork"][0]
        if rff <= pc < rff + 16:
            return sp + 4
        return struct.unpack("<I", _mem(sp, 4))[0]

    def __call__(self, pending_frame):
        try:
            if not self._setup():
                return None
            w = self.word
            names = REGS64 if w == 8 else REGS32
            pcreg, spreg, bpreg = ("rip", "rsp", "rbp") if w == 8 else ("eip", "esp", "ebp")
            pc_val, sp_val = pending_frame.read_register(pcreg), pending_frame.read_register(spreg)
            pc, sp = int(pc_val), int(sp_val)
            regs = self.regs_of(pc, sp)
            if regs is not None:
                mem = _mem(regs, max(self.fields.values()) + w)

                def field(name):
                    off = self.fields[name]
                    return int.from_bytes(mem[off:off + w], "little")

                user = field("cs") & 3 == 3
                saved = {reg: field(name) for reg, name in names.items()
                         if not (w == 4 and not user and reg == "ss")}
                saved[spreg] = field("sp") if (w == 8 or user) else regs + self.fields["sp"]
                if w == 4 and user and field("vector") == SYSCALL_VECTOR:
                    saved[bpreg] = _user_frame_pointer(field("sp"))
            elif w == 8 and pc == self.syms.get("entry_SYSCALL_64", (None,))[0]:
                saved = {reg: int(pending_frame.read_register(reg)) for reg in names}
                saved[pcreg] = saved["rcx"]                 # where syscall came from
                saved[spreg] = sp
            else:
                stubs = self.syms["trap_stubs"][0]
                if not (stubs <= pc < stubs + 256 * 16 and (pc - stubs) % 16 == 0):
                    return None
                vec = (pc - stubs) // 16
                frame = sp + (w if vec in ERROR_CODE_VECTORS else 0)
                ip, cs, _flags, usp, _ss = struct.unpack("<5Q" if w == 8 else "<5I", _mem(frame, 5 * w))
                saved = {reg: int(pending_frame.read_register(reg)) for reg in names}
                saved[pcreg], saved["cs"] = ip, cs
                saved[spreg] = usp if (w == 8 or cs & 3 == 3) else frame + 3 * w
                if w == 4 and cs & 3 == 3 and vec == SYSCALL_VECTOR:
                    saved[bpreg] = _user_frame_pointer(usp)
            info = pending_frame.create_unwind_info(FrameId(sp_val, pc_val))   # gdb 13 wants gdb.Values
            for reg, value in saved.items():
                info.add_saved_register(reg, gdb.Value(value).cast(pending_frame.read_register(reg).type))
            return info
        except Exception:               # noqa: BLE001 (an unwinder must never break bt)
            if os.environ.get("PAGODA_GDB_DEBUG"):
                traceback.print_exc()
            return None


register_unwinder(None, EntryUnwinder(), replace=True)
