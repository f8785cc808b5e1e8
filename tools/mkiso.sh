#!/usr/bin/env bash
# mkiso.sh KERNEL_ELF OUT_ISO [CMDLINE...]
#
# Wrap a multiboot2 kernel in a small bootable GRUB (BIOS) ISO whose only menu
# entry boots it at once with the given kernel command line, e.g.
#
#   tools/mkiso.sh build/x86_64/kernel.elf /tmp/p.iso 'ktest=boot.*'
#
# If the kernel's directory holds initramfs.cpio (made by `make kernel`:
# the user programs, user/user.mk), GRUB loads it as the multiboot2 module
# named "initramfs"; a kernel without one boots without a module.
#
# Each CMDLINE word becomes one word of the kernel command line.  Words are
# single-quoted in grub.cfg when they hold anything beyond a safe set of
# characters, so '*', '?', '$', ';', '"' and friends reach the kernel as typed.
# The ISO is written to a temporary file next to OUT_ISO and renamed into
# place, so parallel runs never see a half-written image.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 KERNEL_ELF OUT_ISO [CMDLINE...]" >&2
    exit 2
fi
kernel=$1
out=$2
shift 2

if [ ! -f "$kernel" ]; then
    echo "mkiso: no such kernel: $kernel" >&2
    exit 1
fi

# grub_word WORD: print WORD quoted for GRUB's shell-like config language.
# Inside single quotes everything is literal; a single quote itself is
# written as '\'' exactly as in sh.
grub_word() {
    local w=$1
    if [[ -n $w && $w =~ ^[A-Za-z0-9_.,=:/+@%-]+$ ]]; then
        printf '%s' "$w"
    else
        printf "'%s'" "${w//\'/\'\\\'\'}"
    fi
}

args=""
for w in "$@"; do
    args+=" $(grub_word "$w")"
done

stage=$(mktemp -d "${TMPDIR:-/tmp}/pagoda-iso.XXXXXX")
tmp_iso="$out.tmp.$$"
trap 'rm -rf "$stage" "$tmp_iso"' EXIT

mkdir -p "$stage/boot/grub" "$(dirname "$out")"
cp "$kernel" "$stage/boot/kernel.elf"
initramfs="$(dirname "$kernel")/initramfs.cpio"
module=""
if [ -f "$initramfs" ]; then
    cp "$initramfs" "$stage/boot/initramfs.cpio"
    module="
    module2 /boot/initramfs.cpio initramfs"
fi
cat > "$stage/boot/grub/grub.cfg" <<CFG
set timeout=0
set timeout_style=hidden
menuentry "Pagoda" {
    multiboot2 /boot/kernel.elf$args$module
    boot
}
CFG

# grub-mkrescue (through xorriso) is chatty even when all is well: keep its
# output and show it only if it fails.
if ! log=$(grub-mkrescue -o "$tmp_iso" \
        --install-modules="multiboot2 normal configfile iso9660 biosdisk part_msdos" \
        --modules="multiboot2" \
        --locales= --fonts= --themes= --compress=no \
        "$stage" 2>&1); then
    printf '%s\n' "$log" >&2
    echo "mkiso: grub-mkrescue failed" >&2
    exit 1
fi
mv -f "$tmp_iso" "$out"
