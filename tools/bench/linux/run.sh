#!/usr/bin/env bash
# tools/bench/linux/run.sh [RESULTS] - the Linux side of `make bench` alone
# (`make bench-linux`): Debian's kernel on the QEMU machine that
# tools/bench/disk_bench.py gives Pagoda (q35, 256 MiB, one CPU, a 64 MiB
# raw image of tools/disk_pattern.py on the first AHCI port), plus a 128 MiB
# raw disk on the second port for the ext2 rows. Prints and saves in RESULTS
# (default build/linux-peer/results.txt) one "LINUX <key> <value> <unit>"
# line per figure, the keys tools/bench/side_by_side.py pairs with Pagoda's.
#
# When the kernel package cannot be fetched it says so on stderr, leaves
# RESULTS empty and exits 0: the rest of `make bench` goes on with '-' in
# the Linux column.
set -euo pipefail
cd "$(dirname "$0")/../../.."
D=build/linux-peer
RESULTS=${1:-$D/results.txt}
BYTES=${DISK_BYTES:-33554432}        # dbench's 32M per request size
TIMEOUT=${LINUX_PEER_TIMEOUT:-600}   # seconds for the whole boot

mkdir -p "$(dirname "$RESULTS")"
: >"$RESULTS"
status=0
bash tools/bench/linux/fetch.sh || status=$?
if [ $status -eq 3 ]; then
	echo "linux-peer: skipped: Debian's kernel package could not be fetched" >&2
	exit 0
fi
[ $status -eq 0 ] || exit $status
kver=$(cat "$D/kver")
bash tools/bench/linux/initramfs.sh "$D/initrd.gz" "$BYTES"
python3 tools/disk_pattern.py make "$D/disk.img" 64
rm -f "$D/fs.img" && truncate -s 128M "$D/fs.img"

log=$D/console.log
status=0
timeout "$TIMEOUT" qemu-system-x86_64 -M q35 -m 256M -smp 1 -no-reboot -nodefaults -display none \
	-kernel "$D/root/boot/vmlinuz-$kver" -initrd "$D/initrd.gz" \
	-append "console=ttyS0 quiet panic=-1" -serial stdio \
	-drive "file=$D/disk.img,if=none,id=d0,format=raw" -device ide-hd,drive=d0,bus=ide.0 \
	-drive "file=$D/fs.img,if=none,id=d1,format=raw" -device ide-hd,drive=d1,bus=ide.1 \
	</dev/null >"$log" 2>&1 || status=$?
tr -d '\r' <"$log" | grep -E '^LINUX ' >"$RESULTS" || true
cat "$RESULTS"
tr -d '\r' <"$log" | grep -E '^LINUX-ERROR' >&2 || true
if ! grep -q '^LINUX-DONE' <(tr -d '\r' <"$log"); then
	echo "linux-peer: the run did not finish (QEMU status $status; console in $log)" >&2
	exit 1
fi
