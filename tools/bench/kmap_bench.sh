#!/usr/bin/env bash
# tools/bench/kmap_bench.sh [ARCH] - boot Pagoda and run the monitor's
# bench_kmap: TSC cycles per kmap_local_page+kunmap_local and kmap+kunmap
# pair beside page_address, in one run. i386 and i386-pae (the PAE build)
# boot with 2 GiB (MEM=...) so that the pages are really highmem. Builds
# first unless NO_BUILD=1.
set -euo pipefail

arch=${1:-i386}
mem=${MEM:-$([ "$arch" = x86_64 ] && echo 256M || echo 2G)}
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
if [ "${NO_BUILD:-0}" != 1 ]; then
	if [ "$arch" = i386-pae ]; then make -s ARCH=i386 PAE=1 kernel; else make -s ARCH="$arch" PAE=0 kernel; fi
fi

. tools/bench/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
boot_log "$arch" pc "$mem" 'moncmd=bench_kmap,exit' "$work/serial.log" || status=$?

grep '^bench_kmap:' "$work/serial.log" | sed 's/^bench_kmap: //' || true
# The monitor's `exit` powers off: QEMU exits 0.
if [ "$status" -ne 0 ]; then
	echo "kmap_bench: QEMU exited with $status (0 expected); log:" >&2
	tail -20 "$work/serial.log" >&2
	exit 1
fi
