"""The quick group covers every subsystem once for each build, and start
order is longest first: the manifest's coverage rule (manifest.quick_gaps)
on the real manifest and on small ones, and durations' ordering.

Run by run.sh, or alone:  python3 -m unittest discover -s tools/ktest/selftest
"""

import os
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import durations  # noqa: E402
import manifest  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def load(text):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.ini")
        with open(path, "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(text))
        return manifest.load(path)


class QuickCoverage(unittest.TestCase):
    def test_real_manifest_has_a_quick_test_per_subsystem_and_build(self):
        # A new suite must put one of its tests in quick for each build it
        # runs on: this is what fails if it forgets.
        specs = manifest.load(os.path.join(REPO, "tests", "manifest.ini"))
        self.assertEqual(manifest.quick_gaps(specs), [])

    def test_a_build_without_quick_member_is_a_gap(self):
        specs = load("""
            [blk.x86_64]
            arch = x86_64
            groups = block quick
            [blk.i386]
            arch = i386
            groups = block
            """)
        self.assertEqual(manifest.quick_gaps(specs),
                         ["group block has no quick test for i386 "
                          "(e.g. blk.i386)"])

    def test_the_area_stands_in_for_a_missing_subsystem_group(self):
        specs = load("""
            [oops.x86_64.null]
            arch = x86_64
            groups = panic
            [host.thing]
            kind = host
            command = true
            [lab3.x86_64]
            arch = x86_64
            groups = lab3
            """)
        # oops has no subsystem group, so its area counts; host, lab3 and
        # panic are not subsystems.
        self.assertEqual(manifest.quick_gaps(specs),
                         ["group oops has no quick test for x86_64 "
                          "(e.g. oops.x86_64.null)"])

    def test_skipped_tests_need_no_quick_member(self):
        specs = load("""
            [pci.i386]
            arch = i386
            groups = pci
            skip = not yet
            """)
        self.assertEqual(manifest.quick_gaps(specs), [])


class LongestFirst(unittest.TestCase):
    def test_unknown_first_then_longest_ties_in_manifest_order(self):
        specs = load("""
            [a]
            arch = i386
            [b]
            arch = i386
            [c]
            arch = i386
            [d]
            arch = i386
            [e]
            arch = i386
            """)
        known = {"a": 1.0, "b": 9.0, "d": 1.0, "e": 3.0}
        order = [specs[i].name for i in durations.longest_first(specs, known)]
        self.assertEqual(order, ["c", "b", "e", "a", "d"])

    def test_times_merge_across_runs(self):
        class Out:
            def __init__(self, name, verdict, seconds):
                self.name, self.verdict, self.seconds = name, verdict, seconds
        with tempfile.TemporaryDirectory() as d:
            durations.save(d, [Out("a", "PASS", 2.0), Out("b", "FAIL", 5.0)])
            durations.save(d, [Out("a", "PASS", 3.0), Out("c", "SKIP", 0.0)])
            self.assertEqual(durations.load(d), {"a": 3.0, "b": 5.0})

    def test_a_broken_file_is_ignored(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, durations.FILE), "w") as f:
                f.write("{not json")
            self.assertEqual(durations.load(d), {})


if __name__ == "__main__":
    unittest.main()
