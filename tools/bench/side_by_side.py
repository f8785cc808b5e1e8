#!/usr/bin/env python3
"""Pagoda beside Linux: one row per operation, Pagoda's figure, Linux's
figure on the same QEMU machine (tools/bench/linux/), and their ratio.

    tools/bench/side_by_side.py PAGODA_RESULTS LINUX_RESULTS

Each results file holds lines "<SIDE> <key> <value> <unit>" (SIDE is PAGODA
or LINUX; other lines are ignored): tools/bench/disk_bench.py --save writes
Pagoda's, tools/bench/linux/run.sh Linux's. A missing file is an empty side.

ROWS below is the pairing. When Pagoda learns to measure an operation, its
benchmark prints the key and the row's `pagoda` names it: one line changes.
Figures, never a verdict.
"""
import sys
from collections import namedtuple

# label, unit, Linux's key, Pagoda's key (or None), why Pagoda has none yet,
# and whether a larger figure is the better one.
Row = namedtuple("Row", "label unit linux pagoda pending higher_is_better")


def throughput(label, unit, linux, pagoda=None, pending=None):
    return Row(label, unit, linux, pagoda, pending, True)


def cost(label, unit, linux, pagoda=None, pending=None):
    return Row(label, unit, linux, pagoda, pending, False)


ROWS = [
    throughput("disk read 4 KiB, QD1", "MB/s", "disk.4K.mbs", "disk.4K.mbs"),
    throughput("disk read 4 KiB, QD1", "IOPS", "disk.4K.iops", "disk.4K.iops"),
    throughput("disk read 64 KiB, QD1", "MB/s", "disk.64K.mbs", "disk.64K.mbs"),
    throughput("disk read 64 KiB, QD1", "IOPS", "disk.64K.iops", "disk.64K.iops"),
    throughput("disk read 1 MiB, QD1", "MB/s", "disk.1M.mbs", "disk.1M.mbs"),
    throughput("disk read 1 MiB, QD1", "IOPS", "disk.1M.iops", "disk.1M.iops"),
    throughput("disk read 4 MiB, QD1", "MB/s", "disk.4M.mbs", "disk.4M.mbs"),
    throughput("disk read 4 MiB, QD1", "IOPS", "disk.4M.iops", "disk.4M.iops"),
    throughput("disk 4 KiB QD1, user prog., blk=kernel", "IOPS", "disk.4K.iops", "blk.user_kernel_4K.iops"),
    throughput("disk 1 MiB QD1, user prog., blk=kernel", "MB/s", "disk.1M.mbs", "blk.user_kernel_1M.mbs"),
    throughput("disk 4 KiB QD1, user prog., ahcid", "IOPS", "disk.4K.iops", "blk.user_user_4K.iops"),
    throughput("disk 1 MiB QD1, user prog., ahcid", "MB/s", "disk.1M.mbs", "blk.user_user_1M.mbs"),
    cost("null system call round trip", "cycles", "sys.null_syscall", "sys.null_syscall"),
    cost("switch between two processes (yield)", "cycles", "sys.yield_switch", "sys.yield_switch"),
    cost("fork + exit + wait", "cycles", "sys.fork_exit_wait", "sys.fork_exit_wait"),
    cost("first-touch fault, per page", "cycles", "sys.anon_fault", "sys.anon_fault"),
    cost("copy-on-write fault, per page", "cycles", "sys.cow_fault", "sys.cow_fault"),
    cost("mmap + munmap 64 KiB", "cycles", "sys.mmap_munmap_64k", "sys.mmap_munmap_64k"),
    cost("IPC round trip (Linux: pipe)", "cycles", "sys.pipe_round_trip", "sys.ipc_round_trip"),
    cost("IPC round trip, 4 KiB copied (pipe)", "cycles", "sys.pipe_round_trip_4k", "sys.ipc_round_trip_4k"),
    cost("IPC round trip, 4 KiB page lent", "cycles", "sys.pipe_round_trip_4k", "sys.ipc_round_trip_lend"),
    cost("IPC round trip, 4 KiB lent + mapped", "cycles", "sys.pipe_round_trip_4k", "sys.ipc_round_trip_lend_map"),
    cost("pipe round trip (kernel pipe, 1 byte)", "cycles", "sys.pipe_round_trip", "sys.pipe_round_trip"),
    cost("pipe round trip, 4 KiB there", "cycles", "sys.pipe_round_trip_4k", "sys.pipe_round_trip_4k"),
    throughput("pipe, 16 MiB one way in 4 KiB writes", "MB/s", "sys.pipe_stream_4k.mbs", "sys.pipe_stream_4k.mbs"),
    throughput("64 MiB file, write + fsync", "MB/s", "fs.write_sync_64M.mbs", "fs.write_sync_64M.mbs"),
    throughput("64 MiB file, sequential read, cold", "MB/s", "fs.read_64M_cold.mbs", "fs.read_64M_cold.mbs"),
    throughput("64 MiB file, sequential read, cached", "MB/s", "fs.read_64M_cached.mbs", "fs.read_64M_cached.mbs"),
    cost("create 1000 files of 4 KiB + sync", "us/file", "fs.create_1000x4K.us", "fs.create_1000x4K.us"),
    cost("read 1000 files of 4 KiB, cold", "us/file", "fs.read_1000x4K_cold.us", "fs.read_1000x4K_cold.us"),
]


def parse(lines, side):
    """{key: value} from the "<side> <key> <value> <unit>" lines."""
    figures = {}
    for line in lines:
        words = line.split()
        if len(words) >= 3 and words[0] == side:
            try:
                figures[words[1]] = float(words[2])
            except ValueError:
                pass
    return figures


def number(value):
    """A figure with as many decimals as its size deserves."""
    if value >= 1000:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def cells(row, pagoda, linux):
    """The Pagoda, Linux and ratio cells of one row."""
    if row.pagoda is None:
        p = f"n/a ({row.pending})" if row.pending else "n/a"
    else:
        p = pagoda.get(row.pagoda)
    l = linux.get(row.linux)
    ratio = "-"
    if isinstance(p, float) and l:
        ratio = f"{p / l:.2f}"
    return (number(p) if isinstance(p, float) else (p or "-"),
            number(l) if l is not None else "-", ratio)


def table(rows, pagoda, linux):
    lines = [f"{'operation':<38} {'unit':<8} {'better':<7} {'Pagoda':>16} {'Linux':>10} {'Pagoda/Linux':>13}"]
    for row in rows:
        p, l, ratio = cells(row, pagoda, linux)
        better = "higher" if row.higher_is_better else "lower"
        lines.append(f"{row.label:<38} {row.unit:<8} {better:<7} {p:>16} {l:>10} {ratio:>13}")
    lines.append("(disk: Pagoda's dbench on sda, Linux's O_DIRECT pread() of /dev/sda, 32 MiB each;")
    lines.append(" user program: blk bench through the block service, zero copy into a lent memory object;")
    lines.append(" cycles: rdtsc under the same TCG; '-': not measured in this run)")
    return lines


def read(path):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except OSError:
        return []


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    pagoda = parse(read(argv[0]), "PAGODA")
    linux = parse(read(argv[1]), "LINUX")
    print("\n".join(table(ROWS, pagoda, linux)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
