"""How the runner shares the host's CPUs between guests (ktest.run_all):
the guest-CPU budget of 2 x jobs + 1 and at most jobs // 2 multi-CPU
guests at once, with fake tests that only record who runs beside whom.

Run by run.sh, or alone:  python3 -m unittest discover -s tools/ktest/selftest
"""

import os
import sys
import threading
import time
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import ktest  # noqa: E402
import runners  # noqa: E402


class Schedule(unittest.TestCase):
    def run_fake(self, smps, jobs):
        """Run fake tests of the given guest CPUs; return the most guest
        CPUs and the most multi-CPU guests seen at once, and the names run."""
        lock = threading.Lock()
        now = {"cpus": 0, "multi": 0}
        peak = {"cpus": 0, "multi": 0}
        ran = []

        def fake_run(spec, ctx):
            with lock:
                now["cpus"] += spec.smp
                now["multi"] += spec.smp > 1
                for k in now:
                    peak[k] = max(peak[k], now[k])
            time.sleep(0.05)    # long enough for the others to start beside it
            with lock:
                now["cpus"] -= spec.smp
                now["multi"] -= spec.smp > 1
                ran.append(spec.name)
            return spec.name

        specs = [types.SimpleNamespace(name=f"t{i}", smp=n) for i, n in enumerate(smps)]
        printer = types.SimpleNamespace(line=lambda out: None)
        real = runners.run
        runners.run = fake_run
        try:
            out = ktest.run_all(specs, None, jobs, printer)
        finally:
            runners.run = real
        self.assertEqual(out, [s.name for s in specs])
        self.assertEqual(sorted(ran), sorted(s.name for s in specs))
        return peak

    def test_one_multi_cpu_guest_at_a_time_on_two_jobs(self):
        peak = self.run_fake([2, 2, 2, 1, 1, 2, 1, 1], jobs=2)
        self.assertEqual(peak["multi"], 1)
        self.assertLessEqual(peak["cpus"], 5)

    def test_budget_and_alone(self):
        # a 4-CPU guest beside at most a 1-CPU one; a guest bigger than the
        # budget still runs (alone)
        peak = self.run_fake([4, 4, 1, 1, 8], jobs=2)
        self.assertLessEqual(peak["multi"], 1)
        self.assertLessEqual(peak["cpus"], 8)

    def test_more_jobs_more_multi_cpu_guests(self):
        peak = self.run_fake([2] * 8, jobs=4)
        self.assertLessEqual(peak["multi"], 2)


if __name__ == "__main__":
    unittest.main()
