"""The run's results as JUnit XML (logs/junit.xml), the format CI systems
read: one <testcase> per test with its time and the CPU its processes used
(a cpu_seconds property), a <failure> holding the reason and the tail of
its log, or <skipped> with the reason.

classname is the test's area (the first part of its name, e.g. "boot"), so
a CI page groups the tests as the manifest does.
"""

import os
import xml.etree.ElementTree as ET

LOG_TAIL_LINES = 60


def _tail(path, lines=LOG_TAIL_LINES):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read().splitlines()
    except (OSError, TypeError):
        return ""
    return "\n".join(text[-lines:])


def write(path, outcomes, seconds, timestamp):
    """Write outcomes (runners.Outcome, in manifest order) to path; the
    file appears whole (written beside it, then renamed)."""
    failures = sum(o.verdict == "FAIL" for o in outcomes)
    skipped = sum(o.verdict == "SKIP" for o in outcomes)
    suite = ET.Element("testsuite", name="ktest", tests=str(len(outcomes)),
                       failures=str(failures), errors="0",
                       skipped=str(skipped), time=f"{seconds:.3f}",
                       timestamp=timestamp)
    for o in outcomes:
        case = ET.SubElement(suite, "testcase", classname=o.name.split(".")[0],
                             name=o.name, time=f"{o.seconds:.3f}")
        if o.verdict == "FAIL":
            fail = ET.SubElement(case, "failure", message=o.reason)
            fail.text = _tail(o.log)
        elif o.verdict == "SKIP":
            ET.SubElement(case, "skipped", message=o.reason)
        # The CPU its processes used (user + system, every QEMU thread):
        # with tests in parallel, time alone says as much about the load.
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", name="cpu_seconds", value=f"{o.cpu:.3f}")
        if o.log:
            ET.SubElement(case, "system-out").text = f"log: {o.log}"
    root = ET.Element("testsuites", tests=str(len(outcomes)),
                      failures=str(failures), skipped=str(skipped),
                      time=f"{seconds:.3f}")
    root.append(suite)
    tmp = f"{path}.tmp.{os.getpid()}"
    ET.ElementTree(root).write(tmp, encoding="utf-8", xml_declaration=True)
    os.replace(tmp, path)
