# tools/bench/callgrind.sh - sourced by the bench scripts.
#
# ir_per_op BINARY NAME ITERS: run `BINARY NAME ITERS` under callgrind,
# counting instructions only inside the function bench_NAME (the measured
# loop), and print the count divided by ITERS. Logs go to $OUT.

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
