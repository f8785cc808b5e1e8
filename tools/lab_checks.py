#!/usr/bin/env python3
"""make test's checks of the lab machinery (tools/lab.py runs them):

    check N   the handout of lab N builds, boots both builds, passes the
              previous lab's graded tests and fails each of its own
    leaks     no handout holds a later lab's solution (text only, no boot)
    json      make grade's results.json, through the example autograder
              (docs/labs/autograder), against docs/labs/results.schema.json
    merge     a student's git merge of the next handout keeps their work

Each prints one line per thing it checked (ok/BAD) and a verdict, and
returns 0 or 1. docs/labs/README.md says what each promise is.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

from lab import REPO, STUB, build, handout, regions, run_tests, tracked_files


def seed_build(dest):
    """Start the handout's build from the reference tree's objects. The
    handout keeps each unchanged file's mtime (copy2) and gives the stubbed
    ones a new one, so make recompiles only what the stubs touch: the same
    decision as an incremental build of the reference tree."""
    for arch in ("x86_64", "i386"):
        src = os.path.join(REPO, "build", arch)
        if os.path.isfile(os.path.join(src, "kernel.elf")):
            shutil.copytree(src, os.path.join(dest, "build", arch), copy_function=shutil.copy2,
                            ignore=shutil.ignore_patterns("*.sock", "*.iso"))
    # The runner's master disk images (tools/ktest/diskimg.py): copied, not
    # made again from Python for every handout.
    disks = os.path.join(REPO, "build", "ktest-disks")
    if os.path.isdir(disks):
        shutil.copytree(disks, os.path.join(dest, "build", "ktest-disks"), copy_function=shutil.copy2)


def check(lab):
    dest = os.path.join(REPO, "build", "labs", f"lab{lab}")
    n = handout(lab, dest)
    seed_build(dest)
    print(f"lab {lab}: handout in {os.path.relpath(dest, REPO)}, {n} files stubbed")
    if not build(dest):
        print(f"lab {lab}: the handout does not build")
        return 1
    # One run of the runner for all of it, in parallel: the lab's own graded
    # tests must fail until solved; the handout must still boot both builds
    # (labsmoke), and the previous lab's work must still pass. Only the
    # previous lab's: in this handout it meets every later stub at once (the
    # stubs of labs N..9), its hardest case; each earlier lab k meets that
    # same hardest case in check k+1, and its tests pass against the
    # reference in make test itself (docs/labs/README.md). Labs without
    # graded tests in this tree are skipped back over, and said.
    groups = groups_of(dest)
    known = {g for gs in groups.values() for g in gs}
    mine, musts = f"lab{lab}", ["labsmoke"]
    for m in range(lab - 1, -1, -1):
        if f"lab{m}" in known:
            musts.append(f"lab{m}")
            break
        print(f"  --  lab{m}: no graded tests in this tree")
    results, out = run_tests(dest, ["--group", ",".join([mine] + musts)])
    ok = True
    own = [t for t in results if mine in groups.get(t, ())]
    if not own:
        print(out)
        ok = False
    for name in own:
        good = results[name] == "FAIL"
        ok &= good
        print(f"  {'ok ' if good else 'BAD'} {name}: {results[name]} in the handout (must fail until solved)")
    for name, verdict in results.items():
        if name in own:
            continue
        good = verdict == "PASS"
        ok &= good
        print(f"  {'ok ' if good else 'BAD'} {name}: {verdict} in the handout (must pass)")
    print(f"lab {lab}: handout check {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


def solution_rows(text, b, e):
    """The line numbers of a region's reference code: its body without the
    STUB block (the stub ships in handouts; the rest must not before its lab)."""
    lines = text.splitlines()
    out, in_stub = [], False
    for i in range(b + 1, e):
        if STUB.match(lines[i]):
            in_stub = True
        elif in_stub and lines[i].strip() == "*/":
            in_stub = False
        elif not in_stub:
            out.append(i)
    return out


def read_text(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (UnicodeDecodeError, OSError):
        return None                 # images: no source in them


def secrets():
    """{lab: [(file, line)]}: the reference lines that give each lab's
    solution away. A line counts if it is long enough to mean something and
    is nowhere in the tree with every region stubbed (so `}`, a lock call
    the stub also has, or a loop header any file could hold does not).
    Every region must have one, or its check would prove nothing."""
    texts = {}
    for f in tracked_files():
        text = read_text(os.path.join(REPO, f))
        if text is not None:
            texts[f] = text
    # Computed from the reference alone (not through stubbed()): the check
    # must not share the code it checks.
    common = set()
    for f, text in texts.items():
        secret = set()
        if f.endswith((".c", ".h", ".S")):
            for n, title, b, e in regions(text):
                secret.update(solution_rows(text, b, e))
        common.update(line.strip() for i, line in enumerate(text.splitlines()) if i not in secret)
    found = {}
    for f, text in texts.items():
        if not f.endswith((".c", ".h", ".S")):
            continue
        lines = text.splitlines()
        for n, title, b, e in regions(text):
            mine = [lines[i].strip() for i in solution_rows(text, b, e)]
            mine = [ln for ln in mine if ln not in common and len(ln) >= 12]
            if not mine:
                raise SystemExit(f"lab.py: LAB({n}) in {f} has no line distinct enough to check for")
            found.setdefault(n, []).extend((f, ln) for ln in mine)
    return found


def leaks(lab, found):
    """Where lab's handout holds a later lab's solution line or marker:
    every tracked text file is searched, docs too (a handout could quote it)."""
    dest = os.path.join(REPO, "build", "labs", f"leaks{lab}")
    handout(lab, dest)
    later = {ln: (n, f) for n, lines in found.items() if n > lab for f, ln in lines}
    marker = re.compile(r"/\* LAB\((\d+)\) (BEGIN|STUB|END)")
    bad = []
    for root, _, files in os.walk(dest):
        for name in files:
            path = os.path.join(root, name)
            text = read_text(path)
            if text is None:
                continue
            rel = os.path.relpath(path, dest)
            if rel.endswith((".c", ".h", ".S")):
                for m in marker.finditer(text):
                    if int(m.group(1)) > lab:
                        bad.append(f"{rel}: a LAB({m.group(1)}) marker")
            for line in text.splitlines():
                if line.strip() in later:
                    n, f = later[line.strip()]
                    bad.append(f"{rel}: lab {n}'s line from {f}: {line.strip()}")
    shutil.rmtree(dest)
    return bad, len(later)


def check_leaks():
    """make test's check that no handout leaks a later lab's solution: text
    only, no build and no boot."""
    found = secrets()
    ok = True
    for lab in sorted(found):
        bad, n = leaks(lab, found)
        print(f"lab {lab}: {n} solution lines of later labs searched, {len(bad)} found in the handout")
        for b in bad:
            print(f"  BAD {b}")
        ok &= not bad
    print(f"handouts {'leak no later solution' if ok else 'LEAK later solutions'}")
    return 0 if ok else 1


def check_json(lab=1):
    """make test's check of FORMAT=json and of the example autograder
    (docs/labs/autograder): lab's handout built as setup.sh builds it, then
    run_autograder on two submissions, the handout as handed out (every
    graded test fails, each with its log) and the handout with lab's
    reference files (every one passes). Each results.json must validate
    against docs/labs/results.schema.json with the scores it should have.
    A handout, not the reference tree, so the nested runner's logs stay out
    of the outer run's."""
    ag = os.path.join(REPO, "build", "labs", "autograder")
    if os.path.exists(ag):
        shutil.rmtree(ag)
    source = os.path.join(ag, "source")
    tree = os.path.join(source, "handout")
    handout(lab, tree)
    seed_build(tree)
    if not build(tree):                 # what setup.sh does, without its apt-get
        return 1
    with open(os.path.join(source, "LAB"), "w", encoding="utf-8") as fh:
        fh.write(f"{lab}\n")
    solved = [f for f in tracked_files() if f.endswith((".c", ".h", ".S")) and os.path.isfile(os.path.join(REPO, f))
              and f"LAB({lab}) BEGIN" in read_text(os.path.join(REPO, f))]
    schema = os.path.join(REPO, "docs", "labs", "results.schema.json")
    env = dict(os.environ, AUTOGRADER_ROOT=ag)
    ok = True
    for want in ("failed", "passed"):
        sub = os.path.join(ag, "submission")
        handout(lab, sub)
        if want == "passed":
            for f in solved:
                shutil.copy(os.path.join(REPO, f), os.path.join(sub, f))
        start = time.monotonic()
        subprocess.run(["bash", os.path.join(REPO, "docs", "labs", "autograder", "run_autograder")], env=env,
                       capture_output=True, text=True)
        print(f"run_autograder, a submission that should have {want}: {time.monotonic() - start:.1f} s")
        path = os.path.join(ag, "results", "results.json")
        r = subprocess.run([sys.executable, os.path.join(REPO, "tools", "check_results.py"), schema, path, "1"],
                           capture_output=True, text=True)
        sys.stdout.write(r.stdout)
        ok &= r.returncode == 0
        if r.returncode == 0:
            with open(path, encoding="utf-8") as fh:
                tests = json.load(fh)["tests"]
            for t in tests:
                good = t["status"] == want and (want == "passed" or "=== exit status" in t["output"])
                ok &= good
                print(f"  {'ok ' if good else 'BAD'} {t['name']} {t['status']}, {len(t['output'])} bytes of "
                      f"output (want {want}{', with its log' if want == 'failed' else ''})")
        os.remove(path)
    print(f"grader json {'valid' if ok else 'INVALID'}")
    return 0 if ok else 1


