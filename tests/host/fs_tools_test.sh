#!/usr/bin/env bash
# host.fs_tools: the host tools the file-system boot tests use.
# tools/fstree.py: the same seed gives the same tree and manifest, another
# seed another; `make disk` of the tree keeps what the tree is for (the
# sparse file's holes, the double-indirect file) and debugfs reads every
# file back with the manifest's cksum. tools/ext2_corrupt.py: every copy
# is one e2fsck finds broken, the original is untouched, and cases.txt
# names each (the library's side is in test_ext2_limits.c).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/sbin:/usr/sbin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }

python3 tools/fstree.py --seed 5 "$work/t1" >/dev/null
python3 tools/fstree.py --seed 5 "$work/t2" >/dev/null
python3 tools/fstree.py --seed 6 "$work/t3" >/dev/null
cmp -s "$work/t1.cksum" "$work/t2.cksum" || say "seed 5 twice: different manifests"
cmp -s "$work/t1.cksum" "$work/t3.cksum" && say "seeds 5 and 6: the same manifest"
diff -r --no-dereference "$work/t1" "$work/t2" >/dev/null || say "seed 5 twice: different trees"
[ "$(wc -l <"$work/t1.cksum")" -ge 310 ] || say "the manifest has $(wc -l <"$work/t1.cksum") lines"
[ -e "$work/t1/deep/d1/d2/d3/d4/d5/d6/d7/d8/leaf" ] || say "no 8-level directory"
[ "$(ls "$work/t1/wide" | wc -l)" = 300 ] || say "wide does not hold 300 entries"
[ -e "$work/t1/$(printf 'n%.0s' $(seq 255))" ] || say "no 255-byte name"
[ "$(readlink "$work/t1/link")" = sizes/size-1 ] || say "no symlink"

img="$work/t1.img"
make -s --no-print-directory disk DIR="$work/t1" IMG="$img" SIZE=4M BLOCK=1024 >/dev/null
# every file through debugfs, against the manifest
while read -r crc size path; do
	got=$(debugfs -R "cat \"/$path\"" "$img" 2>/dev/null | cksum)
	[ "$got" = "$crc $size" ] || { say "/$path: debugfs gives $got, the manifest $crc $size"; break; }
done <"$work/t1.cksum"
blocks=$(debugfs -R "stat /sparse" "$img" 2>/dev/null | sed -n 's/.*Blockcount: \([0-9]*\).*/\1/p')
[ "$blocks" -lt 40 ] || say "/sparse has $blocks sectors: its holes were filled"
debugfs -R "stat /sizes/double" "$img" 2>/dev/null | grep -q "(DIND)" || say "/sizes/double has no double indirect block"
debugfs -R "stat /sizes/single" "$img" 2>/dev/null | grep -q "(IND)" || say "/sizes/single has no indirect block"

sum=$(md5sum <"$img")
python3 tools/ext2_corrupt.py "$img" "$work/bad" >/dev/null
[ "$(md5sum <"$img")" = "$sum" ] || say "ext2_corrupt.py changed its input"
n=0
while read -r name what; do
	n=$((n + 1))
	[ -f "$work/bad/$name.img" ] || { say "no $name.img"; continue; }
	if e2fsck -fn "$work/bad/$name.img" >/dev/null 2>&1; then say "$name: e2fsck finds nothing wrong"; fi
	case "$what" in
	mount | "read /"* | "readdir /"*) ;;
	*) say "$name: what to expect is '$what'" ;;
	esac
done <"$work/bad/cases.txt"
[ "$n" = 9 ] || say "cases.txt lists $n cases"
[ "$fail" = 0 ] && echo "PASS fs tools"
exit "$fail"
