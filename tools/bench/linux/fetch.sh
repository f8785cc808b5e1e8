#!/usr/bin/env bash
# tools/bench/linux/fetch.sh - bring Debian's Linux kernel and a static
# busybox into build/linux-peer/ once, for the Linux side of `make bench`.
#
# What it leaves (and, when present, reuses without touching the network):
#   build/linux-peer/root/boot/vmlinuz-<kver>   the kernel QEMU boots
#   build/linux-peer/root/lib/modules/<kver>/   its modules (ahci, sd_mod, ext4...)
#   build/linux-peer/root/bin/busybox           the initramfs's shell and tools
#   build/linux-peer/kver                       <kver>
#
# Exit status 0: ready. 3: the packages could not be had (no package
# repository, no apt-get): the caller prints the message and skips the Linux
# side. Anything else: a real failure.
set -euo pipefail
cd "$(dirname "$0")/../../.."
D=build/linux-peer
mkdir -p "$D"

if [ -s "$D/kver" ] && [ -f "$D/root/boot/vmlinuz-$(cat "$D/kver")" ] && [ -x "$D/root/bin/busybox" ]; then
	exit 0
fi

skip() { echo "linux-peer: $*" >&2; exit 3; }
command -v apt-get >/dev/null 2>&1 || skip "no apt-get here: cannot fetch Debian's kernel"

# linux-image-amd64 is the metapackage; its Depends names the real kernel package.
kpkg() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*-amd64\)$/\1/p' | head -1; }
pkg=$(kpkg)
if [ -z "$pkg" ]; then
	# The package lists may never have been read on this machine.
	apt-get update -q >/dev/null 2>&1 || true
	pkg=$(kpkg)
fi
[ -n "$pkg" ] || skip "apt-cache knows no linux-image-amd64 (no Debian package lists?)"

rm -rf "$D/debs"
mkdir -p "$D/debs"
download() { (cd "$D/debs" && timeout 600 apt-get download -q "$pkg" busybox-static >/dev/null 2>&1); }
# Stale package lists name versions the repository no longer has: read
# them again once and retry.
if ! download; then
	apt-get update -q >/dev/null 2>&1 || true
	pkg=$(kpkg)
	if [ -z "$pkg" ] || ! download; then
		skip "apt-get download $pkg busybox-static failed (no package repository reachable?)"
	fi
fi
rm -rf "$D/root"
for deb in "$D"/debs/*.deb; do
	dpkg-deb -x "$deb" "$D/root"
done
kver=$(ls "$D/root/lib/modules" | head -1)
[ -f "$D/root/boot/vmlinuz-$kver" ] || { echo "linux-peer: no vmlinuz-$kver in $pkg" >&2; exit 1; }
rm -rf "$D/debs"
echo "$kver" >"$D/kver"
echo "linux-peer: $pkg and busybox-static unpacked in $D/root" >&2
