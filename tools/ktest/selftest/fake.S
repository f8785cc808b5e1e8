/*
 * fake.S - a tiny stand-in kernel used to test the ktest runner itself.
 *
 * It is a multiboot2 image that GRUB loads in 32-bit protected mode, and
 * has the direct entry too (a PVH note: QEMU -kernel starts it without
 * firmware disk boot and GRUB, as the runner boots the real kernel).  It
 * echoes the command line it was given, writes a canned KTAP document to
 * COM1 and leaves QEMU through the isa-debug-exit device (port 0xf4), just
 * like the real kernel does at the end of a ktest run.  One source file,
 * several variants, picked at build time with -DVARIANT_<NAME>:
 *
 *   VARIANT_PASS       valid KTAP, every case ok or skipped   -> exit 0x10
 *   VARIANT_FAIL       valid KTAP with a "not ok"             -> exit 0x11
 *   VARIANT_PANIC      expect-panic marker, then a panic      -> exit 0x12
 *   VARIANT_TRUNCATED  plan 1..3 but only one result          -> exit 0x10
 *   VARIANT_HANG       starts KTAP, then halts forever        -> timeout
 *   VARIANT_TRIPLE     triple fault (QEMU -no-reboot exits 0)
 *
 * Build (see run.sh):
 *   gcc -m32 -nostdlib -static -no-pie -Wl,-n -Wl,-Ttext-segment=0x100000 \
 *       -Wl,--build-id=none -DVARIANT_PASS -o pass.elf fake.S
 */

#define MB2_MAGIC     0xe85250d6
#define MB2_ARCH_I386 0
#define COM1          0x3f8
#define COM1_LSR      (COM1 + 5)
#define LSR_THRE      0x20            /* transmit holding register empty */
#define DEBUG_EXIT    0xf4

/* The byte written to DEBUG_EXIT; QEMU then exits with (byte << 1) | 1. */
#if defined(VARIANT_PASS) || defined(VARIANT_TRUNCATED)
#define EXIT_CODE     0x10            /* ktest run finished, all passed */
#elif defined(VARIANT_FAIL)
#define EXIT_CODE     0x11            /* ktest run finished, failures */
#elif defined(VARIANT_PANIC)
#define EXIT_CODE     0x12            /* kernel panic */
#endif

        .text
        .code32

/* The multiboot2 header must be 8-byte aligned within the first 32 KiB. */
        .balign 8
mb2_header:
        .long MB2_MAGIC
        .long MB2_ARCH_I386
        .long mb2_header_end - mb2_header
        .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        .short 0, 0                   /* end tag: type 0, flags 0 ... */
        .long 8                       /* ... size 8 */
mb2_header_end:

/* The PVH note (boot/pvh.S has the real one): name "Xen", type 18
 * (XEN_ELFNOTE_PHYS32_ENTRY), the entry's physical address in 8 bytes. */
        .section .note.Xen, "a", @note
        .balign 4
        .long 4, 8, 18
        .asciz "Xen"
        .balign 4
        .long pvh_start, 0
        .text

        .globl _start
_start:
        cli
        mov     $stack_top, %esp
        mov     %ebx, %edi            /* multiboot2 information structure */

        mov     $msg_hello, %esi
        call    puts
        call    print_cmdline
        jmp     ktap_out

/* The direct entry: %ebx = struct hvm_start_info, its command line's
 * physical address at offset 24. */
pvh_start:
        cli
        mov     $stack_top, %esp
        mov     $msg_hello, %esi
        call    puts
        mov     $msg_cmdline, %esi
        call    puts
        mov     24(%ebx), %esi
        call    puts
        mov     $msg_crlf, %esi
        call    puts

ktap_out:
        mov     $ktap, %esi
        call    puts

#if defined(VARIANT_HANG)
halt:   hlt
        jmp     halt
#elif defined(VARIANT_TRIPLE)
        lidt    null_idt              /* an empty IDT: the next interrupt */
        int     $3                    /* faults, double-faults, resets   */
        jmp     .
#else
        .globl ktest_done             /* the gdb self-test breaks here */
