# Pagoda: `make run` boots into the monitor, `make test` runs every test.
# Variables: ARCH=x86_64|i386, PAE=1 (i386 with 3-level PAE paging, built in
# build/i386-pae), CROSS_COMPILE=prefix, V=1 (show commands), MACHINE=pc|q35,
# MEM=128M, SMP=2, CPU=model (QEMU -cpu; PAE=1 defaults to max, which has NX),
# CMDLINE="...", QEMU_EXTRA="...", BOOT=grub|direct (run/debug: GRUB ISO or QEMU -kernel).

# PAE=1 alone means the i386 PAE kernel (make run PAE=1, make test PAE=1).
ARCH ?= $(if $(filter 1,$(PAE)),i386,x86_64)
CROSS_COMPILE ?=
V ?= 0

ifeq ($(ARCH),x86_64)
  BITS := 64
  OTHER_BITS := 32
  ARCH_CFLAGS := -m64 -mcmodel=kernel -mno-red-zone
  LD_EMUL := elf_x86_64
  QEMU := qemu-system-x86_64
  GDB_ARCH := i386:x86-64
else ifeq ($(ARCH),i386)
  BITS := 32
  OTHER_BITS := 64
  ARCH_CFLAGS := -m32 -march=i686
  LD_EMUL := elf_i386
  QEMU := qemu-system-i386
  GDB_ARCH := i386
else
  $(error ARCH must be x86_64 or i386, not '$(ARCH)')
endif

# PAE=1: the i386 kernel with 3-level paging (64-bit PTEs, NX, RAM above
# 4 GiB). One define selects the paging headers (asm/pgtable_32.h) and the
# source filter below picks mm/x86/pgtable_3level.c over pgtable_2level.c.
PAE ?= 0
ifeq ($(PAE),1)
  ifneq ($(ARCH),i386)
    $(error PAE=1 is an i386 option; ARCH=$(ARCH) has 4-level paging already)
  endif
  ARCH_CFLAGS += -DCONFIG_X86_PAE
  BUILD_NAME := i386-pae
  PAGING_FILTER := %_2level.c
else ifeq ($(ARCH),i386)
  BUILD_NAME := i386
  PAGING_FILTER := %_3level.c
else
  BUILD_NAME := $(ARCH)
  PAGING_FILTER := %_2level.c %_3level.c
endif

CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
NM      := $(CROSS_COMPILE)nm
OBJCOPY := $(CROSS_COMPILE)objcopy
PYTHON  ?= python3

ifeq ($(V),1)
  Q :=
  say = @true
else
  Q := @
  say = @printf '  %-8s %s\n' $(1) $(2)
endif

B := build/$(BUILD_NAME)

CFLAGS := -std=gnu11 -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-common \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-mgeneral-regs-only -mno-mmx -mno-sse -mno-sse2 \
	-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude $(ARCH_CFLAGS) -MMD -MP
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLER__
# libgcc supplies 64-bit division on i386 (u64 / u64 in printk and time).
LIBGCC := $(shell $(CC) $(ARCH_CFLAGS) -print-libgcc-file-name)
LDFLAGS := -m $(LD_EMUL) -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

