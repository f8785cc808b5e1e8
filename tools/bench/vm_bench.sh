#!/usr/bin/env bash
# tools/bench/vm_bench.sh [ARCH] - boot Pagoda under QEMU with the vm_bench
# ktest and print its table: TSC cycles per 4 KiB page for vmalloc+vfree,
# __get_free_pages+free_pages and kmalloc+kfree of 4 KiB, 64 KiB and 4 MiB.
# Builds the kernel first unless NO_BUILD=1. MEM=256M, EXTRA="-cpu max" etc.
set -euo pipefail

arch=${1:-x86_64}
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
[ "${NO_BUILD:-0}" = 1 ] || make -s ARCH="$arch" kernel

. tools/bench/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
# EXTRA is a list of QEMU arguments, split on purpose.
# shellcheck disable=SC2086
boot_log "$arch" pc "${MEM:-256M}" 'ktest=vm_bench.*' "$work/serial.log" ${EXTRA:-} || status=$?

grep '^vm_bench:' "$work/serial.log" | sed 's/^vm_bench: //' || true
# isa-debug-exit: 33 is a passing ktest run.
if [ "$status" -ne 33 ]; then
	echo "vm_bench: QEMU exited with $status (33 expected); log:" >&2
	tail -20 "$work/serial.log" >&2
	exit 1
fi
