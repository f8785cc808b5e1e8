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
    cpu: float = 0.0        # user + system seconds of it and what it waited for


def start(argv, output, cwd=None, shell=False, env=None):
    """Start argv with stdout and stderr going to the open file output."""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=output,
                         stderr=subprocess.STDOUT, cwd=cwd, shell=shell,
                         env=env, start_new_session=True)
    p.started = time.monotonic()
    with _lock:
        _running.add(p)
    return p


def _reap(p, timeout=None):
    """Wait for p with os.wait4, which also says how much CPU it used (all
    its threads: QEMU's vCPUs, and the children it waited for); Popen.wait
    does not. The status goes into p.returncode, as Popen.wait would. One
    reaping thread per child, which a later call (after a kill) joins."""
    if p.returncode is not None:
        return getattr(p, "cpu", 0.0)
    if not hasattr(p, "reaper"):
        p.reaped = {}

        def reaper():
            try:
                _, status, usage = os.wait4(p.pid, 0)
                p.reaped["status"] = os.waitstatus_to_exitcode(status)
                p.reaped["cpu"] = usage.ru_utime + usage.ru_stime
            except ChildProcessError:       # reaped elsewhere (Popen.poll)
                p.reaped["status"], p.reaped["cpu"] = p.returncode, 0.0

        p.reaper = threading.Thread(target=reaper, daemon=True)
        p.reaper.start()
    p.reaper.join(timeout)
    if p.reaper.is_alive():
        raise subprocess.TimeoutExpired(p.args, timeout)
    if p.returncode is None:
        p.returncode = p.reaped["status"]
    p.cpu = p.reaped["cpu"]
    return p.cpu


def exited(p):
    """p's exit status if it has exited, else None; without reaping it (so
    that _reap still gets its CPU time), unlike Popen.poll."""
    if p.returncode is not None:
        return p.returncode
    try:
        info = os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return p.poll()
    if info is None:
        return None
    return info.si_status if info.si_code == os.CLD_EXITED else -info.si_status


def kill(p):
    """Kill p and its whole process group, and reap it."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _reap(p)
    with _lock:
        _running.discard(p)


def wait(p, timeout):
    """Wait up to timeout seconds for p; kill it if it is still running."""
    try:
        _reap(p, timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        timed_out = True
    # Also kill what p left behind in its group (a shell's background jobs).
    kill(p)
    return Finished(None if timed_out else p.returncode, time.monotonic() - p.started, timed_out,
                    getattr(p, "cpu", 0.0))


def run(argv, output, timeout, cwd=None, shell=False, env=None):
    """start() then wait(): run argv to completion or to its timeout."""
    return wait(start(argv, output, cwd=cwd, shell=shell, env=env), timeout)


def kill_all():
    """Kill every child still running (used on Ctrl-C)."""
    with _lock:
        procs = list(_running)
    for p in procs:
        kill(p)
