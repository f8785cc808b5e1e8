"""Run one test of each kind and write its log: qemu, gdb and host tests.

Each run_* function takes a TestSpec and the shared Context and returns an
Outcome.  Each test writes logs/<name>.log, which starts with the exact
command that was run (shell-quoted, so it can be pasted into a terminal),
then what the test printed, and ends with a trailer line giving the exit
status, the time and the verdict.
"""

import os
import shlex
import socket
import subprocess
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field

import console
import judge
import manifest
import proc
from diskimg import PatternImages
from iso import IsoCache, IsoError

QEMU = {"x86_64": "qemu-system-x86_64", "i386": "qemu-system-i386",
        "i386-pae": "qemu-system-i386"}
GDB_ARCH = {"x86_64": "i386:x86-64", "i386": "i386", "i386-pae": "i386"}


@dataclass
class Context:
    """What every test run needs besides its own TestSpec."""
    repo: str
    logdir: str
    timeout_scale: float = 1.0
    build_failed: dict = field(default_factory=dict)   # arch -> message
    isos: IsoCache = None
    disks: PatternImages = None
    boot_override: str = ""     # --grub: "grub" for the tests that boot directly
    bios: str = ""              # --bios: firmware for the direct boot (QEMU -bios), "" = QEMU's own

    def __post_init__(self):
        if self.isos is None:
            self.isos = IsoCache(self.repo)
        if self.disks is None:
            self.disks = PatternImages(self.repo)

    def log_path(self, spec):
        return os.path.join(self.logdir, spec.name + ".log")

    def timeout(self, spec):
        return spec.timeout * self.timeout_scale

    def kernel(self, spec):
        return os.path.join(self.repo,
                            spec.kernel or f"build/{spec.arch}/kernel.elf")


@dataclass
class Outcome:
    name: str
    verdict: str            # "PASS", "FAIL" or "SKIP"
    reason: str = ""        # FAIL/SKIP: why; PASS: a short summary
    seconds: float = 0.0
    log: str | None = None  # path of the log file
    cpu: float = 0.0        # user + system seconds of its processes (QEMU's every thread)


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def _write_log(path, head, sections, status_text, outcome):
    """Write a log: command line(s), named sections, trailer."""
    with open(path, "w", encoding="utf-8") as f:
        for line in head:
            f.write(line + "\n")
        for title, text in sections:
            if title:
                f.write(f"--- {title} ---\n")
            f.write(text)
            if text and not text.endswith("\n"):
                f.write("\n")
        f.write(f"=== {status_text} after {outcome.seconds:.2f} s ({outcome.cpu:.2f} s of CPU): "
                f"{outcome.verdict} ({outcome.reason}) ===\n")
    outcome.log = path


def _status_text(fin):
    return ("killed at the timeout" if fin.timed_out
            else f"exit status {fin.status}")


def _early_failure(spec, ctx, reason):
    """A test that failed before anything ran (no kernel, no ISO, ...)."""
    out = Outcome(spec.name, "FAIL", reason)
    _write_log(ctx.log_path(spec), [f"# {spec.name}: not run"], [],
               "not run", out)
    return out


def boot_of(spec, ctx):
    """How spec starts its kernel: the manifest's boot key, unless --grub
    sends the direct ones through GRUB."""
    if spec.boot == "direct" and ctx.boot_override:
        return ctx.boot_override
    return spec.boot


# The kernel's log line naming its entry (kernel/main.c) for each boot.
ENTRY_LINE = {"direct": "boot: pvh entry", "grub": "boot: multiboot2 entry"}


def wrong_entry(spec, ctx, log):
    """A reason if the log shows the kernel started through another entry
    than the test's boot asked for, else "". A log without the line (an
    early panic) proves nothing either way."""
    boot = boot_of(spec, ctx)
    if boot not in ENTRY_LINE or "\nboot: " not in log:
        return ""
    if ENTRY_LINE[boot] in log:
        return ""
    other = [b for b in ENTRY_LINE if b != boot][0]
    return (f"booted through the wrong entry: expected '{ENTRY_LINE[boot]}' "
            f"(boot = {boot})" + (f", log has '{ENTRY_LINE[other]}'"
                                  if ENTRY_LINE[other] in log else ""))


