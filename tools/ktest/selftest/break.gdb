# break.gdb - the gdb self-test: stop the fake kernel where it is about to
# leave QEMU and show that gdb sees its registers.  The runner has already
# loaded the ELF and connected to QEMU, which waits at its first instruction.
#
# A hardware breakpoint, because GRUB copies the kernel into memory after
# we connect and would overwrite a software breakpoint's int3.
hbreak ktest_done
continue
printf "reached ktest_done at %#x\n", $pc
info registers eip
