"""Read the test manifest (tests/manifest.ini) into TestSpec objects.

The manifest is an INI file: one section per test, the section name being the
test's name.  tests/manifest.ini documents every key at its top; this module
is the one place that knows the keys, their defaults and what is valid, so a
typo in the manifest is reported up front instead of being silently ignored.
"""

import configparser
import glob
import os
import re
from dataclasses import dataclass

# An arch names a build: build/<arch>/kernel.elf, made by `make <MAKE_VARS>`.
# i386-pae is the i386 kernel with PAE paging (make ARCH=i386 PAE=1).
MAKE_VARS = {
    "x86_64": ("ARCH=x86_64", "PAE=0"),
    "i386": ("ARCH=i386", "PAE=0"),
    "i386-pae": ("ARCH=i386", "PAE=1"),
}
ARCHES = tuple(MAKE_VARS)
KINDS = ("qemu", "gdb", "host", "console")
EXPECTS = ("pass", "panic", "poweroff", "ktap", "init")
# How a qemu/gdb test starts the kernel: direct (QEMU -kernel, the PVH entry),
# grub (a GRUB ISO, the multiboot2 entry), none (qemu_args say it all).
BOOTS = ("direct", "grub", "none")

# key -> default.  None means "no default": required where it matters.
KEYS = {
    "kind": "qemu",
    "arch": None,
    "machine": "pc",
    "memory": "128M",
    "smp": "1",
    "cpu": "",
    "cmdline": "",
    "qemu_args": "",
    "kernel": "",
    "timeout": "60",
    "expect": "pass",
    "expect_panic": "",
    "expect_log": "",
    "groups": "",
    "skip": "",
    "command": "",
    "gdb_script": "",
    "disks": "",
    "before": "",
    "after": "",
    "console": "",
    "boot": "direct",
}

# What a gdb test boots when the section gives no cmdline: a ktest run that
# selects nothing, so the kernel starts, reports an empty run and exits.
GDB_DEFAULT_CMDLINE = "ktest=none"

MEMORY_RE = re.compile(r"^\d+[KMGT]?$")


class ManifestError(Exception):
    """The manifest cannot be used; the message lists every problem found."""


@dataclass
class TestSpec:
    name: str
    kind: str
    arch: str               # "" for host tests
    machine: str
    memory: str
    smp: int
    cpu: str
    cmdline: str
    qemu_args: list[str]    # still holding {builddir}/{logdir} placeholders
    kernel: str             # "" = build/<arch>/kernel.elf, built by make
    timeout: float          # seconds, before --timeout-scale
    expect: str
    expect_panic: str
    expect_log: list[str]
    groups: list[str]
    skip: str               # non-empty = skipped, with this reason
    command: str            # kind=host
    gdb_script: str         # kind=gdb
    disks: list[str]        # kind=qemu, console: "SIZE@BUS" images with the test pattern
    after: str              # kind=qemu, console: host command run after QEMU exits
    console: str            # kind=console: the driver and its arguments
    boot: str = "direct"    # kind=qemu/gdb: direct, grub or none (BOOTS)
    before: str = ""        # kind=qemu, console: host command run on the images before QEMU starts


def parse_expect_log(value):
    """Split an expect_log value into the lines that must appear in the log.

    One line per line of the value.  configparser treats any line starting
    with '#' or ';' as a comment, even inside a multi-line value, so a line
    may be wrapped in double quotes to keep it: "# ktest: 3 passed".
    """
    lines = []
    for line in value.splitlines():
        line = line.strip()
        if len(line) >= 2 and line[0] == line[-1] == '"':
            line = line[1:-1]
        if line:
            lines.append(line)
    return lines


def _check(name, raw):
    """Validate one section's raw values; return a list of problems."""
    errors = []

    def bad(msg):
        errors.append(f"[{name}] {msg}")

    if not re.match(r"^[A-Za-z0-9_.+-]+$", name):
        bad("test names may only use letters, digits and _ . + -")

    for key in raw:
        if key not in KEYS:
            bad(f"unknown key '{key}' (known: {', '.join(sorted(KEYS))})")

    kind = raw["kind"]
    if kind not in KINDS:
        bad(f"kind must be one of {', '.join(KINDS)}, not '{kind}'")
        return errors
    if kind == "host":
        if not raw["command"]:
            bad("kind = host needs a 'command'")
    else:
        if raw["arch"] not in ARCHES:
            bad(f"arch must be one of {', '.join(ARCHES)}, not '{raw['arch']}'")
        if not MEMORY_RE.match(raw["memory"]):
            bad(f"memory must look like 128M or 4G, not '{raw['memory']}'")
        if not raw["smp"].isdigit() or int(raw["smp"]) < 1:
            bad(f"smp must be a positive integer, not '{raw['smp']}'")
        if not raw["machine"]:
            bad("machine must not be empty")
    if kind == "console" and raw["console"].split()[:1] not in (["fuzz"], ["shell"], ["consd_restart"], ["crashy"], ["shell_files"], ["shell_ext2"]):
        bad("kind = console needs 'console = fuzz SEED COUNT', 'shell', 'consd_restart', 'crashy', 'shell_files [pipes] [root=DIR]' or 'shell_ext2'")
    if raw["boot"] not in BOOTS:
        bad(f"boot must be one of {', '.join(BOOTS)}, not '{raw['boot']}'")
    if kind == "gdb" and not raw["gdb_script"]:
        bad("kind = gdb needs a 'gdb_script'")
    if raw["expect"] not in EXPECTS:
        bad(f"expect must be one of {', '.join(EXPECTS)}, not '{raw['expect']}'")
    if raw["expect"] == "panic":
        if kind != "qemu":
            bad("expect = panic only makes sense for kind = qemu")
        if not raw["expect_panic"]:
            bad("expect = panic needs 'expect_panic' (text the panic must show)")
    try:
        if float(raw["timeout"]) <= 0:
            raise ValueError
    except ValueError:
        bad(f"timeout must be a positive number of seconds, not '{raw['timeout']}'")
    return errors


