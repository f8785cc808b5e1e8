"""Unit tests of the runner's pure parts: KTAP parsing, verdicts, manifest.

Run by run.sh, or alone:  python3 -m unittest discover -s tools/ktest/selftest
"""

import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import judge  # noqa: E402
import ktap  # noqa: E402
import manifest  # noqa: E402


def doc(text):
    return textwrap.dedent(text).lstrip("\n")


GOOD = doc("""
    [    0.000] Pagoda booting
    KTAP version 1
    1..2
        KTAP version 1
        # Subtest: boot
        1..3
        ok 1 e820_first_last_word
        not ok 2 something
        # something: EXPECTATION FAILED at kernel/foo.c:12
    [    0.010] a kernel log line in the middle
        ok 3 skipped_case # SKIP needs q35
    ok 1 boot
        KTAP version 1
        # Subtest: printk
        1..1
        ok 1 widths
    ok 2 printk
    # ktest: 2 passed, 1 failed, 1 skipped
    """)


class KtapTest(unittest.TestCase):
    def test_good_document(self):
        r = ktap.parse(GOOD)
        self.assertEqual(r.errors, [])
        self.assertEqual((r.passed, r.failed, r.skipped), (2, 1, 1))
        self.assertEqual([c.name for c in r.cases],
                         ["boot.e820_first_last_word", "boot.something",
                          "boot.skipped_case", "printk.widths"])
        [bad] = r.failures
        self.assertEqual(bad.first_diagnostic(),
                         "something: EXPECTATION FAILED at kernel/foo.c:12")
        self.assertEqual(r.cases[2].directive, "SKIP needs q35")

    def test_crlf_line_endings(self):
        r = ktap.parse(GOOD.replace("\n", "\r\n"))
        self.assertEqual(r.errors, [])
        self.assertEqual(r.cases[0].name, "boot.e820_first_last_word")

    def test_no_ktap(self):
        r = ktap.parse("just a kernel log\nand more\n")
        self.assertEqual(r.errors, ["KTAP: no KTAP output (no 'KTAP version 1' line)"])

    def test_truncated_top_level(self):
        r = ktap.parse(doc("""
            KTAP version 1
            1..3
                KTAP version 1
                # Subtest: boot
                1..1
                ok 1 only
            ok 1 boot
            """))
        self.assertEqual(r.errors, ["KTAP: planned 3, got 1"])
        self.assertEqual(r.passed, 1)

    def test_cut_off_inside_a_suite(self):
        r = ktap.parse(doc("""
            KTAP version 1
            1..2
                KTAP version 1
                # Subtest: boot
                1..3
                ok 1 first
            [   1.0] something went very wrong
            """))
        self.assertEqual(r.errors[0], "KTAP: suite boot: planned 3, got 1")
        self.assertEqual(r.errors[1], "KTAP: planned 2, got 0")
        self.assertEqual([c.name for c in r.cases], ["boot.first"])

    def test_missing_plan(self):
        r = ktap.parse("KTAP version 1\nok 1 a\n")
        self.assertIn("KTAP: no plan (1..N) before the results", r.errors)

    def test_plan_after_results(self):
        r = ktap.parse("KTAP version 1\nok 1 a\n1..1\n")
        self.assertTrue(r.errors)

    def test_nested_suite_without_plan(self):
        r = ktap.parse(doc("""
            KTAP version 1
            1..1
                KTAP version 1
                # Subtest: boot
                ok 1 a
            ok 1 boot
            """))
        self.assertTrue(any("suite boot" in e and "plan" in e
                            for e in r.errors), r.errors)

    def test_misnumbered(self):
        r = ktap.parse("KTAP version 1\n1..2\nok 1 a\nok 3 b\n")
        self.assertIn("KTAP: result 'b' is numbered 3, expected 2", r.errors)

    def test_more_results_than_planned(self):
        r = ktap.parse("KTAP version 1\n1..1\nok 1 a\nok 2 b\n")
        self.assertEqual(r.errors, ["KTAP: 'ok 2 b' after the plan was complete"])

    def test_second_document(self):
        r = ktap.parse("KTAP version 1\n1..1\nok 1 a\nKTAP version 1\n")
        self.assertEqual(r.errors, ["KTAP: a second top-level 'KTAP version' line"])

    def test_failed_suite_without_failed_case(self):
        r = ktap.parse(doc("""
            KTAP version 1
            1..1
                KTAP version 1
                # Subtest: mm
                1..1
                ok 1 a
            not ok 1 mm
            """))
        self.assertEqual(r.errors, [])
        self.assertEqual([c.name for c in r.failures], ["mm"])

    def test_whole_suite_skipped(self):
        r = ktap.parse("KTAP version 1\n1..1\nok 1 smp # SKIP one CPU\n")
        self.assertEqual((r.passed, r.failed, r.skipped), (0, 0, 1))

    def test_subtest_without_version_line(self):
        # Older KUnit output: "# Subtest:" opens the nested document.
        r = ktap.parse(doc("""
            KTAP version 1
            1..2
                # Subtest: a
                1..1
                ok 1 x
            ok 1 a
                # Subtest: b
                1..1
                ok 1 y
            ok 2 b
            """))
        self.assertEqual(r.errors, [])
        self.assertEqual([c.name for c in r.cases], ["a.x", "b.y"])

    def test_three_levels(self):
        r = ktap.parse(doc("""
            KTAP version 1
            1..1
                KTAP version 1
                # Subtest: mm
                1..1
                    KTAP version 1
                    # Subtest: buddy
                    1..2
                    ok 1 alloc
                    ok 2 free
                ok 1 buddy
            ok 1 mm
            """))
        self.assertEqual(r.errors, [])
        self.assertEqual([c.name for c in r.cases],
                         ["mm.buddy.alloc", "mm.buddy.free"])

    def test_other_indentation_is_not_ktap(self):
        r = ktap.parse("KTAP version 1\n1..1\n  ok 7 not ktap\n"
                       "   # nor this\nok 1 a\n")
        self.assertEqual(r.errors, [])
        self.assertEqual(r.passed, 1)


