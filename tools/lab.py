#!/usr/bin/env python3
"""Lab handouts and grading.

The reference kernel marks each lab's solution in the source:

    /* LAB(2) BEGIN: merge a freed block with its buddy */
    ...reference code...
    /* LAB(2) STUB
    ...what the student starts from (optional)...
    */
    /* LAB(2) END */

    tools/lab.py handout N DEST   write a student tree: lab N's regions become
                                  their stubs and a TODO line, every later lab's
                                  their stubs and a LATER line (no later solution
                                  ships); earlier labs' stay. DEST's .git stays
    tools/lab.py grade N [json [FILE]]
                                  build, run lab N's graded tests (manifest group
                                  labN), print a score per test and the total;
                                  json: also write Gradescope's results.json to
                                  FILE (default build/results.json)
    (check, leaks, json and merge are in tools/lab_checks.py)
    tools/lab.py check N          make test's check: the handout of lab N builds,
                                  boots, passes every earlier lab's tests and
                                  fails each of its own graded tests
    tools/lab.py leaks            make test's check: no handout holds a later
                                  lab's solution (text search, no boot)
    tools/lab.py json             make test's check of the grader's results.json
                                  (docs/labs/results.schema.json) through the
                                  example autograder (docs/labs/autograder)
    tools/lab.py merge            make test's check of the student's git merge
                                  of the next handout (docs/labs/README.md)
    tools/lab.py list             the labs and their regions

The handout holds the files git tracks (as they are in the working tree) and
no git history (it would contain the solution). Every stub ships in every
earlier lab's handout, so each must keep the kernel running
(docs/labs/README.md).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = re.compile(r"^(\s*)/\* LAB\((\d+)\) BEGIN:?\s*(.*?)\s*\*/\s*$")
STUB = re.compile(r"^\s*/\* LAB\((\d+)\) STUB\s*$")
END = re.compile(r"^\s*/\* LAB\((\d+)\) END \*/\s*$")
HANDOUTS = {0: "lab0-tools.md", 1: "lab1-paging.md", 2: "lab2-buddy.md", 3: "lab3-kmalloc.md",
            4: "lab4-vmalloc.md", 5: "lab5-highmem.md", 6: "lab6-block.md", 7: "lab7-processes.md",
            8: "lab8-faults.md", 9: "lab9-read-path.md"}


def tracked_files():
    # The files git tracks, as they are in the working tree: a new file
    # reaches handouts once it is added to git.
    out = subprocess.run(["git", "ls-files"], cwd=REPO, check=True, capture_output=True, text=True).stdout
    return [f for f in out.splitlines() if not f.startswith(("build/", "logs/"))]


def regions(text, lab=None):
    """Yield (lab, title, begin_line, end_line) of every region."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = BEGIN.match(lines[i])
        if m:
            n = int(m.group(2))
            j = i + 1
            while j < len(lines) and not (END.match(lines[j]) and int(END.match(lines[j]).group(1)) == n):
                j += 1
            if j == len(lines):
                raise SystemExit(f"lab.py: LAB({n}) BEGIN at line {i + 1} has no END")
            if lab is None or n == lab:
                yield n, m.group(3), i, j
            i = j
        i += 1


def stubbed(text, lab):
    """text with the regions of lab and of every later lab replaced by their
    stubs: a handout holds no solution the student has not reached yet.
    Earlier labs' regions stay (the reference, or the student's own work)."""
    lines = text.splitlines(keepends=True)
    out, last = [], 0
    for n, title, b, e in regions(text):
        if n < lab:
            continue
        indent = BEGIN.match(lines[b]).group(1)
        out += lines[last:b]
        doc = HANDOUTS.get(n, f"lab{n}")
        if n == lab:
            out.append(f"{indent}/* TODO(lab {n}): {title} (docs/labs/{doc}) */\n")
        else:
            out.append(f"{indent}/* LATER(lab {n}): {title} (docs/labs/{doc}): a stub until then */\n")
        body = lines[b + 1:e]
        for k, line in enumerate(body):
            if STUB.match(line):
                stub = []
                for s in body[k + 1:]:
                    if s.strip() == "*/":
                        break
                    stub.append(s)
                out += stub
                break
        last = e + 1
    out += lines[last:]
    return "".join(out)


