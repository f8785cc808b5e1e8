#!/bin/sh
# gen_ext2.sh - the seed of fuzz_ext2: one small real ext2 image made by the
# host's mke2fs -d (1 KiB blocks, 128-byte inodes, dir_index by e2fsck -D):
# a file through a single indirect block, a sparse file through a double
# one, fast and slow symlinks, a link loop, an indexed directory. Written without its
# trailing zero blocks (fuzz_ext2 reads past the input as zeros), so the
# corpus stays small. Run from anywhere; rewrites corpus/ext2/small-1k.
set -e
here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export E2FSPROGS_FAKE_TIME=1700000000 E2FSCK_TIME=1700000000
mkdir -p "$t/s/dir/sub"
printf 'hello\n' > "$t/s/hello"
python3 -c 'import sys; sys.stdout.write("".join(chr(97 + i % 26) for i in range(13 * 1024 + 5)))' > "$t/s/indirect"
ln -s hello "$t/s/fast"
ln -s dir/sub/../sub/../../dir/sub/../../dir/sub/../../dir/sub/../../hello "$t/s/slow"
ln -s /dir/sub "$t/s/dir/up"
ln -s loop "$t/s/loop"
i=0
while [ $i -lt 40 ]; do : > "$t/s/dir/file-with-a-name-$i"; i=$((i + 1)); done
truncate -s 300000 "$t/s/sparse"
printf 'x' >> "$t/s/sparse"
find "$t/s" -exec touch -h -d @1700000000 {} +
mke2fs -q -F -t ext2 -b 1024 -I 128 -N 64 -m 0 -O ^resize_inode -U 5a5a5a5a-0000-4000-8000-000000000016 -E hash_seed=5a5a5a5a-0000-4000-8000-000000000061 -d "$t/s" "$t/img" 128k >/dev/null 2>&1
e2fsck -fyD "$t/img" >/dev/null 2>&1 || true
e2fsck -fn "$t/img" >/dev/null 2>&1
mkdir -p "$here/ext2"
python3 - "$t/img" "$here/ext2/small-1k" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
# mke2fs copies each file's ctime, which the host cannot set: make it the
# mtime, so that the seed is the same bytes on every run
inodes, = struct.unpack_from("<I", b, 1024)
table, = struct.unpack_from("<I", b, 2048 + 8)
for i in range(inodes):
    at = table * 1024 + i * 128
    struct.pack_into("<I", b, at + 12, struct.unpack_from("<I", b, at + 16)[0])
end = len(b)
while end > 0 and not any(b[end - 1024:end]):
    end -= 1024
open(sys.argv[2], "wb").write(b[:end])
PY
