"""Decide whether a QEMU boot passed, from its exit status and serial log.

The kernel ends a ktest run by writing a byte v to the isa-debug-exit port
(0xf4); QEMU then exits with status (v << 1) | 1:

    33  (v=0x10)  ktest run finished, every case passed or was skipped
    35  (v=0x11)  ktest run finished, at least one case failed
    37  (v=0x12)  kernel panic
     0            ACPI shutdown, or a triple fault under -no-reboot

A ktest boot must never exit 0: it always ends through port 0xf4, so 0 means
the machine reset itself.  Exit 33 alone is not enough either: the KTAP
document must be complete, so that a kernel that exits early "successfully"
cannot pass.
"""

from dataclasses import dataclass

import ktap

EXIT_PASS = 33
EXIT_FAIL = 35
EXIT_PANIC = 37

PANIC_MARK = "Kernel panic - not syncing:"
EXPECT_PANIC_MARK = "# expect-panic:"


@dataclass
class Verdict:
    ok: bool
    reason: str = ""                # why it failed (one line), or a summary
    report: ktap.Report | None = None


def first_panic(log):
    """The message of the first panic in log, or None."""
    for line in log.splitlines():
        at = line.find(PANIC_MARK)
        if at >= 0:
            return line[at + len(PANIC_MARK):].strip() or "(no message)"
    return None


def missing_lines(expected, log):
    """The lines of expected that occur nowhere in log (substring match)."""
    return [line for line in expected if line not in log]


def _failures(report, limit=3):
    """'2 failed: boot.a (kernel/x.c:12), boot.b' - the start of the list."""
    fails = report.failures
    names = []
    for case in fails[:limit]:
        diag = case.first_diagnostic()
        where = diag.rsplit(" at ", 1)[1] if " at " in diag else ""
        names.append(f"{case.name} ({where})" if where else case.name)
    more = f", +{len(fails) - limit} more" if len(fails) > limit else ""
    return f"{len(fails)} failed: {', '.join(names)}{more}"


def _exit_reason(status):
    if status == 0:
        return "exit status 0 (triple fault or shutdown?)"
    if status < 0:
        return f"QEMU killed by signal {-status}"
    return f"exit status {status}"


def judge_pass(status, timed_out, timeout, log):
    """Verdict for expect = pass: a complete, all-ok ktest run."""
    panic = first_panic(log)
    if timed_out:
        extra = f"; panic: {panic}" if panic else ""
        return Verdict(False, f"TIMEOUT after {timeout:g}s{extra}")
    if status == EXIT_PANIC or (panic and status != EXIT_FAIL):
        return Verdict(False, f"panic: {panic or '(exit 37, no panic message)'}")

    report = ktap.parse(log)
    if status == EXIT_FAIL:
        if report.failures:
            return Verdict(False, _failures(report), report)
        why = report.errors[0] if report.errors else "KTAP shows no failure"
        return Verdict(False, f"exit 35 (ktest failed); {why}", report)
    if status != EXIT_PASS:
        return Verdict(False, _exit_reason(status), report)
    if report.errors:
        return Verdict(False, report.errors[0], report)
    if report.failures:
        return Verdict(False, "exit 33 but " + _failures(report), report)
    if not report.cases:
        return Verdict(False, "KTAP: no test case ran", report)
    return Verdict(True, report.counts(), report)


def judge_panic(status, timed_out, timeout, log, expected):
    """Verdict for expect = panic: exit 37 and the expected panic text.

    The text must appear after the "# expect-panic:" line when the kernel
    printed one, since that line itself quotes the expected text.
    """
    if timed_out:
        return Verdict(False, f"TIMEOUT after {timeout:g}s (expected a panic)")
    if status != EXIT_PANIC:
        if status == EXIT_PASS:
            return Verdict(False, "expected a panic, but the ktest run passed")
        if status == EXIT_FAIL:
            return Verdict(False, "expected a panic, but the ktest run failed")
        return Verdict(False, f"expected a panic, got {_exit_reason(status)}")
    after = log
    at = log.find(EXPECT_PANIC_MARK)
    if at >= 0:
        eol = log.find("\n", at)
        after = "" if eol < 0 else log[eol + 1:]
    if expected not in after:
        got = first_panic(after) or "no panic message"
        return Verdict(False, f"panic text '{expected}' not found (got: {got})")
    return Verdict(True, f"panicked as expected: {first_panic(after) or expected}")


