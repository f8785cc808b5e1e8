#!/bin/busybox sh
# /init of the Linux peer's initramfs (tools/bench/linux/initramfs.sh puts it
# there): load the disk and file-system modules, run tools/bench/linux/peer.c
# on /dev/sda (the raw disk, as Pagoda's dbench reads it) and on an ext2 file
# system on /dev/sdb, then power off. Everything the runner reads is a
# "LINUX ..." line on the console; "LINUX-DONE" says the run went to the end.
/bin/busybox --install -s /bin
mkdir -p /sbin && ln -s /bin/modprobe /sbin/modprobe   # the kernel's request_module()
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /modules.load); do
	modprobe "$m" || echo "LINUX-ERROR modprobe $m"
done
# The disks appear once libata has probed the ports.
for i in $(seq 50); do [ -b /dev/sda ] && [ -b /dev/sdb ] && break; sleep 0.1; done
echo "LINUX boot.uptime $(cut -d' ' -f1 /proc/uptime) s"

/bin/peer sys
/bin/peer disk /dev/sda "$(cat /disk.bytes)"
if mke2fs -q /dev/sdb && mount -t ext2 /dev/sdb /mnt; then
	/bin/peer fs /mnt
	umount /mnt
else
	echo "LINUX-ERROR no ext2 on /dev/sdb"
fi
echo LINUX-DONE
poweroff -f
