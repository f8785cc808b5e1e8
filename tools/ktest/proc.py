"""Start, time out and kill child processes (QEMU, gdb, shell commands).

Every child gets a process group of its own, so that killing it on a timeout
also kills whatever it started (a host test's shell starts more processes;
QEMU has helper threads only, but the rule is the same for all).  Children
that are still running are remembered, so that Ctrl-C in the runner can kill
them all instead of leaving QEMUs behind.
"""

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

_running = set()
_lock = threading.Lock()


@dataclass
class Finished:
    status: int | None      # exit status; None if killed at the timeout
    seconds: float          # wall time from start to end
    timed_out: bool


def start(argv, output, cwd=None, shell=False, env=None):
    """Start argv with stdout and stderr going to the open file output."""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=output,
                         stderr=subprocess.STDOUT, cwd=cwd, shell=shell,
                         env=env, start_new_session=True)
    p.started = time.monotonic()
    with _lock:
        _running.add(p)
    return p


def kill(p):
    """Kill p and its whole process group, and reap it."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    p.wait()
    with _lock:
        _running.discard(p)


def wait(p, timeout):
    """Wait up to timeout seconds for p; kill it if it is still running."""
    try:
        status = p.wait(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        status, timed_out = None, True
    # Also kill what p left behind in its group (a shell's background jobs).
    kill(p)
    return Finished(status, time.monotonic() - p.started, timed_out)


def run(argv, output, timeout, cwd=None, shell=False, env=None):
    """start() then wait(): run argv to completion or to its timeout."""
    return wait(start(argv, output, cwd=cwd, shell=shell, env=env), timeout)


def kill_all():
    """Kill every child still running (used on Ctrl-C)."""
    with _lock:
        procs = list(_running)
    for p in procs:
        kill(p)