def _prepare_boot(spec, ctx):
    """QEMU's arguments that start the kernel, or an Outcome saying why there
    are none: a GRUB ISO (multiboot2 entry), QEMU's own -kernel loader (the
    PVH entry, boot/pvh.S; the command line through -append), or nothing."""
    boot = boot_of(spec, ctx)
    if boot == "none":
        return [], None
    kernel = ctx.kernel(spec)
    if not spec.kernel and spec.arch in ctx.build_failed:
        return None, _early_failure(spec, ctx, ctx.build_failed[spec.arch])
    if not os.path.isfile(kernel):
        return None, _early_failure(
            spec, ctx, f"no kernel {os.path.relpath(kernel, ctx.repo)}"
            + ("" if spec.kernel else
               f" (make {' '.join(manifest.MAKE_VARS[spec.arch])} kernel)"))
    if boot == "direct":
        bios = ["-bios", ctx.bios] if ctx.bios else []
        # The initramfs beside the kernel, as mkiso.sh gives it to GRUB.
        initramfs = os.path.join(os.path.dirname(kernel), "initramfs.cpio")
        initrd = ["-initrd", initramfs] if os.path.isfile(initramfs) else []
        return bios + ["-kernel", kernel, "-append", spec.cmdline] + initrd, None
    try:
        return ["-cdrom", ctx.isos.get(kernel, spec.cmdline), "-boot", "d"], None
    except IsoError as e:
        return None, _early_failure(spec, ctx, str(e))


def disk_images(spec, ctx, tmp):
    """Make the test's disk images in its private directory tmp, each filled
    with the documented pattern (tools/disk_pattern.py, seed 0) so the
    kernel's reads can be checked (diskimg.py: copies of a master). Returns [(path, bus)]."""
    images = []
    for n, item in enumerate(spec.disks):
        size, _, bus = item.partition("@")
        mib = int(size.rstrip("M"))
        path = os.path.join(tmp, f"disk{n}.img")
        ctx.disks.copy(mib, path)      # a copy of one master image per size
        images.append((path, bus))
    return images


