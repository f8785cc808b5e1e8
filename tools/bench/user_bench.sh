#!/usr/bin/env bash
# tools/bench/user_bench.sh [ARCH] [RESULTS] - the user-mode rows of `make bench`:
# boots Pagoda with init=/bin/ubench (user/bin/ubench.c) on the QEMU machine
# the Linux peer uses (q35, 256 MiB, one CPU: tools/bench/linux/run.sh), prints
# ubench's "PAGODA <key> <value> cycles" lines and, given RESULTS, appends them
# there for tools/bench/side_by_side.py. Figures, never a verdict.
set -euo pipefail
cd "$(dirname "$0")/../.."
arch=${1:-x86_64}
results=${2:-}
qemu=qemu-system-x86_64
[ "$arch" = x86_64 ] || qemu=qemu-system-i386
dir=build/$arch
[ "$arch" = i386-pae ] && dir=build/i386-pae
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
timeout 300 "$qemu" -M q35 -m 256M -smp 1 -no-reboot -nodefaults -display none \
	${CPU:+-cpu $CPU} -kernel "$dir/kernel.elf" -initrd "$dir/initramfs.cpio" \
	-append "init=/bin/ubench" -serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null >"$log" 2>&1 || status=$?
tr -d '\r' <"$log" | grep -E '^PAGODA ' | tee ${results:+-a "$results"} || true
if tr -d '\r' <"$log" | grep -E '^PAGODA-ERROR'; then
	exit 1
fi
if ! tr -d '\r' <"$log" | grep -q 'sys.mmap_munmap_64k'; then
	echo "user_bench: the run did not finish (QEMU status $status); the console said:" >&2
	tail -20 "$log" >&2
	exit 1
fi
