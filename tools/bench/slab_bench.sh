#!/usr/bin/env bash
# tools/bench/slab_bench.sh - kmalloc/kfree benchmarks, printed as one table
# (separate from bench.sh, the page allocator's; bench.sh may call this):
#
#   1. host callgrind instructions per operation of the very same mm/slab*.c
#      (tools/bench/bench_slab.c on the fake RAM arena), each beside glibc
#      malloc/free of the same size in the same program;
#   2. in-kernel TSC cycles per operation (the bench_slab monitor command,
#      booted under QEMU, both builds).
#
# Usage: tools/bench/slab_bench.sh [--host-only]
# Needs valgrind, qemu and the kernels (make kernel; make ARCH=i386 kernel).
# Aims, not assertions: the kmalloc(64)+kfree pair at most 40 instructions,
# and no worse than glibc's.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=build/bench
mkdir -p "$OUT"
HOST_ONLY=0
for a in "$@"; do
	case $a in
	--host-only) HOST_ONLY=1 ;;
	*) echo "usage: $0 [--host-only]" >&2; exit 2 ;;
	esac
done
ITERS=${ITERS:-20000}

# ---- 1. callgrind -------------------------------------------------------------
gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Itests/host/include -Iinclude tools/bench/bench_slab.c -o "$OUT/bench_slab"

. tools/bench/lib.sh

declare -A IR
for b in kmalloc64_pair malloc64_pair kmalloc64_batch malloc64_batch kmalloc4096_pair malloc4096_pair \
	kmalloc150k_pair malloc150k_pair; do
	IR[$b]=$(ir_per_op "$OUT/bench_slab" "$b" "$ITERS")
done

# ---- 2. in-kernel TSC cycles ---------------------------------------------------
declare -A CYC
if [ $HOST_ONLY = 0 ]; then
	for arch in x86_64 i386; do
		log="$OUT/slab-$arch.log"
		boot_log $arch pc 128M 'moncmd=bench_slab,exit' "$log" || true
		for k in kmalloc64_pair batch1000_64 kmalloc4096_pair kmalloc150k_pair; do
			v=$(sed -n "s/.*bench_slab: $k \([0-9]*\) cycles.*/\1/p" "$log" | tr -d '\r')
			CYC[$arch.$k]=${v:-?}
		done
	done
fi

row() { printf '%-30s %12s %12s %14s %12s\n' "$@"; }
echo
echo "kmalloc/kfree, one allocation + one free per operation"
row "operation" "slab instr" "glibc instr" "x86_64 cycles" "i386 cycles"
row "---------" "----------" "-----------" "-------------" "-----------"
row "64 B pair (hot per-CPU stack)" "${IR[kmalloc64_pair]}" "${IR[malloc64_pair]}" "${CYC[x86_64.kmalloc64_pair]:--}" "${CYC[i386.kmalloc64_pair]:--}"
row "64 B, 1000 allocs, 1000 frees" "${IR[kmalloc64_batch]}" "${IR[malloc64_batch]}" "${CYC[x86_64.batch1000_64]:--}" "${CYC[i386.batch1000_64]:--}"
row "4096 B pair" "${IR[kmalloc4096_pair]}" "${IR[malloc4096_pair]}" "${CYC[x86_64.kmalloc4096_pair]:--}" "${CYC[i386.kmalloc4096_pair]:--}"
row "150 KB pair (buddy order 6)" "${IR[kmalloc150k_pair]}" "${IR[malloc150k_pair]}" "${CYC[x86_64.kmalloc150k_pair]:--}" "${CYC[i386.kmalloc150k_pair]:--}"
echo "(host: callgrind Ir inside the loop / $ITERS; the batch row per alloc+free; cycles: rdtsc"
echo " under QEMU TCG, per pair, batch row per single operation)"