POWEROFF_MARK = "Powering off."


def judge_poweroff(status, timed_out, timeout, log):
    """Verdict for expect = poweroff: the monitor's `exit` shut the machine
    down through ACPI. Exit status 0 alone could also be a triple fault
    under -no-reboot, so the kernel's own "Powering off." line must be there
    and no panic before it."""
    if timed_out:
        return Verdict(False, f"TIMEOUT after {timeout:g}s (expected a power-off)")
    panic = first_panic(log)
    if panic:
        return Verdict(False, f"panic: {panic}")
    if status != 0:
        return Verdict(False, f"expected a power-off (exit 0), got {_exit_reason(status)}")
    if POWEROFF_MARK not in log:
        return Verdict(False, "exit status 0 without 'Powering off.' (triple fault?)")
    return Verdict(True, "powered off")


def judge_ktap(status, timed_out, timeout, log):
    """Verdict for expect = ktap: a user program's KTAP (usertests as init),
    after the kernel's own when ktest= ran first: every document complete
    and all ok, then the machine stopped cleanly: the power-off
    that follows init's end (exit 0 with "Powering off.") or the ktest
    exit 33. A panic, a timeout or a cut document fails."""
    if timed_out:
        return Verdict(False, f"TIMEOUT after {timeout:g}s")
    panic = first_panic(log)
    if panic:
        return Verdict(False, f"panic: {panic}")
    report = ktap.parse_documents(log)
    if report.errors:
        return Verdict(False, report.errors[0], report)
    if report.failures:
        return Verdict(False, _failures(report), report)
    if not report.cases:
        return Verdict(False, "KTAP: no test case ran", report)
    if status == 0 and POWEROFF_MARK not in log:
        return Verdict(False, "exit status 0 without 'Powering off.' (triple fault?)", report)
    if status not in (0, EXIT_PASS):
        return Verdict(False, _exit_reason(status), report)
    return Verdict(True, report.counts(), report)


def judge_init(status, timed_out, timeout, log):
    """Verdict for expect = init: the user program the boot ran as pid 1
    ended with status 0, so the kernel passed it on as QEMU's exit 33;
    what it proved is in the test's expect_log."""
    if timed_out:
        return Verdict(False, f"TIMEOUT after {timeout:g}s (expected init to end)")
    panic = first_panic(log)
    if panic:
        return Verdict(False, f"panic: {panic}")
    if "init exited with status 0 " not in log or status != EXIT_PASS:
        return Verdict(False, f"init did not end with status 0 ({_exit_reason(status)})")
    return Verdict(True, "init ended with status 0")


def judge(spec, status, timed_out, timeout, log):
    """Verdict of one qemu test: its expectation, then its expect_log."""
    if spec.expect == "panic":
        v = judge_panic(status, timed_out, timeout, log, spec.expect_panic)
    elif spec.expect == "poweroff":
        v = judge_poweroff(status, timed_out, timeout, log)
    elif spec.expect == "ktap":
        v = judge_ktap(status, timed_out, timeout, log)
    elif spec.expect == "init":
        v = judge_init(status, timed_out, timeout, log)
    else:
        v = judge_pass(status, timed_out, timeout, log)
    if v.ok:
        missing = missing_lines(spec.expect_log, log)
        if missing:
            return Verdict(False, f"log lacks: '{missing[0]}'", v.report)
    return v
