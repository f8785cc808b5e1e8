"""Unit tests of tools/bench/side_by_side.py, the pairing of Pagoda's bench
figures with Linux's: parsing the result lines, the cells and the ratio.
Pure functions only; no figure is asserted about any machine.

Run by run.sh, or alone:  python3 -m unittest discover -s tools/ktest/selftest
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))

import disk_bench  # noqa: E402
import side_by_side as sbs  # noqa: E402


class Parse(unittest.TestCase):
    def test_keeps_only_its_side(self):
        lines = ["PAGODA disk.4K.mbs 43.74 MB/s", "LINUX disk.4K.mbs 14.80 MB/s",
                 "[    1.0] LINUX boot noise", "LINUX-ERROR modprobe x", "LINUX bad notanumber x", ""]
        self.assertEqual(sbs.parse(lines, "PAGODA"), {"disk.4K.mbs": 43.74})
        self.assertEqual(sbs.parse(lines, "LINUX"), {"disk.4K.mbs": 14.80})


class Cells(unittest.TestCase):
    row = sbs.throughput("disk read 4 KiB", "MB/s", "disk.4K.mbs", "disk.4K.mbs")

    def test_ratio_is_pagoda_over_linux(self):
        self.assertEqual(sbs.cells(self.row, {"disk.4K.mbs": 45.0}, {"disk.4K.mbs": 15.0}),
                         ("45.0", "15.0", "3.00"))

    def test_missing_side_is_a_dash_and_no_ratio(self):
        self.assertEqual(sbs.cells(self.row, {}, {"disk.4K.mbs": 15.0}), ("-", "15.0", "-"))
        self.assertEqual(sbs.cells(self.row, {"disk.4K.mbs": 45.0}, {}), ("45.0", "-", "-"))

    def test_linux_zero_gives_no_ratio(self):
        self.assertEqual(sbs.cells(self.row, {"disk.4K.mbs": 45.0}, {"disk.4K.mbs": 0.0})[2], "-")

    def test_pending_pagoda_row_names_its_issue(self):
        row = sbs.cost("null system call", "cycles", "sys.null_syscall", pending="issue 14")
        self.assertEqual(sbs.cells(row, {"sys.null_syscall": 5.0}, {"sys.null_syscall": 2235.24}),
                         ("n/a (issue 14)", "2235", "-"))

    def test_number_precision_follows_size(self):
        self.assertEqual([sbs.number(v) for v in (0.1234, 12.345, 1234.5)], ["0.12", "12.3", "1234"])


class Table(unittest.TestCase):
    def test_one_line_per_row_with_the_row_cells(self):
        rows = [sbs.throughput("a", "MB/s", "k", "k"), sbs.cost("b", "cycles", "c", pending="issue 9")]
        lines = sbs.table(rows, {"k": 10.0}, {"k": 20.0, "c": 300.0})
        self.assertEqual(lines[1].split(), ["a", "MB/s", "higher", "10.0", "20.0", "0.50"])
        self.assertEqual(lines[2].split(), ["b", "cycles", "lower", "n/a", "(issue", "9)", "300.0", "-"])

    def test_every_linux_key_is_one_peer_c_prints(self):
        with open(os.path.join(os.path.dirname(sbs.__file__), "linux", "peer.c")) as f:
            peer = f.read()
        for row in sbs.ROWS:
            # disk keys are built from the size name: "disk.%s.mbs" with "4K".
            key = row.linux if not row.linux.startswith("disk.") else "disk.%s." + row.linux.split(".")[2]
            self.assertIn(f'"{key}"', peer, row.label)
            self.assertTrue(row.pagoda or row.pending, f"{row.label}: neither a Pagoda key nor an issue")


class PagodaDiskLines(unittest.TestCase):
    def test_dbench_lines_become_the_keys_the_rows_name(self):
        log = "\n".join(
            f"dbench {disk}: 33554432 bytes in 10.000 ms with {size}-byte reads, queue depth {qd}: "
            f"{mbs} MB/s, {iops} IOPS (at most {qd} in flight)"
            for disk, size, qd, mbs, iops in [("sda", 4096, 1, "43.74", 10679), ("sda", 4194304, 1, "1934.12", 461),
                                              ("sda", 4096, 32, "110.32", 26934), ("ram0", 65536, 1, "583.31", 8900)])
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"sbs-test-{os.getpid()}.txt")
        try:
            disk_bench.save(path, disk_bench.LINE.findall(log))
            with open(path) as f:
                got = sbs.parse(f.read().splitlines(), "PAGODA")
        finally:
            os.unlink(path)
        self.assertEqual(got, {"disk.4K.mbs": 43.74, "disk.4K.iops": 10679.0,
                               "disk.4M.mbs": 1934.12, "disk.4M.iops": 461.0})
        self.assertTrue({"disk.4K.mbs", "disk.4M.iops"} <= {r.pagoda for r in sbs.ROWS})


if __name__ == "__main__":
    unittest.main()