# Every source in these folders belongs to the kernel, except the other
# build's _32/_64 files (and the other paging mode's _2level/_3level files on
# i386): that is the whole arch selection. Every folder below these tops is
# read, so a new subsystem folder needs no edit here.
SRC_DIRS := $(shell find boot kernel mm drivers lib tests/ktest -type d)
SRCS := $(wildcard $(addsuffix /*.c,$(SRC_DIRS)) $(addsuffix /*.S,$(SRC_DIRS)))
SRCS := $(filter-out %_$(OTHER_BITS).c %_$(OTHER_BITS).S $(PAGING_FILTER),$(SRCS))
OBJS := $(patsubst %,$(B)/%.o,$(basename $(SRCS)))

include user/user.mk

.PHONY: all kernel iso run debug console disk test host-tests bench bench-linux handout grade memmap vmmap vmmap-log clean deps help \
	compile_commands.json FORCE
all: kernel iso

# The kernel and the initramfs it boots with (user programs, user/user.mk),
# and the user-space file-system library (no program links it yet).
kernel: $(B)/kernel.elf $(B)/kernel-mb1.elf $(B)/initramfs.cpio $(B)/compile_commands.json \
	$(U)/libext2.a

# The compilation database of this build, for clangd and editors
# (docs/editors.md): written by every build, with exactly the flags and
# sources above, less -MMD -MP (an editor must not write .d files into
# build/). The script leaves the file alone when nothing changed.
# `make compile_commands.json` copies the selected build's to the top, where
# editors look first.
$(B)/compile_commands.json: FORCE
	$(Q)$(PYTHON) scripts/compile_commands.py -o $@ --cc $(CC) --cflags '$(filter-out -MMD -MP,$(CFLAGS))' \
	  --asflags '$(filter-out -MMD -MP,$(ASFLAGS))' --objdir $(B) $(SRCS)

compile_commands.json: $(B)/compile_commands.json
	$(call say,GEN,$@)
	$(Q)cp $< $@

$(B)/%.o: %.c
	$(call say,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.o: %.S
	$(call say,AS,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(B)/linker.lds: linker.ld include/asm/layout.h include/asm/layout_$(BITS).h
	$(call say,CPP,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -x c $(ARCH_CFLAGS) -fno-pic -Iinclude -D__ASSEMBLER__ $< -o $@

# The symbol table is embedded in two links: the first has an empty table,
# its `nm` output becomes kallsyms.S, the second link includes it. The table
# sits at the end of .rodata, so no function moves; the script checks that.
$(B)/kallsyms0.S:
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) scripts/kallsyms.py --empty > $@

$(B)/kernel.pass1.elf: $(OBJS) $(B)/kallsyms0.o $(B)/linker.lds
	$(call say,LD,$@)
	$(Q)$(LD) $(LDFLAGS) -T $(B)/linker.lds -o $@ $(OBJS) $(B)/kallsyms0.o $(LIBGCC)

$(B)/kallsyms.S: $(B)/kernel.pass1.elf scripts/kallsyms.py
	$(call say,KSYMS,$@)
	$(Q)$(NM) -n -S $< | $(PYTHON) scripts/kallsyms.py > $@

$(B)/kallsyms0.o: $(B)/kallsyms0.S
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@
$(B)/kallsyms.o: $(B)/kallsyms.S
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(B)/kernel.elf: $(OBJS) $(B)/kallsyms.o $(B)/linker.lds
	$(call say,LD,$@)
	$(Q)$(LD) $(LDFLAGS) -T $(B)/linker.lds -o $@ $(OBJS) $(B)/kallsyms.o $(LIBGCC)
	$(Q)$(NM) -n -S $(B)/kernel.pass1.elf | $(PYTHON) scripts/kallsyms.py --check-against $@ --nm $(NM)
	$(Q)grub-file --is-x86-multiboot2 $@ 2>/dev/null || { command -v grub-file >/dev/null && { echo "$@: not a multiboot2 image" >&2; exit 1; } || true; }

# kernel.elf with a multiboot1 header in its empty .multiboot1 slot
# (boot/header.S): QEMU's -kernel boots it as multiboot1, so the test
# boot.i386.wrong_magic sees the entry refuse the wrong protocol.
$(B)/kernel-mb1.elf: $(B)/kernel.elf
	$(Q)$(PYTHON) -c "import struct,sys; sys.stdout.buffer.write(struct.pack('<3I', 0x1badb002, 0, -0x1badb002 & 0xffffffff))" > $@.hdr
	$(Q)$(OBJCOPY) --update-section .multiboot1=$@.hdr $< $@
	$(Q)rm -f $@.hdr

# The ISO for `make run`; the test runner makes its own per command line.
iso: $(B)/pagoda.iso
$(B)/pagoda.iso: $(B)/kernel.elf $(B)/initramfs.cpio tools/mkiso.sh
	$(call say,ISO,$@)
	$(Q)bash tools/mkiso.sh $< $@ $(CMDLINE)

deps:
	@bash tools/install-deps.sh

MACHINE ?= pc
MEM ?= 128M
SMP ?= 2
CPU ?= $(if $(filter 1,$(PAE)),max)
# BOOT=grub (default): the GRUB ISO, multiboot2. BOOT=direct: QEMU loads
# kernel.elf itself (-kernel, the PVH entry), no ISO, no GRUB: faster.
BOOT ?= grub
ifeq ($(BOOT),direct)
BOOT_TARGET = kernel
BOOT_ARGS = -kernel $(B)/kernel.elf -append "$(CMDLINE)" -initrd $(B)/initramfs.cpio
else ifeq ($(BOOT),grub)
BOOT_TARGET = iso
BOOT_ARGS = -cdrom $(B)/pagoda.iso
else
$(error BOOT must be grub or direct, not '$(BOOT)')
endif
# DISK=<image> (and DISK2=) attach raw disk images as AHCI ports 0 and 1:
# q35's own controller, or one added to pc (`make disk` makes an ext2 one).
comma := ,
AHCI_BUS = $(if $(filter q35,$(MACHINE)),ide,ahci0)
disk_arg = -drive file=$(1)$(comma)if=none$(comma)id=disk$(2)$(comma)format=raw \
	-device ide-hd$(comma)drive=disk$(2)$(comma)bus=$(AHCI_BUS).$(2)
DISK_ARGS = $(if $(DISK)$(DISK2),$(if $(filter q35,$(MACHINE)),,-device ahci$(comma)id=ahci0)) \
	$(if $(DISK),$(call disk_arg,$(DISK),0)) $(if $(DISK2),$(call disk_arg,$(DISK2),1))
QEMU_COMMON = -M $(MACHINE) -m $(MEM) -smp $(SMP) $(if $(CPU),-cpu $(CPU)) -no-reboot -nodefaults \
	-display none -device isa-debug-exit,iobase=0xf4,iosize=0x04 $(DISK_ARGS) $(QEMU_EXTRA)

# Boot into the monitor on this terminal. Ctrl-A X quits QEMU; so does `exit`.
run: deps
	@$(MAKE) --no-print-directory $(BOOT_TARGET)
	@echo "Booting Pagoda ($(BUILD_NAME), $(MACHINE), $(MEM), $(SMP) CPUs, $(BOOT)). Type 'help' at the prompt; 'exit' or Ctrl-A X quits."
	@$(QEMU) $(QEMU_COMMON) $(BOOT_ARGS) -serial mon:stdio; \
	  s=$$?; if [ $$s -eq 0 ] || [ $$s -eq 33 ]; then exit 0; else echo "QEMU exited with status $$s"; exit $$s; fi

# QEMU paused with its gdb stub, and gdb attached. The serial console is on a
# socket: `make console` in a second terminal talks to the monitor.
GDB_PORT ?= 1234
debug: deps
	@$(MAKE) --no-print-directory $(BOOT_TARGET)
	@echo "QEMU waits for gdb on :$(GDB_PORT); serial console: 'make console ARCH=$(ARCH) PAE=$(PAE)' in another terminal."
	@$(QEMU) $(QEMU_COMMON) $(BOOT_ARGS) -S -gdb tcp::$(GDB_PORT) \
	  -chardev socket,id=ser0,path=$(B)/serial.sock,server=on,wait=off -serial chardev:ser0 & \
	  qpid=$$!; sleep 0.3; \
	  gdb -q -nx -ex "set architecture $(GDB_ARCH)" -ex "file $(B)/kernel.elf" \
	      -x tools/gdb/pagoda.gdb -ex "target remote :$(GDB_PORT)"; \
	  kill $$qpid 2>/dev/null; wait $$qpid 2>/dev/null; true

console:
	@$(PYTHON) tools/console.py $(B)/serial.sock

# An ext2 image of a host directory, as Debian's mke2fs makes it (the
# format issue 16's server reads; fs/ext2/, docs/filesystem.md), checked
# with e2fsck at once: make disk DIR=<dir> IMG=<file> [SIZE=64M] [BLOCK=4096]
SIZE ?= 64M
BLOCK ?= 4096
disk: deps
	@if [ -z "$(DIR)" ] || [ -z "$(IMG)" ]; then \
	  echo "usage: make disk DIR=<host directory> IMG=<image file> [SIZE=64M] [BLOCK=1024|2048|4096]"; exit 2; fi
	@if [ ! -d "$(DIR)" ]; then echo "make disk: $(DIR) is not a directory"; exit 2; fi
	@case "$(BLOCK)" in 1024|2048|4096) ;; *) echo "make disk: BLOCK must be 1024, 2048 or 4096, not $(BLOCK)"; exit 2;; esac
	@PATH="$$PATH:/sbin:/usr/sbin" mke2fs -q -F -t ext2 -b $(BLOCK) -d "$(DIR)" "$(IMG)" $(SIZE)
	@PATH="$$PATH:/sbin:/usr/sbin" e2fsck -fn "$(IMG)" >/dev/null 2>&1 || \
	  { echo "make disk: e2fsck -fn finds problems in $(IMG)"; exit 1; }
	@echo "$(IMG): ext2, $(SIZE), $(BLOCK)-byte blocks, from $(DIR); e2fsck -fn finds nothing. Attach it: make run DISK=$(IMG)"

# Everything: host tests, the three builds, the boot matrix, expected panics,
# gdb. With PAE=1 only the tests of the PAE build (arch = i386-pae) run.
# The three builds in one make, sharing its -j: one build's serial steps
# (the two links, kallsyms, the initramfs) overlap the others' compiles.
# `make test` also builds the host tests and fuzzers there (errors
# ignored: a program that does not build fails its own test in the run).
NPROC := $(shell nproc 2>/dev/null || echo 2)
KERNEL_BUILDS := kernel-x86_64 kernel-i386 kernel-i386-pae
.PHONY: kernels $(KERNEL_BUILDS) host-build
kernels: $(KERNEL_BUILDS)
kernel-x86_64:
	@$(MAKE) --no-print-directory ARCH=x86_64 PAE=0 kernel
kernel-i386:
	@$(MAKE) --no-print-directory ARCH=i386 PAE=0 kernel
kernel-i386-pae:
	@$(MAKE) --no-print-directory ARCH=i386 PAE=1 kernel
host-build:
	-@$(MAKE) --no-print-directory -s -C tests/host all >/dev/null 2>&1
BUILDS = @$(MAKE) --no-print-directory -j$(NPROC) kernels
test: deps
	@$(MAKE) --no-print-directory -j$(NPROC) kernels host-build
	@$(PYTHON) tools/ktest/ktest.py --no-build $(if $(filter 1,$(PAE)),--arch i386-pae) $(TESTARGS)

# Host tests alone (they also run inside `make test`).
host-tests:
	@$(MAKE) --no-print-directory -C tests/host run

# Figures, not verdicts: instruction counts, cycles, boot times (docs/performance.md).
bench: deps
	$(BUILDS)
	@bash tools/bench/all.sh

# The Linux side of `make bench` alone: Debian's kernel (fetched once into
# build/linux-peer/) on the same QEMU machine, one "LINUX key value unit"
# line per figure, then the side-by-side table with an empty Pagoda column.
bench-linux:
	@bash tools/bench/linux/run.sh build/bench/linux-peer.txt && \
	  $(PYTHON) tools/bench/side_by_side.py /dev/null build/bench/linux-peer.txt

# A picture of physical memory: boot with `moncmd=memmap,exit`, draw
# build/<arch>/memmap.svg and .png. MEMMAP_CMDS runs other monitor commands
# too, MEMMAP_ARGS passes options to tools/memmap.py (before/after:
# MEMMAP_CMDS=memmap,vmalloc+2M,memmap MEMMAP_ARGS="--dump 1 --dump 2").
MEMMAP_CMDS ?= memmap
MEMMAP_ARGS ?=
memmap: deps
	@$(MAKE) --no-print-directory kernel
	$(call say,ISO,$(B)/memmap.iso)
	$(Q)bash tools/mkiso.sh $(B)/kernel.elf $(B)/memmap.iso moncmd=$(MEMMAP_CMDS),exit $(CMDLINE)
	$(call say,QEMU,$(B)/memmap.log)
	$(Q)timeout 120 $(QEMU) $(QEMU_COMMON) -cdrom $(B)/memmap.iso -serial file:$(B)/memmap.log; \
	  s=$$?; [ $$s -eq 0 ] || [ $$s -eq 33 ] || { echo "QEMU exited with status $$s (log: $(B)/memmap.log)"; exit 1; }
	$(Q)$(PYTHON) tools/memmap.py $(B)/memmap.log -o $(B)/memmap.svg --png $(B)/memmap.png \
	  --title "Pagoda $(BUILD_NAME), $(MACHINE), $(MEM)" $(MEMMAP_ARGS)

# Pictures of a process's address space: boot x86_64 (128 MiB) and i386
# (1 GiB: highmem) with /bin/t_vmmap alive (`run ... &`), dump its `vmmap`
# and `pmap` to build/<arch>/vmmap.log, and draw build/vmmap.svg/.png (the
# virtual layouts side by side) and build/pmap.svg/.png (where the pages
# live). VMMAP_PROG names another program (it must sleep once set up).
VMMAP_PROG ?= t_vmmap
VMMAP_MEM_i386 ?= 1G
vmmap: deps
	@$(MAKE) --no-print-directory ARCH=x86_64 PAE=0 vmmap-log
	@$(MAKE) --no-print-directory ARCH=i386 PAE=0 MEM=$(VMMAP_MEM_i386) vmmap-log
	$(Q)$(PYTHON) tools/vmmap.py build/x86_64/vmmap.log build/i386/vmmap.log \
	  -o build/vmmap.svg --png build/vmmap.png --pmap-svg build/pmap.svg --pmap-png build/pmap.png

vmmap-log: kernel
	$(call say,ISO,$(B)/vmmap.iso)
	$(Q)bash tools/mkiso.sh $(B)/kernel.elf $(B)/vmmap.iso \
	  'moncmd=run+$(VMMAP_PROG)+600+&,vmmap+$(VMMAP_PROG),pmap+$(VMMAP_PROG),exit' $(CMDLINE)
	$(call say,QEMU,$(B)/vmmap.log)
	$(Q)timeout 120 $(QEMU) $(QEMU_COMMON) -cdrom $(B)/vmmap.iso -serial file:$(B)/vmmap.log; \
	  s=$$?; [ $$s -eq 0 ] || [ $$s -eq 33 ] || { echo "QEMU exited with status $$s (log: $(B)/vmmap.log)"; exit 1; }

# Coursework (docs/labs/): a student tree for lab LAB, and its grade.
handout:
	@test -n "$(LAB)" -a -n "$(DEST)" || { echo "usage: make handout LAB=n DEST=dir"; exit 2; }
	@$(PYTHON) tools/lab.py handout $(LAB) $(DEST)

# FORMAT=json also writes Gradescope's results.json (RESULTS=path, default
# build/results.json): docs/labs/README.md.
FORMAT ?= text
grade: deps
	@test -n "$(LAB)" || { echo "usage: make grade LAB=n [FORMAT=json [RESULTS=file]]"; exit 2; }
	@$(PYTHON) tools/lab.py grade $(LAB) $(FORMAT) $(RESULTS)

clean:
	rm -rf build logs compile_commands.json

help:
	@sed -n '1,5p' Makefile
	@echo "targets: all kernel kernels user initramfs iso compile_commands.json run debug console disk test host-tests bench bench-linux handout grade memmap vmmap vmmap-log clean deps help"

-include $(OBJS:.o=.d)
