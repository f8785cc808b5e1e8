"""How long each test took last time (logs/durations.json), so that a run
can start the longest tests first.

With N tests running at once, the run ends when the last one does; a long
test started near the end leaves the other workers idle behind it (the
tail). Starting the longest first (LPT scheduling) ends all workers at
about the same time. The file keeps every test ever run here, merged run
after run, so a run of a few tests does not forget the others; a test not
in it (new) counts as longest, since nothing says it is short.
"""

import json
import os

FILE = "durations.json"


def load(logdir):
    """{test name: seconds} of earlier runs; {} if there is no usable file."""
    try:
        with open(os.path.join(logdir, FILE), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: float(v) for k, v in data.items()
            if isinstance(v, (int, float))}


def save(logdir, outcomes):
    """Merge this run's times (tests that ran, not skipped) into the file."""
    data = load(logdir)
    for o in outcomes:
        if o is not None and o.verdict != "SKIP":
            data[o.name] = round(o.seconds, 3)
    path = os.path.join(logdir, FILE)
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=0, sort_keys=True)
    os.replace(tmp, path)


def longest_first(specs, known):
    """The indices of specs in the order to start them: unknown tests, then
    the rest by their last time, longest first; ties in manifest order."""
    inf = float("inf")
    return sorted(range(len(specs)),
                  key=lambda i: -known.get(specs[i].name, inf))
