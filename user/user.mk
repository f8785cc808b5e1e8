# user/user.mk - user programs and the initramfs, included by the top
# Makefile (B, BITS, CC, LD, LD_EMUL, LIBGCC come from there).
#
# Every user/bin/<prog>.c is one static program, linked with the user library
# (user/lib, plus the kernel's pure lib/ sources it shares: one source, two
# builds) at user/user.ld's base, into $(B)/user/bin/<prog>. The PAE build
# compiles its own copies: programs are the same ELF32 as i386, and each
# build directory stays complete on its own. The programs are packed into
# $(B)/initramfs.cpio as /bin/<prog> (newc, the host's cpio); GRUB loads it
# as a multiboot2 module (tools/mkiso.sh). docs/user-space.md.

U := $(B)/user

# Freestanding, no host headers or libc: gcc's own headers (stddef, stdint,
# stdarg, limits) and ours. User code may use SSE and the x87 (issue #14:
# the kernel saves FPU/SSE state for user tasks), so no -mgeneral-regs-only
# here; x86_64 programs keep the red zone (the kernel runs on its own stack).
USER_ARCH_CFLAGS := $(if $(filter 64,$(BITS)),-m64,-m32 -march=i686)
USER_CFLAGS := -std=gnu11 -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter $(USER_ARCH_CFLAGS) \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) -MMD -MP \
	$(if $(filter 1,$(PAE)),-DUSER_PAE)
# USER_PAE: the PAE build's copies (usertests expects NX there, as on x86_64).
# Programs and the library see only user/include and the uapi headers
# (<pagoda/unistd.h> is include/uapi/pagoda/unistd.h).
USER_INC := -Iuser/include -Iinclude/uapi
# The kernel's pure library code, compiled for user space with the kernel's
# headers (they only need types.h and string.h).
USER_SHARED := lib/string.c lib/strlcpy.c lib/vsprintf.c lib/crc32.c lib/parse.c lib/errname.c \
	lib/diskpattern.c
USER_LDFLAGS := -m $(LD_EMUL) -static -nostdlib -z max-page-size=0x1000 -z noexecstack

