# A gdb frame unwinder for the kernel's entry code (kernel/x86/entry_*.S),
# so that `bt` goes on through a trap, an interrupt or a system call into
# the code it interrupted: from a system call handler, the kernel frames,
# then the user program's (with its symbols loaded, see userprog.py).
#
# The entry code has no call-frame information, but it saved every register
# of the interrupted code as a struct pt_regs, and where that frame is
# follows from the stack pointer at its calls:
#   x86_64: `movq %rsp, %rdi; call do_trap` (or do_syscall_64,
#           exit_to_user_mode, schedule_tail): the regs are at the caller
#           frame's sp;
#   i386:   `pushl %esp; call do_trap` (ret_to_user the same): the word at
#           sp points to them; ret_from_fork's `pushl %eax; call
#           schedule_tail`: they start one word above sp.
# The interrupted frame's registers are then the saved ones. From user mode
# (CS's RPL 3) that is the user program's frame; from kernel mode (an
# interrupt in the kernel) the kernel's, and on i386 its sp is where the
# missing sp/ss words would be (a ring-0 trap pushes neither).

import os
import traceback

import gdb
from gdb.unwinder import Unwinder, register_unwinder

from .elfsyms import elf_symbols

LABELS = ("trap_common", "restore_regs_and_iret", "entry_SYSCALL_64", "ret_to_user", "ret_from_fork")
REGS64 = {"rax": "ax", "rbx": "bx", "rcx": "cx", "rdx": "dx", "rsi": "si", "rdi": "di", "rbp": "bp",
          "r8": "r8", "r9": "r9", "r10": "r10", "r11": "r11", "r12": "r12", "r13": "r13", "r14": "r14",
          "r15": "r15", "rip": "ip", "cs": "cs", "ss": "ss"}
REGS32 = {"eax": "ax", "ebx": "bx", "ecx": "cx", "edx": "dx", "esi": "si", "edi": "di", "ebp": "bp",
          "eip": "ip", "cs": "cs", "ds": "ds", "es": "es", "fs": "fs", "gs": "gs"}


class FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


class EntryUnwinder(Unwinder):
    """Unwinds the entry code's frame through its saved struct pt_regs."""

    def __init__(self):
        super().__init__("pagoda-entry")
        self.key = None
        self.labels = {}
        self.fields = {}

    def _setup(self):
        """The labels (from kernel.elf's symbol table, not gdb's: asking gdb
        while it unwinds can start another unwind) and struct pt_regs."""
        kernel = gdb.current_progspace().filename
        if self.key == kernel:
            return bool(self.labels)
        self.key = kernel
        self.labels = {}
        syms = elf_symbols(kernel)
        if not all(n in syms for n in ("trap_common", "ret_from_fork")):
            return False
        self.labels = {n: syms[n][0] for n in LABELS if n in syms}
        t = gdb.lookup_type("struct pt_regs")
        self.fields = {f.name: f.bitpos // 8 for f in t.fields()}
        self.word = gdb.lookup_type("unsigned long").sizeof
        return True

    def regs_of(self, pc, sp):
        """The struct pt_regs of an entry frame, or None if pc is not one."""
        lab = self.labels
        if not lab["trap_common"] < pc <= lab["ret_from_fork"] + 16:
            return None
        if self.word == 8:
            return sp
        if pc > lab["ret_from_fork"]:
            return sp + 4
        return int.from_bytes(bytes(gdb.selected_inferior().read_memory(sp, 4)), "little")

    def __call__(self, pending_frame):
        try:
            # The innermost frame may stop anywhere in the entry code (a
            # stepi through it), not just after a call: gdb's own guess.
            if pending_frame.level() == 0 or not self._setup():
                return None
            w = self.word
            pc_val = pending_frame.read_register("rip" if w == 8 else "eip")
            sp_val = pending_frame.read_register("rsp" if w == 8 else "esp")
            pc, sp = int(pc_val), int(sp_val)
            regs = self.regs_of(pc, sp)
            if regs is None:
                return None
            mem = bytes(gdb.selected_inferior().read_memory(regs, max(self.fields.values()) + w))

            def field(name):
                off = self.fields[name]
                return int.from_bytes(mem[off:off + w], "little")

            user = field("cs") & 3 == 3
            info = pending_frame.create_unwind_info(FrameId(sp_val, pc_val))     # gdb 13 wants gdb.Values
            for reg, name in (REGS64 if w == 8 else REGS32).items():
                if w == 4 and not user and reg == "ss":
                    continue
                old = pending_frame.read_register(reg)
                info.add_saved_register(reg, gdb.Value(field(name)).cast(old.type))
            if w == 4 and user and field("vector") == 0x80:      # SYSCALL_VECTOR (asm/desc.h)
                # The user library's syscall6 (user/lib/arch/syscall_32.h)
                # passes the sixth argument in ebp, having pushed the frame
                # pointer just before int $0x80: the caller's ebp is the word
                # at the user sp, and the program's call-frame information
                # (CFA = ebp + 8) needs that one.
                bp = int.from_bytes(bytes(gdb.selected_inferior().read_memory(field("sp"), 4)), "little")
                info.add_saved_register("ebp", gdb.Value(bp).cast(pending_frame.read_register("ebp").type))
            spreg = "rsp" if w == 8 else "esp"
            new_sp = field("sp") if (w == 8 or user) else regs + self.fields["sp"]
            info.add_saved_register(spreg, gdb.Value(new_sp).cast(pending_frame.read_register(spreg).type))
            return info
        except Exception:               # noqa: BLE001 (an unwinder must never break bt)
            if os.environ.get("PAGODA_GDB_DEBUG"):
                traceback.print_exc()
            return None


register_unwinder(None, EntryUnwinder(), replace=True)
