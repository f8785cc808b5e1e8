#!/usr/bin/env bash
# tools/bench/smp_bench.sh [ARCH] - boot Pagoda with 1, 2 and 4 CPUs, under
# QEMU's multi-threaded TCG (one host thread per vCPU) and single-threaded
# TCG (one host thread for all vCPUs, round robin), and run the monitor's
# bench_smp: order-0 alloc/free and kmalloc(64)/kfree operations per second
# per CPU with 1, 2, 4 CPUs working at once, a spinlock pair, and the cycles
# of one TLB shootdown. LOCK_DEBUG=1 boots with lock_debug. Builds first
# unless NO_BUILD=1.
set -euo pipefail

arch=${1:-x86_64}
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
[ "${NO_BUILD:-0}" = 1 ] || make -s ARCH="$arch" kernel

. tools/bench/lib.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
extra=""
mhz=$(awk -F: '/^cpu MHz/ { print $2 + 0; exit }' /proc/cpuinfo)
echo "host TSC ${mhz} MHz (TCG's rdtsc counts host TSC cycles)"
[ "${LOCK_DEBUG:-0}" = 1 ] && extra=" lock_debug"

for mode in multi single; do
	for smp in ${SMP_LIST:-1 2 4}; do
		log="$work/serial.$mode.$smp.log"
		status=0
		boot_log "$arch" pc 128M "moncmd=bench_smp,exit$extra" "$log" -smp "$smp" \
			-accel "tcg,thread=$mode" || status=$?
		if [ "$status" -ne 0 ]; then
			echo "smp_bench: $arch -smp $smp thread=$mode: QEMU exited with $status (0 expected); log:" >&2
			tail -20 "$log" >&2
			exit 1
		fi
		# cycles/op -> operations per second per CPU at the host's TSC rate
		grep '^bench_smp:' "$log" | sed "s/^bench_smp: /$arch smp=$smp tcg-thread=$mode: /" |
			awk -v mhz="$mhz" '/cycles\/op/ { printf "%s  => mean %.2f M ops/s per CPU\n", $0, mhz / $NF; next } { print }'
	done
done
