#!/bin/busybox sh
# shellcheck shell=dash
# /init of the Linux peer's initramfs (tools/bench/linux/initramfs.sh puts it
# there): load the disk and file-system modules, run tools/bench/linux/peer.c
# on the raw disk of the first AHCI port (as Pagoda's dbench reads its sda)
# and on an ext2 file system on the second, then power off. Everything the
# runner reads is a "LINUX ..." line on the console; "LINUX-DONE" says the
# run went to the end.
/bin/busybox --install -s /bin
mkdir -p /sbin && ln -s /bin/modprobe /sbin/modprobe   # the kernel's request_module()
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /modules.load); do   # one line of names
	modprobe "$m" || echo "LINUX-ERROR modprobe $m"
done
# The disks appear once libata has probed the ports; which one becomes sda
# is probe order, so each is found by its AHCI port: 1 is the raw disk the
# disk rows read (Pagoda's sda), 2 the one that gets ext2.
on_port() {
	for b in /sys/block/sd*; do
		case $(readlink -f "$b") in */ata$1/*) echo "/dev/${b##*/}" ;; esac
	done
}
for _ in $(seq 100); do
	raw=$(on_port 1) fs=$(on_port 2)
	[ -b "$raw" ] && [ -b "$fs" ] && break
	sleep 0.1
done
echo "LINUX boot.uptime $(cut -d' ' -f1 /proc/uptime) s"
# What the figures depend on, for the reader of build/linux-peer/console.log.
echo "LINUX-INFO $(uname -r), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource), disks: $raw raw, $fs ext2"
q=/sys/block/${raw#/dev/}/queue
echo "LINUX-INFO $raw: max_sectors_kb $(cat "$q/max_sectors_kb") (hw $(cat "$q/max_hw_sectors_kb")), nr_requests $(cat "$q/nr_requests"), scheduler $(cat "$q/scheduler")"
for f in /sys/devices/system/cpu/vulnerabilities/*; do
	echo "LINUX-INFO ${f##*/}: $(cat "$f")"
done

/bin/peer sys
/bin/peer disk "$raw" "$(cat /disk.bytes)"
if mke2fs -q -b 4096 "$fs" >/dev/null && mount -t ext2 "$fs" /mnt; then
	/bin/peer fs /mnt
	umount /mnt
else
	echo "LINUX-ERROR no ext2 on $fs"
fi
echo LINUX-DONE
poweroff -f
