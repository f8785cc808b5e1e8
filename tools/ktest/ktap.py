"""Parse and check a KTAP version 1 document mixed into a kernel log.

The kernel writes its test results to the serial port in KTAP, the format of
Linux's KUnit (https://docs.kernel.org/dev-tools/ktap.html):

    KTAP version 1
    1..2
        KTAP version 1
        # Subtest: boot
        1..2
        ok 1 e820_first_last_word
        ok 2 needs_q35 # SKIP needs q35
    ok 1 boot
        ...
    ok 2 printk

Every nesting level is indented by 4 more spaces.  A suite's cases form a
nested document that comes *before* the suite's own result line.  Ordinary
kernel log lines may appear anywhere in between; a line counts as KTAP only
if, after a multiple of 4 spaces, it starts with "KTAP version", "1..",
"ok ", "not ok " or "#".  Everything else is ignored.

parse() returns a Report: the leaf cases with their results and every
structural problem found (missing header or plan, fewer results than
planned, misnumbered results, a suite cut off in the middle).  A run is only
trustworthy if report.errors is empty: a kernel that crashes half-way prints
no "not ok", but it also never completes its plan.
"""

import re
from dataclasses import dataclass, field

VERSION_RE = re.compile(r"KTAP version (\S+)$")
PLAN_RE = re.compile(r"1\.\.(\d+)$")
RESULT_RE = re.compile(r"(ok|not ok) (\d+)(?: (.*))?$")
SUBTEST_RE = re.compile(r"# Subtest: (.*)$")


@dataclass
class Case:
    """One leaf test case (or a failed suite with no failing case)."""
    name: str                   # "suite.case" (relative while parsing)
    ok: bool
    skipped: bool
    directive: str = ""         # e.g. "SKIP needs q35"
    diagnostics: list[str] = field(default_factory=list)

    def first_diagnostic(self):
        """The most telling diagnostic line, for a one-line summary."""
        for line in self.diagnostics:
            if "FAIL" in line.upper():
                return line
        return self.diagnostics[0] if self.diagnostics else ""


@dataclass
class Block:
    """One (possibly nested) KTAP document while it is being read."""
    depth: int
    parent: "Block | None"
    name: str = ""              # from "# Subtest:" or the parent's result
    plan: int | None = None
    results: int = 0
    cases: list = field(default_factory=list)      # Case objects, leaf names
    pending: list = field(default_factory=list)    # comments since last result
    last: Case | None = None    # the case the next comments may belong to

    def label(self):
        return self.name or f"(unnamed suite at depth {self.depth})"


@dataclass
class Report:
    cases: list[Case] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seen_header: bool = False

    @property
    def passed(self):
        return sum(c.ok and not c.skipped for c in self.cases)

    @property
    def failed(self):
        return sum(not c.ok and not c.skipped for c in self.cases)

    @property
    def skipped(self):
        return sum(c.skipped for c in self.cases)

    @property
    def failures(self):
        return [c for c in self.cases if not c.ok and not c.skipped]

    def counts(self):
        return f"{self.passed} ok, {self.failed} failed, {self.skipped} skipped"


def _ktap_line(line):
    """Return (depth, content) if line is a KTAP line, else None."""
    line = line.rstrip()                # also drops the \r of \r\n
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    if indent % 4:
        return None
    if (stripped.startswith(("KTAP version", "ok ", "not ok ", "#"))
            or PLAN_RE.match(stripped)):
        return indent // 4, stripped
    return None


def _adopt(child, name):
    """The cases of a finished nested block, renamed "suite.case"."""
    prefix = (child.name or name or "?") + "."
    for case in child.cases:
        case.name = prefix + case.name
    return child.cases