PANIC_LOG = doc("""
    KTAP version 1
    1..1
        KTAP version 1
        # Subtest: panic
        1..1
        # expect-panic: boom
    Kernel panic - not syncing: boom
    """)


class JudgeTest(unittest.TestCase):
    def test_pass(self):
        v = judge.judge_pass(33, False, 60, GOOD.replace("not ok 2", "ok 2"))
        self.assertTrue(v.ok, v.reason)

    def test_exit_33_with_failures(self):
        v = judge.judge_pass(33, False, 60, GOOD)
        self.assertFalse(v.ok)
        self.assertEqual(v.reason,
                         "exit 33 but 1 failed: boot.something (kernel/foo.c:12)")

    def test_exit_0_is_never_a_pass(self):
        v = judge.judge_pass(0, False, 60, GOOD.replace("not ok 2", "ok 2"))
        self.assertEqual(v.reason, "exit status 0 (triple fault or shutdown?)")

    def test_panic_while_expecting_pass(self):
        v = judge.judge_pass(37, False, 60, PANIC_LOG)
        self.assertEqual(v.reason, "panic: boom")

    def test_timeout(self):
        v = judge.judge_pass(None, True, 7.5, "KTAP version 1\n")
        self.assertEqual(v.reason, "TIMEOUT after 7.5s")

    def test_expected_panic(self):
        self.assertTrue(judge.judge_panic(37, False, 60, PANIC_LOG, "boom").ok)

    def test_expected_text_only_in_the_marker(self):
        # The marker line quotes the text; the panic itself must show it.
        log = PANIC_LOG.replace("not syncing: boom", "not syncing: other")
        v = judge.judge_panic(37, False, 60, log, "boom")
        self.assertFalse(v.ok)
        self.assertIn("(got: other)", v.reason)

    def test_expected_panic_but_passed(self):
        v = judge.judge_panic(33, False, 60, PANIC_LOG, "boom")
        self.assertEqual(v.reason, "expected a panic, but the ktest run passed")

    def test_ktap_then_power_off(self):
        good = GOOD.replace("not ok 2", "ok 2")
        self.assertTrue(judge.judge_ktap(0, False, 60, good + "Powering off.\n").ok)
        self.assertTrue(judge.judge_ktap(33, False, 60, good).ok)

    def test_ktap_failures_and_bare_exit_0(self):
        self.assertEqual(judge.judge_ktap(0, False, 60, GOOD + "Powering off.\n").reason,
                         "1 failed: boot.something (kernel/foo.c:12)")
        v = judge.judge_ktap(0, False, 60, GOOD.replace("not ok 2", "ok 2"))
        self.assertEqual(v.reason, "exit status 0 without 'Powering off.' (triple fault?)")
        self.assertFalse(judge.judge_ktap(0, False, 60, "KTAP version 1\n1..2\nPowering off.\n").ok)

    def test_init_ended(self):
        ok = "init: ok\ninit exited with status 0 (exit code 0)\n"
        self.assertTrue(judge.judge_init(33, False, 60, ok).ok)
        bad = "init exited with status 256 (exit code 1)\n"
        v = judge.judge_init(35, False, 60, bad)
        self.assertFalse(v.ok)
        self.assertTrue(v.reason.startswith("init did not end with status 0"), v.reason)
        self.assertFalse(judge.judge_init(33, False, 60, "no line\n").ok)
        self.assertFalse(judge.judge_init(None, True, 5, ok).ok)
        self.assertFalse(judge.judge_init(37, False, 60, ok + PANIC_LOG).ok)

    def test_ktap_two_documents(self):
        good = GOOD.replace("not ok 2", "ok 2")
        v = judge.judge_ktap(33, False, 60, good + good)
        self.assertTrue(v.ok, v.reason)
        self.assertEqual(len(v.report.cases), 2 * len(ktap.parse(good).cases))
        v = judge.judge_ktap(33, False, 60, good + GOOD)
        self.assertEqual(v.reason, "1 failed: boot.something (kernel/foo.c:12)")
        cut = good + "\n".join(good.splitlines()[:4])
        self.assertFalse(judge.judge_ktap(33, False, 60, cut).ok)