def check_merge(lab=1):
    """make test's check of the merge docs/labs/README.md tells students to
    do: handouts of lab and lab+1 as two commits of an instructor's
    repository; a student's clone solves lab (a line of their own in each
    of its regions) and merges the next handout with -X ours. The student's
    lines must survive, lab+1's TODOs arrive, no conflict stay. Git only."""
    base = os.path.join(REPO, "build", "labs", "merge")
    if os.path.exists(base):
        shutil.rmtree(base)
    ident = ["-c", "user.name=lab", "-c", "user.email=lab@localhost", "-c", "init.defaultBranch=handouts"]

    # base is inside the reference tree: git must never find its repository
    # from here (a failed step would commit to it), hence the ceiling, and
    # any step that fails ends the check.
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=os.path.dirname(base))

    def git(cwd, *args, may_fail=False):
        r = subprocess.run(["git"] + ident + list(args), cwd=cwd, capture_output=True, text=True, env=env)
        if r.returncode and not may_fail:
            raise SystemExit(f"lab.py: git {' '.join(args)} in {cwd}: {r.stderr.strip()}")
        return r

    inst, student = os.path.join(base, "handouts"), os.path.join(base, "student")
    os.makedirs(inst)
    git(inst, "init", "-q")
    handout(lab, inst)
    git(inst, "add", "-A")
    git(inst, "commit", "-qm", f"lab {lab}")
    git(base, "clone", "-q", inst, student)
    mine, files = f"/* my own lab {lab} work */", []
    for f in tracked_files():
        path = os.path.join(student, f)
        if not f.endswith((".c", ".h", ".S")) or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        todo = f"/* TODO(lab {lab}):"
        if todo in text:
            lines = text.splitlines(keepends=True)
            at = [i for i, ln in enumerate(lines) if todo in ln]
            for i in reversed(at):
                lines.insert(i + 1, lines[i][:len(lines[i]) - len(lines[i].lstrip())] + mine + "\n")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("".join(lines))
            files.append(f)
    git(student, "commit", "-qam", f"my lab {lab}")
    handout(lab + 1, inst)
    git(inst, "add", "-A")
    git(inst, "commit", "-qm", f"lab {lab + 1}")
    git(student, "fetch", "-q", "origin")
    r = git(student, "merge", "-X", "ours", "--no-edit", "origin/handouts", may_fail=True)
    ok = r.returncode == 0 and bool(files)
    print(f"merge of lab {lab + 1}'s handout into a student's lab {lab} tree: exit {r.returncode}")
    unmerged = git(student, "diff", "--name-only", "--diff-filter=U").stdout.split()
    ok &= not unmerged
    for f in files:
        with open(os.path.join(student, f), encoding="utf-8") as fh:
            kept = mine in fh.read()
        ok &= kept
        print(f"  {'ok ' if kept else 'BAD'} {f}: the student's lab {lab} work {'kept' if kept else 'LOST'}")
    for f in tracked_files():
        path = os.path.join(student, f)
        if f.endswith((".c", ".h", ".S")) and os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            if f"/* TODO(lab {lab + 1}):" in text:
                print(f"  ok  {f}: lab {lab + 1}'s TODO arrived")
                files.append(None)
    ok &= None in files
    print(f"handout merge {'works' if ok else 'FAILED'}")
    return 0 if ok else 1


def groups_of(tree):
    """{test: its groups} from tree's manifest, through the runner's reader."""
    sys.path.insert(0, os.path.join(tree, "tools", "ktest"))
    import manifest
    return {s.name: s.groups for s in manifest.load(os.path.join(tree, "tests", "manifest.ini"))}
