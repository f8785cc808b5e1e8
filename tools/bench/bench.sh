#!/usr/bin/env bash
# tools/bench/bench.sh - page allocator benchmarks, printed as one table:
#
#   1. host callgrind instructions per alloc+free pair of the very same
#      mm/page_alloc.c (tools/bench/bench_buddy.c on the fake RAM arena),
#      beside glibc malloc/free of the same sizes and an xv6-style free list;
#   2. in-kernel TSC cycles per pair (the bench_page_alloc monitor command,
#      booted under QEMU, both builds);
#   3. boot time to the prompt ("kernel init took X ms") at 128 MiB, 4 GiB
#      and 16 GiB (x86_64, q35).
#
# Usage: tools/bench/bench.sh [--host-only] [--no-boot-time]
# Needs valgrind, qemu and the kernels (make kernel; make ARCH=i386 kernel).
# Under TCG, cycles and boot times measure the emulator as much as the code.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=build/bench
mkdir -p "$OUT"
HOST_ONLY=0
BOOT_TIME=1
for a in "$@"; do
	case $a in
	--host-only) HOST_ONLY=1 ;;
	--no-boot-time) BOOT_TIME=0 ;;
	*) echo "usage: $0 [--host-only] [--no-boot-time]" >&2; exit 2 ;;
	esac
done

ITERS=${ITERS:-20000}

# ---- 1. callgrind -------------------------------------------------------------
gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Itests/host/include -Iinclude tools/bench/bench_buddy.c -o "$OUT/bench_buddy"

. tools/bench/lib.sh

declare -A IR
for b in pcp_order0 buddy_order0 get_free_page order3 order9 malloc_4k malloc_32k malloc_2m kalloc; do
	IR[$b]=$(ir_per_op "$OUT/bench_buddy" "$b" "$ITERS")
done

# ---- 2. in-kernel TSC cycles ---------------------------------------------------
declare -A CYC
if [ $HOST_ONLY = 0 ]; then
	for arch in x86_64 i386; do
		log="$OUT/tsc-$arch.log"
		boot_log $arch pc 128M 'moncmd=bench_page_alloc,exit' "$log" || true
		for k in order0_pcp order0_buddy order3 order9; do
			CYC[$arch.$k]=$(sed -n "s/.*bench_page_alloc: $k \([0-9]*\) cycles.*/\1/p" "$log" | tr -d '\r')
			CYC[$arch.$k]=${CYC[$arch.$k]:-?}
		done
	done
fi

# ---- 3. boot time ---------------------------------------------------------------
declare -A BOOT
if [ $HOST_ONLY = 0 ] && [ $BOOT_TIME = 1 ]; then
	for mem in 128M 4G 16G; do
		log="$OUT/boot-$mem.log"
		boot_log x86_64 q35 $mem 'moncmd=exit' "$log" || true
		BOOT[$mem]=$(sed -n 's/.*kernel init took \([0-9.]*\) ms.*/\1/p' "$log" | tr -d '\r')
		BOOT[$mem]=${BOOT[$mem]:-?}
	done
fi

# ---- the table -------------------------------------------------------------------
row() { printf '%-34s %14s %14s %14s\n' "$@"; }
echo
echo "Page allocator, one alloc+free pair per operation"
row "operation" "host instr" "x86_64 cycles" "i386 cycles"
row "---------" "----------" "-------------" "-----------"
row "alloc_page/__free_page (per-CPU)" "${IR[pcp_order0]}" "${CYC[x86_64.order0_pcp]:--}" "${CYC[i386.order0_pcp]:--}"
row "order 0 via buddy lists (cold)" "${IR[buddy_order0]}" "${CYC[x86_64.order0_buddy]:--}" "${CYC[i386.order0_buddy]:--}"
row "__get_free_page/free_page" "${IR[get_free_page]}" "" ""
row "order 3 (split/merge)" "${IR[order3]}" "${CYC[x86_64.order3]:--}" "${CYC[i386.order3]:--}"
row "order 9 (split/merge)" "${IR[order9]}" "${CYC[x86_64.order9]:--}" "${CYC[i386.order9]:--}"
row "glibc malloc/free 4 KiB" "${IR[malloc_4k]}" "" ""
row "glibc malloc/free 32 KiB" "${IR[malloc_32k]}" "" ""
row "glibc malloc/free 2 MiB" "${IR[malloc_2m]}" "" ""
row "xv6 kalloc/kfree (floor)" "${IR[kalloc]}" "" ""
echo "(host: callgrind Ir inside the loop / $ITERS iterations; cycles: rdtsc under QEMU TCG;"
echo " glibc 2 MiB may be mmap/munmap: syscalls are not counted by callgrind)"
if [ $HOST_ONLY = 0 ] && [ $BOOT_TIME = 1 ]; then
	echo
	echo "Boot to the prompt, x86_64 q35 (kernel init took, TSC)"
	row "memory" "ms" "" ""
	for mem in 128M 4G 16G; do
		row "$mem" "${BOOT[$mem]}" "" ""
	done
fi

# The slab allocator's table, when its script is there (tools/bench/slab_bench.sh).
if [ -f tools/bench/slab_bench.sh ]; then
	echo
	bash tools/bench/slab_bench.sh $([ $HOST_ONLY = 1 ] && echo --host-only) ||
		echo "tools/bench/slab_bench.sh failed (status $?)"
fi