class _Parser:
    def __init__(self):
        self.report = Report()
        self.stack = []         # open blocks, outermost first
        self.top_done = False   # the top-level document has been closed

    # -- helpers ---------------------------------------------------------

    def error(self, msg):
        self.report.errors.append("KTAP: " + msg)

    def where(self, block):
        return f"suite {block.label()}: " if block.depth else ""

    def open_block(self, depth):
        parent = self.stack[-1] if self.stack else None
        block = Block(depth=depth, parent=parent)
        self.stack.append(block)
        return block

    def pop_block(self, merge=True):
        """Close the innermost open block: check its plan and (if merge)
        hand its cases to the enclosing block."""
        block = self.stack.pop()
        if block.plan is None:
            self.error(f"{self.where(block)}no plan (1..N)")
        elif block.results != block.plan:
            self.error(f"{self.where(block)}planned {block.plan}, "
                       f"got {block.results}")
        if block.depth == 0:
            self.report.cases = block.cases
            self.top_done = True
        elif merge and block.parent is not None:
            block.parent.cases += _adopt(block, "")
        return block

    def close_all(self):
        while self.stack:
            self.pop_block()

    def block_at(self, depth):
        """The open block at this depth (closing any deeper ones), or a new
        one if its header is missing; None if the line fits nowhere."""
        while self.stack and self.stack[-1].depth > depth:
            self.pop_block()
        if self.stack and self.stack[-1].depth == depth:
            return self.stack[-1]
        if depth == 0 and not self.top_done:
            self.error("no 'KTAP version 1' header")
            return self.open_block(0)
        if depth > 0 and self.stack and self.stack[-1].depth == depth - 1:
            return self.open_block(depth)
        return None

    # -- one method per kind of line -------------------------------------

    def version(self, depth, version):
        if version != "1":
            self.error(f"unsupported 'KTAP version {version}'")
        if depth == 0:
            if self.stack:
                self.error("a second top-level 'KTAP version' line")
            else:
                self.report.seen_header = True
                self.open_block(0)
            return
        # A nested document starts inside the block one level up.
        while self.stack and self.stack[-1].depth >= depth:
            self.pop_block()
        if self.stack and self.stack[-1].depth == depth - 1:
            self.open_block(depth)

    def subtest(self, depth, name):
        block = self.block_at(depth)
        if block is None or depth == 0:
            return
        if block.results or block.name:
            # "# Subtest:" without a "KTAP version" line before it also
            # starts a new nested document (older KUnit output does this).
            self.pop_block()
            block = self.block_at(depth)
        block.name = name

    def plan(self, depth, n):
        block = self.block_at(depth)
        if block is None:
            return
        if block.plan is not None:
            self.error(f"{self.where(block)}second plan 1..{n}")
        elif block.results:
            self.error(f"{self.where(block)}plan 1..{n} after the results")
        else:
            block.plan = n

    def result(self, depth, ok, number, desc):
        name, _, directive = (desc or "").partition("#")
        name, directive = name.strip(), directive.strip()
        skipped = directive.upper().startswith("SKIP")

        # The nested document just before this line holds the suite's cases.
        while self.stack and self.stack[-1].depth > depth + 1:
            self.pop_block()
        child = None
        if self.stack and self.stack[-1].depth == depth + 1:
            child = self.stack[-1]
            if child.name and name and child.name != name:
                self.error(f"suite '{child.name}' reported as '{name}'")
            child.name = child.name or name
            self.pop_block(merge=False)

        block = self.block_at(depth)
        if block is None:
            return
        if block.plan is None and block.results == 0:
            self.error(f"{self.where(block)}no plan (1..N) before the results")
        block.results += 1
        if number != block.results:
            self.error(f"{self.where(block)}result '{name}' is numbered "
                       f"{number}, expected {block.results}")

        if child is not None:
            cases = _adopt(child, name)
            if not ok and not skipped and all(c.ok for c in cases):
                # The suite failed as a whole (its setup, say).
                cases.append(Case(name, False, False, directive,
                                  block.pending))
            block.cases += cases
            block.last = None
        else:
            block.last = Case(name, ok, skipped, directive, block.pending)
            block.cases.append(block.last)
        block.pending = []

        if depth == 0 and block.results == block.plan:
            self.close_all()

    def comment(self, depth, text):
        if not self.stack or self.stack[-1].depth != depth:
            return
        block = self.stack[-1]
        # A comment right after a failed case is about that case (ktest
        # prints "# case: EXPECTATION FAILED at ..." after "not ok").
        # Other comments go to the next case (KUnit prints them before).
        if block.last is not None and not block.last.ok:
            block.last.diagnostics.append(text)
        else:
            block.pending.append(text)

    # -- driver ----------------------------------------------------------

    def feed(self, line):
        parsed = _ktap_line(line)
        if parsed is None:
            return
        depth, text = parsed
        if self.top_done and depth == 0 and not text.startswith("#"):
            if VERSION_RE.match(text):
                self.error("a second top-level 'KTAP version' line")
            else:
                self.error(f"'{text}' after the plan was complete")
            return
        if m := VERSION_RE.match(text):
            self.version(depth, m.group(1))
        elif m := SUBTEST_RE.match(text):
            self.subtest(depth, m.group(1).strip())
        elif m := PLAN_RE.match(text):
            self.plan(depth, int(m.group(1)))
        elif m := RESULT_RE.match(text):
            self.result(depth, m.group(1) == "ok", int(m.group(2)), m.group(3))
        else:
            self.comment(depth, text[1:].strip())

    def finish(self):
        if not self.report.seen_header and not self.stack and not self.top_done:
            self.error("no KTAP output (no 'KTAP version 1' line)")
        # A document cut off in the middle is closed from the innermost
        # suite out: its error, where the kernel stopped, comes first.
        self.close_all()
        # A problem can be noticed twice (when seen and again when its block
        # closes): report each once.
        self.report.errors = list(dict.fromkeys(self.report.errors))
        return self.report


def parse_documents(text):
    """Like parse(), for a log that holds several KTAP documents one after
    the other (the kernel's ktests, then a user program's): each top-level
    'KTAP version' line starts a new one; the cases and errors of all of
    them in one Report."""
    parts, cur, has_version = [], [], False
    for line in text.splitlines():
        parsed = _ktap_line(line)
        if parsed and parsed[0] == 0 and VERSION_RE.match(parsed[1]):
            if has_version:
                parts.append(cur)
                cur = []
            has_version = True
        cur.append(line)
    parts.append(cur)
    merged = Report()
    for part in parts:
        r = parse("\n".join(part))
        merged.cases += r.cases
        merged.errors += r.errors
        merged.seen_header |= r.seen_header
    return merged


def parse(text):
    """Parse the KTAP document in text (a whole serial log); see Report."""
    parser = _Parser()
    for line in text.splitlines():
        parser.feed(line)
    return parser.finish()
