#!/usr/bin/env bash
# run.sh - self-test of the ktest runner (tools/ktest/).
#
# 1. Unit tests of the KTAP parser, the manifest reader and the verdicts.
# 2. Builds the fake kernels of fake.S (one per variant) into
#    build/ktest-selftest/.
# 3. Runs ktest.py on manifest.ini beside this script and checks that every
#    test got the verdict (and reason) it should, that the closing line and
#    the exit status are right, and that selection and manifest errors work.
#
# Exit status 0 iff all of that holds.  Run from anywhere; the real
# manifest runs it as the host test host.ktest_selftest.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cd "$repo"

out=build/ktest-selftest
ktest=(python3 tools/ktest/ktest.py --manifest "$here/manifest.ini"
       --logdir "$out/logs" --timeout-scale "${KTEST_TIMEOUT_SCALE:-1}")
errors=0

fail() {
    echo "selftest: FAILED: $*" >&2
    errors=$((errors + 1))
}

echo "== unit tests"
python3 -m unittest discover -s "$here" -p 'test_*.py'

echo "== fake kernels"
mkdir -p "$out"
for variant in pass fail panic truncated hang triple; do
    # Only when fake.S changed: a new kernel makes the runner build its
    # GRUB ISOs again (tools/ktest/iso.py), most of a repeated run's time.
    [ "$out/$variant.elf" -nt "$here/fake.S" ] && [ "$out/$variant.elf" -nt "$0" ] && continue
    # -n: no page alignment, so no segment holds the ELF headers below
    # 1 MiB (GRUB refuses to load anything there).
    gcc -m32 -nostdlib -static -no-pie -Wl,-n -Wl,-Ttext-segment=0x100000 \
        -Wl,--build-id=none "-DVARIANT_${variant^^}" \
        -o "$out/$variant.elf" "$here/fake.S"
done

echo "== runner"
set +e
"${ktest[@]}" -j "$(nproc)" >"$out/output.txt" 2>&1
status=$?
set -e
cat "$out/output.txt"

# expect VERDICT TEST [TEXT]: the result line of TEST shows VERDICT (and
# TEXT, if given).
expect() {
    local verdict=$1 name=$2 text=${3:-} line
    line=$(awk -v n="$name" '$2 == n' "$out/output.txt")
    if [ -z "$line" ]; then
        fail "no result line for $name"
    elif [ "${line%% *}" != "$verdict" ]; then
        fail "$name: expected $verdict, got: $line"
    elif [ -n "$text" ] && [[ $line != *"$text"* ]]; then
        fail "$name: expected '$text' in: $line"
    fi
}

expect PASS selftest.pass "3 ok, 0 failed, 1 skipped"
expect PASS selftest.pass.x86_64.q35.smp2
expect PASS selftest.cmdline_quoting
expect PASS selftest.panic "panicked as expected"
expect PASS selftest.gdb
expect PASS selftest.host_ok
expect FAIL selftest.fail "1 failed: boot.something (kernel/foo.c:12)"
expect FAIL selftest.panic_unexpected "panic: fake panic for selftest"
expect FAIL selftest.panic_wrong_text "panic text 'a different panic' not found"
expect FAIL selftest.truncated "KTAP: planned 3, got 1"
expect FAIL selftest.hang "TIMEOUT after"
expect FAIL selftest.triple "exit status 0 (triple fault or shutdown?)"
expect FAIL selftest.log_missing "log lacks: 'this line is not in the log'"
expect FAIL selftest.host_fail "exit status 3: boom"
expect SKIP selftest.skipped "shows that skip works"

[ "$status" -eq 1 ] || fail "runner exit status $status, expected 1"
last=$(tail -n 1 "$out/output.txt")
[ "$last" = "6 passed, 8 failed, 1 skipped" ] ||
    fail "closing line is '$last'"

# The log starts with the QEMU command and ends with the trailer.
log="$out/logs/selftest.pass.log"
head -n 1 "$log" | grep -q '^qemu-system-i386 -M pc -m 32M ' ||
    fail "$log does not start with the QEMU command"
tail -n 1 "$log" | grep -q '^=== exit status 33 after .* s ([0-9.]* s of CPU): PASS' ||
    fail "$log does not end with the trailer"

# The ten slowest (here all 14 that ran are candidates) and the JUnit XML.
grep -q '^Slowest 10:$' "$out/output.txt" || fail "no 'Slowest 10:' list"
python3 - "$out/logs/junit.xml" <<'PY' || fail "logs/junit.xml is wrong"
import sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
cases = {c.get("name"): c for c in suite.iter("testcase")}
assert len(cases) == 15, len(cases)
assert suite.get("failures") == "8" and suite.get("skipped") == "1", suite.attrib
assert "1 failed: boot.something" in cases["selftest.fail"].find("failure").get("message")
assert cases["selftest.skipped"].find("skipped") is not None
assert cases["selftest.pass"].find("failure") is None
assert float(cases["selftest.hang"].get("time")) >= 2
def cpu(name):
    return float(cases[name].find("properties/property[@name='cpu_seconds']").get("value"))
# QEMU's CPU, from os.wait4: a boot uses some; a killed hang is counted too.
assert 0 < cpu("selftest.pass") < 60, cpu("selftest.pass")
assert 0 < cpu("selftest.hang"), cpu("selftest.hang")
PY

echo "== selection"
# A passing selection exits 0; names and groups combine.
if ! "${ktest[@]}" selftest.pass 'selftest.host_*' --group good \
        >"$out/output2.txt" 2>&1; then
    cat "$out/output2.txt"
    fail "a passing selection did not exit 0"
fi
[ "$(tail -n 1 "$out/output2.txt")" = "1 passed, 0 failed, 0 skipped" ] ||
    fail "selection: $(tail -n 1 "$out/output2.txt")"

n=$("${ktest[@]}" --list --arch x86_64 | wc -l)
[ "$n" -eq 1 ] || fail "--arch x86_64 lists $n tests, expected 1"

# Only skipped tests: nothing ran, so that is not a success.
if "${ktest[@]}" selftest.skipped >/dev/null 2>&1; then
    fail "a run with no test run exited 0"
fi

for bad in "no.such.test" "--group nosuchgroup"; do
    set +e
    # shellcheck disable=SC2086  # $bad is one or two words on purpose
    "${ktest[@]}" $bad >/dev/null 2>&1
    s=$?
    set -e
    [ "$s" -eq 2 ] || fail "'$bad' exited $s, expected 2"
done

# A typo in the manifest is an error, not a silently ignored key.
printf '[t]\narch = i386\ncmdlin = x\n' >"$out/bad.ini"
set +e
msg=$(python3 tools/ktest/ktest.py --manifest "$out/bad.ini" --list 2>&1)
s=$?
set -e
if [ "$s" -ne 2 ] || [[ $msg != *"unknown key 'cmdlin'"* ]]; then
    fail "a bad manifest gave exit $s: $msg"
fi

if [ "$errors" -ne 0 ]; then
    echo "selftest: $errors check(s) failed; logs in $out/logs" >&2
    exit 1
fi
echo "selftest: all checks passed"
