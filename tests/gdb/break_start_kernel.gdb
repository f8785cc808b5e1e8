# Stop at start_kernel with a hardware breakpoint (software breakpoints would
# be written before the kernel is loaded), then show where we are.
hbreak start_kernel
continue
bt
info line *$pc
next
info registers
