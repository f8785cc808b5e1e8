#!/usr/bin/env bash
# tools/bench/user_bench.sh [ARCH] [RESULTS] - the user-mode rows of `make bench`:
# boots Pagoda with init=/bin/ubench (user/bin/ubench.c) on the QEMU machine
# the Linux peer uses (q35, 256 MiB, one CPU: tools/bench/linux/run.sh), then
# init=/bin/ipcbench on one and on two CPUs, prints their
# "PAGODA <key> <value> cycles" lines and, given RESULTS, appends them
# there for tools/bench/side_by_side.py; then /bin/blk bench with a disk
# (the block service from user space), through the kernel back end and
# through ahcid (blk=user). Figures, never a verdict.
set -euo pipefail
cd "$(dirname "$0")/../.."
arch=${1:-x86_64}
results=${2:-}
qemu=qemu-system-x86_64
[ "$arch" = x86_64 ] || qemu=qemu-system-i386
dir=build/$arch
[ "$arch" = i386-pae ] && dir=build/i386-pae
log=$(mktemp)
img=$(mktemp)
trap 'rm -f "$log" "$img"' EXIT

# boot INIT SMP LASTKEY: one boot with init=INIT on SMP CPUs; its PAGODA
# lines out (and into RESULTS); fails if LASTKEY never came.
# DISK (if set): a raw image attached to q35's AHCI port 0.
boot() {
	local status=0
	timeout 300 "$qemu" -M q35 -m 256M -smp "$2" -no-reboot -nodefaults -display none \
		${CPU:+-cpu $CPU} -kernel "$dir/kernel.elf" -initrd "$dir/initramfs.cpio" \
		-append "init=$1" -serial stdio \
		${DISK:+-drive file=$DISK,if=none,id=d0,format=raw -device ide-hd,drive=d0,bus=ide.0} \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null >"$log" 2>&1 || status=$?
	tr -d '\r' <"$log" | grep -E '^PAGODA ' | tee ${results:+-a "$results"} || true
	if tr -d '\r' <"$log" | grep -E '^PAGODA-ERROR'; then
		return 1
	fi
	if ! tr -d '\r' <"$log" | grep -q "$3"; then
		echo "user_bench: $1 did not finish (QEMU status $status); the console said:" >&2
		tail -20 "$log" >&2
		return 1
	fi
}

boot /bin/ubench 1 'sys.mmap_munmap_64k'
# IPC (user/bin/ipcbench.c): call + reply on one CPU (the row beside Linux's
# pipe round trip), then with the server on the second CPU.
boot /bin/ipcbench 1 'sys.pipe_stream_4k.mbs'
boot /bin/ipcbench 2 'sys.pipe_stream_4k.mbs'
# The block service from a user program (user/bin/blk.c `blk bench`): 4 KiB
# and 1 MiB reads at queue depth 1 through the kernel back end, beside
# disk_bench.py's in-kernel dbench rows. blk as init opens disk 1 (sda;
# ram0 is disk 0) through the device root.
python3 tools/disk_pattern.py make "$img" 64
DISK=$img boot "/bin/blk -- bench blk1" 1 'blk.user_kernel_1M.mbs'
# The same through the AHCI driver as a user-space server: the whole user
# space boots (init, consd, ahcid under blk=user) and init runs `blk bench`
# on the "blk0" it hands out, instead of the shell.
DISK=$img boot "/bin/init blk=user -- --run /bin/blk bench blk0" 1 'blk.user_user_1M.mbs'
# The file system (user/bin/fsbench.c): a fresh 128 MiB ext2 image with
# 4 KiB blocks as sda, mounted by init at /mnt/sda with a 96 MiB block cache
# (init --cache-kb: the 64 MiB file fits, as it fits Linux's page cache),
# the rows Linux's peer measures on the same image size (run_fs): 64 MiB
# written + fsync, read cold (after FS_PRIVATE_DROP) and cached, 1000
# small files created + sync and read cold. init unmounts it before power
# off; e2fsck judges what was written.
rm -f "$img" && truncate -s 128M "$img" && mkfs.ext2 -q -F -b 4096 "$img"
DISK=$img boot "/bin/init -- --cache-kb 98304 --run /bin/fsbench /mnt/sda" 1 'fs.read_1000x4K_cold.us'
e2fsck -fn "$img" >/dev/null 2>&1 || echo "user_bench: e2fsck -fn found problems in fsbench's image" >&2
