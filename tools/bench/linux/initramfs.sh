#!/usr/bin/env bash
# tools/bench/linux/initramfs.sh OUT BYTES - build the Linux peer's initramfs
# (cpio newc, gzip) from what fetch.sh unpacked in build/linux-peer/: a static
# busybox, peer.c built with the host's gcc -static, init.sh as /init, and
# the modules of the AHCI disk and ext2 (through ext4) with what they depend
# on. BYTES is how much of /dev/sda the disk rows read.
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=$1 BYTES=$2
D=build/linux-peer
kver=$(cat "$D/kver")
mods=$D/root/lib/modules/$kver
# Modules loaded by name (modprobe brings their dependencies). The crypto
# ones are looked up by the crc code at run time, not linked: named here.
want="ahci sd_mod ext4 crct10dif_generic crc64_rocksoft_generic crc32c_generic"

# modules.dep is written by depmod when a kernel package is installed; we
# only unpacked it, so busybox's depmod writes it once.
[ -f "$mods/modules.dep" ] || "$D/root/bin/busybox" depmod -b "$D/root" "$kver"

tree=$D/initramfs
rm -rf "$tree"
mkdir -p "$tree"/{bin,proc,sys,dev,mnt,tmp} "$tree/lib/modules/$kver"
cp "$D/root/bin/busybox" "$tree/bin/"
gcc -static -O2 -Wall -Wextra -Werror -o "$tree/bin/peer" tools/bench/linux/peer.c
cp tools/bench/linux/init.sh "$tree/init"
chmod +x "$tree/init"
echo "$want" >"$tree/modules.load"
echo "$BYTES" >"$tree/disk.bytes"

# The wanted modules and everything modules.dep says they need.
for m in $want; do
	awk -v m="$m" '{ n = $1; sub(/:$/, "", n); b = n; sub(/.*\//, "", b); sub(/\.ko$/, "", b);
	                 gsub(/-/, "_", b) } b == m { sub(/:/, ""); print; exit }' "$mods/modules.dep"
done | tr ' ' '\n' | sort -u | while read -r ko; do
	[ -n "$ko" ] || continue
	mkdir -p "$tree/lib/modules/$kver/$(dirname "$ko")"
	cp "$mods/$ko" "$tree/lib/modules/$kver/$ko"
	grep "^$ko:" "$mods/modules.dep" >>"$tree/lib/modules/$kver/modules.dep"
done
(cd "$tree" && find . | cpio -o -H newc --quiet) | gzip -1 >"$OUT"