def manifest_files(path):
    """The manifest and, beside it, every manifest.d/*.ini in name order: each
    subsystem keeps its tests in a file of its own."""
    extra = os.path.join(os.path.dirname(os.path.abspath(path)), "manifest.d")
    return [path] + sorted(glob.glob(os.path.join(extra, "*.ini")))


def load(path):
    """Return the list of TestSpec in manifest order; raise ManifestError."""
    # interpolation=None: '%' is an ordinary character in kernel command
    # lines.  No inline comments: '#' and ';' may appear in values.
    parser = configparser.ConfigParser(interpolation=None,
                                       empty_lines_in_values=False)
    parser.optionxform = str      # keys are case-sensitive
    for one in manifest_files(path):
        try:
            with open(one, encoding="utf-8") as f:
                parser.read_file(f)
        except (OSError, configparser.Error) as e:
            raise ManifestError(f"{one}: {e}") from e

    specs, errors = [], []
    for name in parser.sections():
        section = parser[name]
        raw = {key: section.get(key, KEYS.get(key) or "").strip()
               for key in section}
        for key, default in KEYS.items():
            raw.setdefault(key, default or "")
        problems = _check(name, raw)
        if problems:
            errors += problems
            continue
        host = raw["kind"] == "host"
        cmdline = raw["cmdline"]
        if raw["kind"] == "gdb" and not cmdline:
            cmdline = GDB_DEFAULT_CMDLINE
        specs.append(TestSpec(
            name=name,
            kind=raw["kind"],
            arch="" if host else raw["arch"],
            machine=raw["machine"],
            memory=raw["memory"],
            smp=int(raw["smp"]) if not host else 1,
            cpu=raw["cpu"],
            cmdline=cmdline,
            qemu_args=raw["qemu_args"].split(),
            kernel=raw["kernel"],
            timeout=float(raw["timeout"]),
            expect=raw["expect"],
            expect_panic=raw["expect_panic"],
            expect_log=parse_expect_log(raw["expect_log"]),
            groups=raw["groups"].split(),
            skip=raw["skip"],
            command=raw["command"],
            gdb_script=raw["gdb_script"],
            disks=raw["disks"].split(),
            after=raw["after"],
            before=raw["before"],
            console=raw["console"],
            boot=raw["boot"],
        ))
    if errors:
        raise ManifestError(f"{path}:\n  " + "\n  ".join(errors))
    if not specs:
        raise ManifestError(f"{path}: no tests (no sections)")
    return specs


# Groups that say how or why a test runs, not what it tests; every other
# group names a subsystem (grub, the multiboot2 entry, is one). lab<N>
# (graded subsets of other tests) are not subsystems either.
META_GROUPS = frozenset({"quick", "host", "fuzz", "panic", "all", "bench",
                         "labs", "labsmoke", "slow", "good", "selftest"})
LAB_GROUP = re.compile(r"^lab\d+$")


def _meta(group):
    return group in META_GROUPS or bool(LAB_GROUP.match(group))


def subsystem_groups(spec):
    """The subsystems a test tests: its groups that are not meta groups, or
    else its area (the first part of its name: oops, gdb, monitor ...), if
    that is not a meta group either (host.*, labs.*, all.*: none)."""
    subs = [g for g in spec.groups if not _meta(g)]
    area = spec.name.split(".")[0]
    if not subs and not _meta(area):
        subs = [area]
    return subs


def quick_gaps(specs):
    """What the quick group misses: each (subsystem, build) that has tests
    but none in quick ("host" for host tests). An empty list means
    `--group quick` covers every subsystem once for each build it is
    tested on."""
    have, need = set(), {}
    for s in specs:
        if s.skip:
            continue
        for g in subsystem_groups(s):
            key = (g, s.arch or "host")
            need.setdefault(key, s.name)
            if "quick" in s.groups:
                have.add(key)
    gaps = []
    for (g, arch), example in need.items():
        if (g, arch) not in have:
            gaps.append(f"group {g} has no quick test for {arch} "
                        f"(e.g. {example})")
    return gaps
