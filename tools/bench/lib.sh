# tools/bench/lib.sh - sourced by the bench scripts (run from the repo root).
#
# ir_per_op BINARY NAME ITERS: run `BINARY NAME ITERS` under callgrind,
# counting instructions only inside the function bench_NAME (the measured
# loop), and print the count divided by ITERS. Logs go to $OUT.
#
# boot_log ARCH MACHINE MEM CMDLINE LOG [QEMU ARGS...]: boot build/ARCH's
# kernel (ARCH: x86_64, i386 or i386-pae, the PAE build) under QEMU with
# CMDLINE (split at spaces into words), COM1 into LOG; returns QEMU's exit status
# (33: a passing ktest run, 0: the monitor's `exit`).

ir_per_op() {
	local bin=$1 name=$2 iters=$3
	local tag
	tag=$(basename "$bin").$name
	valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$tag" \
		--toggle-collect="bench_$name" "$bin" "$name" "$iters" \
		>"$OUT/callgrind.$tag.log" 2>&1 || { cat "$OUT/callgrind.$tag.log" >&2; exit 1; }
	local total
	total=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$OUT/callgrind.$tag.log")
	awk -v t="$total" -v n="$iters" 'BEGIN { printf "%.1f", t / n }'
}

boot_log() {
	local arch=$1 machine=$2 mem=$3 cmdline=$4 log=$5
	shift 5
	# shellcheck disable=SC2086 # CMDLINE words become kernel command-line words
	bash tools/mkiso.sh "build/$arch/kernel.elf" "$log.iso" $cmdline >/dev/null 2>&1
	local status=0 qemu="qemu-system-$arch"
	# i386-pae is the i386 machine with the PAE kernel, on a CPU with NX.
	[ "$arch" = i386-pae ] && set -- -cpu max "$@" && qemu=qemu-system-i386
	timeout 300 "$qemu" -M "$machine" -m "$mem" -cdrom "$log.iso" -nodefaults \
		-display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" \
		-serial "file:$log" >/dev/null 2>&1 || status=$?
	rm -f "$log.iso"
	return $status
}