def qemu_argv(spec, ctx, boot_args, serial, images=(), serial_arg=None):
    """The QEMU command line for spec, started by boot_args, COM1 into
    serial (or to the -serial argument serial_arg)."""
    argv = [QEMU[spec.arch], "-M", spec.machine, "-m", spec.memory,
            "-smp", str(spec.smp)]
    if spec.cpu:
        argv += ["-cpu", spec.cpu]
    argv += boot_args
    argv += ["-no-reboot", "-nodefaults",
             "-display", "none", "-serial", serial_arg or f"file:{serial}",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    places = {"{builddir}": os.path.join(ctx.repo, "build", spec.arch),
              "{logdir}": ctx.logdir,
              "{repo}": ctx.repo}
    for arg in spec.qemu_args:
        for placeholder, value in places.items():
            arg = arg.replace(placeholder, value)
        argv.append(arg)
    for n, (path, bus) in enumerate(images):
        argv += ["-drive", f"file={path},if=none,id=disk{n},format=raw",
                 "-device", f"ide-hd,drive=disk{n},bus={bus}"]
    return argv


def run_after(spec, ctx, images, cmd=None):
    """The manifest's `after` command, with {disk0}... replaced: it checks on
    the host what the kernel wrote (or `before`'s, given as cmd: it makes
    what the kernel will read, an ext2 image). Returns (ok, output)."""
    cmd = spec.after if cmd is None else cmd
    for n, (path, _) in enumerate(images):
        cmd = cmd.replace("{disk%d}" % n, shlex.quote(path))
    r = subprocess.run(cmd, shell=True, cwd=ctx.repo, capture_output=True, text=True)
    return r.returncode == 0, f"$ {cmd}\n{r.stdout}{r.stderr}exit {r.returncode}\n"


# -- kind = qemu ------------------------------------------------------------

def _disks_before(spec, ctx, tmp):
    """The test's disk images, made, then its `before` host command run on
    them: (images, None), or (images, the FAIL outcome, logged) if
    `before` failed and the boot must not run."""
    images = disk_images(spec, ctx, tmp)
    if spec.before:
        ok, before_out = run_after(spec, ctx, images, spec.before)
        if not ok:
            out = Outcome(spec.name, "FAIL", "before-boot command failed: "
                          + before_out.strip().splitlines()[-1], 0.0)
            _write_log(ctx.log_path(spec), [], [("before", before_out)], "not run", out)
            return images, out
    return images, None


def run_qemu(spec, ctx):
    boot_args, failed = _prepare_boot(spec, ctx)
    if failed:
        return failed
    timeout = ctx.timeout(spec)
    with tempfile.TemporaryDirectory(prefix="ktest-") as tmp:
        images, failed = _disks_before(spec, ctx, tmp)
        if failed:
            return failed
        serial = os.path.join(tmp, "com1.txt")
        stderr = os.path.join(tmp, "qemu.txt")
        argv = qemu_argv(spec, ctx, boot_args, serial, images)
        with open(stderr, "wb") as out:
            fin = proc.run(argv, out, timeout)
        log, qemu_out = _read(serial), _read(stderr)

        v = judge.judge(spec, fin.status, fin.timed_out, timeout, log)
        entry = wrong_entry(spec, ctx, log)
        if v.ok and entry:
            v = judge.Verdict(False, entry)
        after_out = ""
        if v.ok and spec.after:
            ok, after_out = run_after(spec, ctx, images)
            if not ok:
                lines = after_out.strip().splitlines()
                v = judge.Verdict(False, f"after-boot check failed ({lines[-1]}): "
                                         f"{lines[1] if len(lines) > 2 else ''}")
        if not v.ok:
            # Keep a failed test's images for a look: logs/<test>.disk<N>.img.
            for n, (path, _) in enumerate(images):
                os.replace(path, os.path.join(ctx.logdir, f"{spec.name}.disk{n}.img"))
    reason = v.reason
    if not v.ok and qemu_out.strip() and not fin.timed_out:
        # QEMU itself complained (bad option, missing disk image...).
        reason += f"; qemu: {qemu_out.strip().splitlines()[0]}"
    out = Outcome(spec.name, "PASS" if v.ok else "FAIL", reason, fin.seconds, cpu=fin.cpu)
    sections = [("", log)]
    if qemu_out:
        sections.append(("qemu output", qemu_out))
    if after_out:
        sections.append(("after", after_out))
    _write_log(ctx.log_path(spec), [shlex.join(argv)], sections,
               _status_text(fin), out)
    return out


# -- kind = gdb -------------------------------------------------------------

_ports_lock = threading.Lock()
_ports_given = set()


def _free_port():
    """A free TCP port on the loopback address, never the same one twice in
    this run (so parallel gdb tests cannot pick each other's port)."""
    with _ports_lock:
        while True:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            if port not in _ports_given:
                _ports_given.add(port)
                return port


def _listening(port):
    """Is something listening on 127.0.0.1:port?  Read from /proc so as
    not to connect: QEMU's gdb stub serves only the first connection."""
    want = f"0100007F:{port:04X}"
    try:
        with open("/proc/net/tcp") as f:
            return any(line.split()[1] == want and line.split()[3] == "0A"
                       for line in f.readlines()[1:])
    except OSError:
        return True     # cannot tell; gdb retries its connection anyway


def _start_qemu_for_gdb(spec, ctx, boot_args, serial, qemu_out, deadline, images=()):
    """Start QEMU waiting for gdb (-S); retry if its port was taken."""
    for _ in range(3):
        port = _free_port()
        argv = qemu_argv(spec, ctx, boot_args, serial, images) + [
            "-gdb", f"tcp:127.0.0.1:{port}", "-S"]
        qemu = proc.start(argv, qemu_out)
        while time.monotonic() < deadline and proc.exited(qemu) is None:
            if _listening(port):
                return qemu, argv, port
            time.sleep(0.05)
        if proc.exited(qemu) is None:   # still starting at the deadline
            return qemu, argv, port
        proc.kill(qemu)                 # exited: maybe the port was taken
    return qemu, argv, port


def run_gdb(spec, ctx):
    boot_args, failed = _prepare_boot(spec, ctx)
    if failed:
        return failed
    timeout = ctx.timeout(spec)
    kernel = ctx.kernel(spec)
    script = os.path.join(ctx.repo, spec.gdb_script)
    with tempfile.TemporaryDirectory(prefix="ktest-") as tmp:
        # The test's disks, as for a qemu test (`disks`, `before`)
        images, failed = _disks_before(spec, ctx, tmp)
        if failed:
            return failed
        serial = os.path.join(tmp, "com1.txt")
        qemu_path = os.path.join(tmp, "qemu.txt")
        gdb_path = os.path.join(tmp, "gdb.txt")
        start = time.monotonic()
        with open(qemu_path, "wb") as qemu_out, open(gdb_path, "wb") as gdb_out:
            qemu, qemu_cmd, port = _start_qemu_for_gdb(
                spec, ctx, boot_args, serial, qemu_out, start + timeout, images)
            gdb_cmd = ["gdb", "-nx", "-batch",
                       "-ex", "set pagination off",
                       "-ex", f"file {kernel}",
                       "-ex", f"set architecture {GDB_ARCH[spec.arch]}",
                       "-ex", f"target remote 127.0.0.1:{port}",
                       "-x", script]
            remaining = max(1.0, timeout - (time.monotonic() - start))
            fin = proc.run(gdb_cmd, gdb_out, remaining, cwd=ctx.repo)
            qemu_early = proc.exited(qemu)
            proc.kill(qemu)
            qemu_cpu = qemu.cpu
        fin.seconds = time.monotonic() - start
        gdb_text, qemu_text, log = (_read(gdb_path), _read(qemu_path),
                                    _read(serial))

    if fin.timed_out:
        reason = f"TIMEOUT after {timeout:g}s"
    elif fin.status != 0:
        reason = f"gdb exit status {fin.status}"
        lines = gdb_text.strip().splitlines()
        if lines:
            reason += f": {lines[-1]}"
    else:
        missing = judge.missing_lines(spec.expect_log, gdb_text)
        reason = f"gdb output lacks: '{missing[0]}'" if missing else ""
    if reason and qemu_early is not None and qemu_text.strip():
        reason += f"; qemu: {qemu_text.strip().splitlines()[0]}"
    ok = not reason
    out = Outcome(spec.name, "PASS" if ok else "FAIL",
                  reason or "gdb script passed", fin.seconds, cpu=fin.cpu + qemu_cpu)
    sections = [("gdb output", gdb_text), ("serial (COM1)", log)]
    if qemu_text:
        sections.append(("qemu output", qemu_text))
    _write_log(ctx.log_path(spec), [shlex.join(qemu_cmd), shlex.join(gdb_cmd)],
               sections, "gdb " + _status_text(fin), out)
    return out


# -- kind = host ------------------------------------------------------------

def run_host(spec, ctx):
    timeout = ctx.timeout(spec)
    # A host test that runs the runner again (the lab checks, the grader's
    # check) holds one job slot of this run: its runner gets one job too
    # (KTEST_JOBS), or its boots would crowd the others' CPUs.
    env = dict(os.environ, KTEST_TIMEOUT_SCALE=str(ctx.timeout_scale), KTEST_JOBS="1")
    with tempfile.TemporaryFile() as out:
        fin = proc.run(spec.command, out, timeout, cwd=ctx.repo, shell=True,
                       env=env)
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    if fin.timed_out:
        reason = f"TIMEOUT after {timeout:g}s"
    elif fin.status != 0:
        last = text.strip().splitlines()[-1:] or [""]
        reason = f"exit status {fin.status}" + (f": {last[0]}" if last[0] else "")
    else:
        missing = judge.missing_lines(spec.expect_log, text)
        reason = f"output lacks: '{missing[0]}'" if missing else ""
    out = Outcome(spec.name, "FAIL" if reason else "PASS", reason or "exit 0",
                  fin.seconds, cpu=fin.cpu)
    _write_log(ctx.log_path(spec), [f"$ {spec.command}"], [("", text)],
               _status_text(fin), out)
    return out


# -- kind = console -----------------------------------------------------------

def run_console(spec, ctx):
    """Boot to the monitor with COM1 on a socket and type at it
    (tools/ktest/console.py); QEMU must power off at the end (exit 0)."""
    boot_args, failed = _prepare_boot(spec, ctx)
    if failed:
        return failed
    timeout = ctx.timeout(spec)
    after_out = ""
    with tempfile.TemporaryDirectory(prefix="ktest-") as tmp:
        # Disks as kind = qemu has them: made (and `before` run) first, and
        # `after` judges what the session left on them.
        images, failed = _disks_before(spec, ctx, tmp)
        if failed:
            return failed
        sock = os.path.join(tmp, "com1.sock")
        stderr = os.path.join(tmp, "qemu.txt")
        argv = qemu_argv(spec, ctx, boot_args, None, images, serial_arg=f"unix:{sock},server=on,wait=on")
        start = time.monotonic()
        with open(stderr, "wb") as out:
            p = proc.start(argv, out)
            ok, reason, text = console.run_session(sock, spec.console, start + timeout)
            fin = proc.wait(p, max(1.0, start + timeout - time.monotonic()))
        qemu_out = _read(stderr)
        if ok and fin.status != 0:
            ok, reason = False, f"QEMU did not power off after exit ({_status_text(fin)})"
        if ok and judge.missing_lines(spec.expect_log, text):
            ok, reason = False, f"missing from the log: {judge.missing_lines(spec.expect_log, text)[0]}"
        if ok and spec.after:
            ok, after_out = run_after(spec, ctx, images)
            if not ok:
                lines = after_out.strip().splitlines()
                reason = f"after-boot check failed ({lines[-1]}): {lines[1] if len(lines) > 2 else ''}"
        if not ok:
            for n, (path, _) in enumerate(images):
                os.replace(path, os.path.join(ctx.logdir, f"{spec.name}.disk{n}.img"))
    out = Outcome(spec.name, "PASS" if ok else "FAIL", reason, fin.seconds, cpu=fin.cpu)
    sections = [("serial (COM1), as typed and answered", text)]
    if after_out:
        sections.append(("after", after_out))
    if qemu_out:
        sections.append(("qemu output", qemu_out))
    _write_log(ctx.log_path(spec), [shlex.join(argv)], sections, _status_text(fin), out)
    return out


RUNNERS = {"qemu": run_qemu, "gdb": run_gdb, "host": run_host, "console": run_console}


def run(spec, ctx):
    """Run one test; an exception in the runner is a failure, not a crash."""
    if spec.skip:
        return Outcome(spec.name, "SKIP", spec.skip)
    try:
        return RUNNERS[spec.kind](spec, ctx)
    except Exception as e:      # a bug here must not hide the other results
        out = Outcome(spec.name, "FAIL", f"runner error: {e!r}")
        _write_log(ctx.log_path(spec), [f"# {spec.name}: runner error"],
                   [("traceback", traceback.format_exc())], "not run", out)
        return out