def clear(dest):
    """Empty dest for a new handout, keeping a .git: an instructor's handout
    repository gets each lab's handout as one more commit (docs/labs/README.md)."""
    real = os.path.realpath(dest)
    if real == os.path.realpath(REPO) or os.path.realpath(REPO).startswith(real + os.sep):
        raise SystemExit(f"lab.py: {dest} holds the reference tree: a handout there would erase it")
    if not os.path.isdir(os.path.join(dest, ".git")):
        if os.path.exists(dest):
            shutil.rmtree(dest)
        return
    for name in os.listdir(dest):
        if name != ".git":
            path = os.path.join(dest, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.remove(path)


def handout(lab, dest):
    clear(dest)
    changed = own = 0
    for f in tracked_files():
        src = os.path.join(REPO, f)
        if not os.path.isfile(src):
            continue
        dst = os.path.join(dest, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
        if f.endswith((".c", ".h", ".S")):
            with open(src, encoding="utf-8") as fh:
                text = fh.read()
            labs = [n for n, _, _, _ in regions(text)]
            own += labs.count(lab)
            if any(n >= lab for n in labs):
                with open(dst, "w", encoding="utf-8") as fh:
                    fh.write(stubbed(text, lab))
                changed += 1
    if not own:
        raise SystemExit(f"lab.py: no LAB({lab}) regions in the tree")
    return changed


def build(tree):
    for arch in ("x86_64", "i386"):
        r = subprocess.run(["make", "-s", "-j2", f"ARCH={arch}", "kernel"], cwd=tree,
                           capture_output=True, text=True)
        if r.returncode:
            sys.stdout.write(r.stdout + r.stderr)
            return False
    return True


def run_tests(tree, selection):
    """Run tests in tree (runner arguments: names or --group G); returns
    {test: PASS/FAIL/SKIP} and the runner's output."""
    r = subprocess.run([sys.executable, "tools/ktest/ktest.py", "--no-build"] + selection,
                       cwd=tree, capture_output=True, text=True)
    results = {}
    for line in r.stdout.splitlines():
        m = re.match(r"^(PASS|FAIL|SKIP)\s+(\S+)", line)
        if m:
            results[m.group(2)] = m.group(1)
    return results, r.stdout


def log_tail(tree, test, lines=40):
    """The end of a test's log: what a student needs to see why it failed."""
    try:
        with open(os.path.join(tree, "logs", f"{test}.log"), encoding="utf-8", errors="replace") as fh:
            return "".join(fh.readlines()[-lines:])
    except OSError:
        return "(no log)\n"


def grade(lab, fmt="text", results_path=None):
    start = time.monotonic()
    tests, out = [], ""
    built = build(REPO)
    if built:
        results, out = run_tests(REPO, ["--group", f"lab{lab}"])
        for name, verdict in results.items():
            tests.append((name, verdict, 1 if verdict == "PASS" else 0))
    if built and not tests:
        print(out)
        print(f"lab {lab}: no graded tests (manifest group lab{lab})")
    score = sum(t[2] for t in tests)
    if tests:
        print(f"Lab {lab} grade")
        for name, verdict, got in tests:
            print(f"  {name:<40} {verdict}  {got}/1")
        print(f"score: {score}/{len(tests)}")
        if score < len(tests):
            print("(logs/<test>.log shows why a test failed)")
    if fmt == "json":
        # Gradescope's autograder format (docs/labs/README.md, results.schema.json):
        # the total is the sum of the tests; a build failure is a score of 0
        # with the reason in the top-level output.
        doc = {
            "score": score,
            "execution_time": int(round(time.monotonic() - start)),
            "output": (f"Lab {lab}: {score}/{len(tests)} graded tests pass" if tests else
                       f"Lab {lab}: the kernel did not build or no graded test ran; run make grade LAB={lab}"),
            "stdout_visibility": "visible",
            "tests": [{"name": name, "score": got, "max_score": 1,
                       "status": "passed" if got else "failed",
                       "output": f"{verdict}\n" + ("" if got else log_tail(REPO, name)),
                       "visibility": "visible"} for name, verdict, got in tests],
        }
        path = results_path or os.path.join(REPO, "build", "results.json")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2)
            fh.write("\n")
        print(f"results: {path}")
    return 0 if tests and score == len(tests) else 1


def list_labs():
    for f in tracked_files():
        if not f.endswith((".c", ".h", ".S")) or not os.path.isfile(os.path.join(REPO, f)):
            continue
        with open(os.path.join(REPO, f), encoding="utf-8") as fh:
            text = fh.read()
        for n, title, b, e in regions(text):
            print(f"lab {n}: {f}:{b + 1}-{e + 1}  {title}")
    return 0


def main(argv):
    if len(argv) == 3 and argv[0] == "handout":
        n = handout(int(argv[1]), os.path.abspath(argv[2]))
        print(f"lab {argv[1]}: student tree in {argv[2]} ({n} files with stubs)")
        return 0
    if len(argv) in (2, 3, 4) and argv[0] == "grade":
        fmt = "json" if len(argv) > 2 and argv[2] == "json" else "text"
        if len(argv) > 2 and argv[2] not in ("json", "text"):
            sys.stderr.write(__doc__)
            return 2
        return grade(int(argv[1]), fmt, argv[3] if len(argv) == 4 else None)
    if len(argv) == 2 and argv[0] == "check":
        import lab_checks
        return lab_checks.check(int(argv[1]))
    if argv in (["merge"], ["json"], ["leaks"]):
        import lab_checks
        return {"merge": lab_checks.check_merge, "json": lab_checks.check_json,
                "leaks": lab_checks.check_leaks}[argv[0]]()
    if argv == ["list"]:
        return list_labs()
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
