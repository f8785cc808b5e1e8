#!/usr/bin/env bash
# tools/bench/all.sh - every benchmark, one table after another: what
# `make bench` runs. Figures, never verdicts (docs/performance.md keeps the
# latest ones with the date and the machine). Expects the three kernels built
# (x86_64, i386, i386-pae: make bench builds them).
set -euo pipefail
cd "$(dirname "$0")/../.."

section() { printf '\n== %s ==\n' "$1"; }

section "machine"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "$(qemu-system-x86_64 --version | head -1), TCG (no KVM)"

section "page allocator, slab and boot time (tools/bench/bench.sh)"
bash tools/bench/bench.sh

for arch in x86_64 i386; do
	section "vmalloc vs. __get_free_pages vs. kmalloc, $arch (tools/bench/vm_bench.sh)"
	NO_BUILD=1 bash tools/bench/vm_bench.sh "$arch"
done

for arch in i386 i386-pae x86_64; do
	section "kmap_local / kmap vs. page_address, $arch (tools/bench/kmap_bench.sh)"
	NO_BUILD=1 bash tools/bench/kmap_bench.sh "$arch"
done

for arch in x86_64 i386; do
	section "per-CPU allocator throughput and TLB shootdown with 1, 2, 4 CPUs, $arch (tools/bench/smp_bench.sh)"
	NO_BUILD=1 bash tools/bench/smp_bench.sh "$arch"
done

section "disk throughput (tools/bench/disk_bench.py)"
mkdir -p build/bench
python3 tools/bench/disk_bench.py --save build/bench/pagoda-peer.txt

section "user mode: system calls, switches, faults, x86_64 (tools/bench/user_bench.sh, user/bin/ubench.c)"
bash tools/bench/user_bench.sh x86_64 build/bench/pagoda-peer.txt ||
	echo "(no user-mode rows: tools/bench/user_bench.sh failed)"
section "user mode, i386 (the same program, int \$0x80)"
bash tools/bench/user_bench.sh i386 || echo "(i386 user-mode rows failed)"

# Linux on the same QEMU machine, then each Pagoda row beside Linux's. The
# Linux side skips itself (status 3) when Debian's kernel cannot be fetched;
# any failure of it leaves a '-' column, not a failed bench.
section "Linux side by side (tools/bench/linux/run.sh, tools/bench/side_by_side.py)"
rm -f build/bench/linux-peer.txt
bash tools/bench/linux/run.sh build/bench/linux-peer.txt >/dev/null ||
	echo "(no Linux column: tools/bench/linux/run.sh exited with status $?)"
python3 tools/bench/side_by_side.py build/bench/pagoda-peer.txt build/bench/linux-peer.txt

section "QEMU start to monitor prompt (tools/bench/boot_time.py)"
python3 tools/bench/boot_time.py --runs 3