class ManifestTest(unittest.TestCase):
    def load(self, text):
        with tempfile.NamedTemporaryFile("w", suffix=".ini",
                                         delete=False) as f:
            f.write(doc(text))
        try:
            return manifest.load(f.name)
        finally:
            os.unlink(f.name)

    def test_defaults_and_lists(self):
        [t] = self.load("""
            [DEFAULT]
            arch = i386
            [boot.a]
            cmdline = ktest=boot.*
            groups = boot quick
            expect_log =
                first line
                "# a comment-like line"
            """)
        self.assertEqual((t.kind, t.arch, t.machine, t.memory, t.smp),
                         ("qemu", "i386", "pc", "128M", 1))
        self.assertEqual(t.timeout, 60)
        self.assertEqual(t.groups, ["boot", "quick"])
        self.assertEqual(t.expect_log, ["first line", "# a comment-like line"])

    def test_errors_are_all_reported(self):
        with self.assertRaises(manifest.ManifestError) as e:
            self.load("""
                [a]
                arch = arm
                [b]
                arch = i386
                expect = panic
                [c]
                kind = host
                """)
        msg = str(e.exception)
        self.assertIn("[a] arch must be", msg)
        self.assertIn("[b] expect = panic needs 'expect_panic'", msg)
        self.assertIn("[c] kind = host needs a 'command'", msg)

    def test_gdb_default_cmdline(self):
        [t] = self.load("""
            [g]
            kind = gdb
            arch = x86_64
            gdb_script = x.gdb
            """)
        self.assertEqual(t.cmdline, "ktest=none")


if __name__ == "__main__":
    unittest.main()