ktest_done:
        mov     $EXIT_CODE, %al
        out     %al, $DEBUG_EXIT
        jmp     .
#endif

/* putc: write %al to COM1, waiting until the UART can take it. */
putc:
        push    %edx
        push    %eax
1:      mov     $COM1_LSR, %dx
        in      %dx, %al
        test    $LSR_THRE, %al
        jz      1b
        pop     %eax
        mov     $COM1, %dx
        out     %al, %dx
        pop     %edx
        ret

/* puts: write the NUL-terminated string at %esi. */
puts:
        lodsb
        test    %al, %al
        jz      2f
        call    putc
        jmp     puts
2:      ret

/* print_cmdline: find the multiboot2 command-line tag (type 1) and echo it. */
print_cmdline:
        lea     8(%edi), %ecx         /* tags follow total_size, reserved */
3:      mov     (%ecx), %eax
        test    %eax, %eax            /* type 0: end of tags */
        jz      5f
        cmp     $1, %eax
        jne     4f
        mov     $msg_cmdline, %esi
        call    puts
        lea     8(%ecx), %esi
        call    puts
        mov     $msg_crlf, %esi
        call    puts
        ret
4:      mov     4(%ecx), %eax         /* next tag: size rounded up to 8 */
        add     $7, %eax
        and     $~7, %eax
        add     %eax, %ecx
        jmp     3b
5:      ret

msg_hello:   .asciz "fake kernel: hello\r\n"
msg_cmdline: .asciz "cmdline: "
msg_crlf:    .asciz "\r\n"

        .balign 8
null_idt:
        .short 0
        .long 0

/*
 * The canned KTAP documents.  Kernel log lines are mixed in on purpose: the
 * runner must ignore them.  Lines end in \r\n, as on a real serial console.
 */
#define L(s) .ascii s; .ascii "\r\n"

ktap:
#if defined(VARIANT_PASS)
        L("KTAP version 1")
        L("1..2")
        L("    KTAP version 1")
        L("    # Subtest: boot")
        L("    1..3")
        L("    ok 1 e820_first_last_word")
        L("[    0.001] mm: 127 MiB usable")
        L("    ok 2 cmdline_parsed")
        L("    ok 3 needs_q35 # SKIP needs q35")
        L("ok 1 boot")
        L("    KTAP version 1")
        L("    # Subtest: printk")
        L("    1..1")
        L("    ok 1 widths")
        L("ok 2 printk")
        L("# ktest: 3 passed, 0 failed, 1 skipped")
#elif defined(VARIANT_FAIL)
        L("KTAP version 1")
        L("1..1")
        L("    KTAP version 1")
        L("    # Subtest: boot")
        L("    1..2")
        L("    ok 1 e820_first_last_word")
        L("    not ok 2 something")
        L("    # something: EXPECTATION FAILED at kernel/foo.c:12")
        L("not ok 1 boot")
        L("# ktest: 1 passed, 1 failed, 0 skipped")
#elif defined(VARIANT_PANIC)
        L("KTAP version 1")
        L("1..1")
        L("    KTAP version 1")
        L("    # Subtest: panic")
        L("    1..1")
        L("    # expect-panic: fake panic for selftest")
        L("Kernel panic - not syncing: fake panic for selftest")
        L("Backtrace:")
        L("  [<0x00100042>] ktest_done+0x0/0x10")
#elif defined(VARIANT_TRUNCATED)
        L("KTAP version 1")
        L("1..3")
        L("    KTAP version 1")
        L("    # Subtest: boot")
        L("    1..1")
        L("    ok 1 only_case")
        L("ok 1 boot")
#elif defined(VARIANT_HANG) || defined(VARIANT_TRIPLE)
        L("KTAP version 1")
        L("1..1")
#else
#error "pick a variant: -DVARIANT_PASS, _FAIL, _PANIC, _TRUNCATED, _HANG or _TRIPLE"
#endif
        .byte 0

/* No paging yet, so the "read-only" text segment is writable: good enough. */
        .balign 16
stack:  .skip 4096
stack_top:
