#!/usr/bin/env bash
# host.make_disk: `make disk` turns a host directory into an ext2 image the
# host's own tools accept (e2fsck -fn clean, debugfs reads back every file
# byte for byte) and refuses bad arguments with a usage line and status 2.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/sbin:/usr/sbin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tree/dir/deeper"
printf 'hello\n' >"$work/tree/hello.txt"
: >"$work/tree/empty"
head -c 300000 /dev/urandom >"$work/tree/dir/random.bin"
printf '%s\n' "a file two levels down" >"$work/tree/dir/deeper/note"
fail=0
for block in 1024 4096; do
	img="$work/disk-$block.img"
	make -s --no-print-directory disk DIR="$work/tree" IMG="$img" SIZE=4M BLOCK="$block" >/dev/null
	e2fsck -fn "$img" >/dev/null 2>&1 || { echo "FAIL: e2fsck on the $block-byte image"; fail=1; }
	[ "$(dumpe2fs -h "$img" 2>/dev/null | awk -F: '/^Block size/ {gsub(/ /, "", $2); print $2}')" = "$block" ] ||
		{ echo "FAIL: the image's block size is not $block"; fail=1; }
	for f in hello.txt empty dir/random.bin dir/deeper/note; do
		if ! debugfs -R "cat /$f" "$img" 2>/dev/null | cmp -s - "$work/tree/$f"; then
			echo "FAIL: /$f differs in the $block-byte image"
			fail=1
		fi
	done
done
for bad in "" "DIR=$work/nowhere IMG=$work/x.img" "DIR=$work/tree IMG=$work/x.img BLOCK=3000"; do
	set +e
	# shellcheck disable=SC2086  # the arguments are words on purpose
	out=$(make -s --no-print-directory disk $bad 2>&1)
	s=$?
	set -e
	if [ "$s" -eq 0 ] || ! grep -q "make disk\|usage: make disk" <<<"$out"; then
		echo "FAIL: 'make disk $bad' exited $s: $out"
		fail=1
	fi
done
[ "$fail" -eq 0 ] && echo "PASS make disk: two block sizes, every file read back by debugfs, three refusals"
exit "$fail"