USER_LIB_OBJS := $(patsubst user/lib/%.c,$(U)/lib/%.o,$(wildcard user/lib/*.c)) \
	$(patsubst lib/%.c,$(U)/shared/%.o,$(USER_SHARED))
USER_CRT0 := $(U)/lib/crt0.o
# A program is user/bin/<prog>.c, or a folder user/bin/<prog>/ whose .c
# files are linked together (usertests: one file per suite).
USER_DIR_PROGS := $(patsubst user/bin/%/,%,$(sort $(dir $(wildcard user/bin/*/*.c))))
USER_PROGS := $(sort $(basename $(notdir $(wildcard user/bin/*.c))) $(USER_DIR_PROGS))
USER_DIR_OBJS := $(patsubst user/bin/%.c,$(U)/obj/%.o,$(wildcard user/bin/*/*.c))
USER_BINS := $(USER_PROGS:%=$(U)/bin/%)

.PHONY: user initramfs
user: $(USER_BINS)
initramfs: $(B)/initramfs.cpio

$(U)/lib/%.o: user/lib/%.c
	$(call say,UCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) $(USER_INC) -c $< -o $@

$(U)/shared/%.o: lib/%.c
	$(call say,UCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) -Iinclude -c $< -o $@

$(USER_CRT0): user/lib/arch/crt0_$(BITS).S
	$(call say,UAS,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(U)/bin/%.o: user/bin/%.c
	$(call say,UCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) $(USER_INC) -c $< -o $@

$(U)/libc.a: $(USER_LIB_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(CROSS_COMPILE)ar rcs $@ $^

$(U)/user.lds: user/user.ld
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -x c $(USER_ARCH_CFLAGS) $< -o $@

$(U)/bin/%: $(U)/bin/%.o $(USER_CRT0) $(U)/libc.a $(U)/user.lds
	$(call say,ULD,$@)
	$(Q)$(LD) $(USER_LDFLAGS) -T $(U)/user.lds -o $@ $(USER_CRT0) $< $(U)/libc.a $(LIBGCC)

# /bin/<prog> for every program; owner root, names sorted, so the archive
# depends only on the programs. The archive's copies lose their debug
# information (three quarters of their size); build/<build>/user/bin keeps it for gdb.
$(B)/initramfs.cpio: $(USER_BINS) user/user.mk
	$(call say,CPIO,$@)
	$(Q)rm -rf $(U)/root && mkdir -p $(U)/root/bin && cp $(USER_BINS) $(U)/root/bin/ && \
	  $(CROSS_COMPILE)strip --strip-debug $(U)/root/bin/* && \
	  (cd $(U)/root && find bin | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > $@.tmp && mv $@.tmp $@

# Keep the objects: make would delete them as intermediates and relink.
.SECONDARY: $(USER_BINS:%=%.o) $(USER_DIR_OBJS)

# A folder program links its own objects (in $(U)/obj/<prog>/: the program
# itself is $(U)/bin/<prog>) instead of one <prog>.o.
$(U)/obj/%.o: user/bin/%.c
	$(call say,UCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) $(USER_INC) -c $< -o $@

define USER_DIR_PROG
$(U)/bin/$(1): $(patsubst user/bin/%.c,$(U)/obj/%.o,$(wildcard user/bin/$(1)/*.c)) $$(USER_CRT0) $$(U)/libc.a $$(U)/user.lds
	$$(call say,ULD,$$@)
	@mkdir -p $$(dir $$@)
	$$(Q)$$(LD) $$(USER_LDFLAGS) -T $$(U)/user.lds -o $$@ $$(USER_CRT0) $$(filter %.o,$$(filter-out $$(USER_CRT0),$$^)) $$(U)/libc.a $$(LIBGCC)
endef
$(foreach p,$(USER_DIR_PROGS),$(eval $(call USER_DIR_PROG,$(p))))

# /bin/ahcid (docs/ahcid.md): a folder program whose driver world is the
# kernel's own AHCI driver and block-layer sources, built a second time.
# They see the kernel's headers (-Iinclude) with ahcid's OS interface in
# front (user/bin/ahcid/include: spinlock.h, io.h, time.h ... for user
# space), plus user/bin/ahcid/os/ (the OS side); the server world (the
# folder's own .c files) is an ordinary program. Not the monitor's view
# (ahci_stats.c) nor the kernel's OS side (ahci_os_kernel.c).
AHCID_DRIVER_SRCS := $(filter-out drivers/ahci/ahci_os_kernel.c drivers/ahci/ahci_stats.c,\
	$(wildcard drivers/ahci/*.c)) drivers/block/bio.c drivers/block/blk_core.c \
	drivers/block/blk_limits.c drivers/block/genhd.c lib/hweight.c $(wildcard user/bin/ahcid/os/*.c)
AHCID_DRIVER_OBJS := $(AHCID_DRIVER_SRCS:%.c=$(U)/obj/ahcid-driver/%.o)
$(U)/obj/ahcid-driver/%.o: %.c
	$(call say,UCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) -Iuser/bin/ahcid/include -Iinclude -c $< -o $@
$(U)/bin/ahcid: $(AHCID_DRIVER_OBJS)
.SECONDARY: $(AHCID_DRIVER_OBJS)

# The file-system library (fs/ext2/, docs/filesystem.md) as a user-space
# archive: every build compiles it freestanding against the user headers,
# so it stays fit for the ext2 server (issue 16) that will link it.
EXT2_LIB_OBJS := $(patsubst fs/ext2/%.c,$(U)/fs/ext2/%.o,$(wildcard fs/ext2/*.c))
$(U)/fs/ext2/%.o: fs/ext2/%.c
	$(call say,UCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(USER_CFLAGS) $(USER_INC) -c $< -o $@
$(U)/libext2.a: $(EXT2_LIB_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && $(CROSS_COMPILE)ar rcs $@ $^
user: $(U)/libext2.a

# /bin/ext2d (docs/filesystem.md "The server"): a folder program that links
# the library's objects and sees its header as "ext2/ext2.h".
$(patsubst user/bin/%.c,$(U)/obj/%.o,$(wildcard user/bin/ext2d/*.c)): USER_INC += -Ifs
$(U)/bin/ext2d: $(EXT2_LIB_OBJS)

-include $(wildcard $(U)/*/*.d $(U)/*/*/*.d)
-include $(AHCID_DRIVER_OBJS:.o=.d) $(EXT2_LIB_OBJS:.o=.d)
