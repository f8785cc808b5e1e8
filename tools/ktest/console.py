"""Type at the monitor or the shell over a real serial line (kind = console).

QEMU's COM1 is a Unix socket; the runner connects, waits for the prompt,
and sends lines one at a time as a user would type them, waiting for the
prompt to come back after each.  The console key names a driver and its
arguments:

- `fuzz SEED COUNT` (boot with `monitor`) sends COUNT hostile lines to the
  monitor (random bytes, control and escape characters, lines longer than
  the monitor's line buffer, every command with hostile arguments) from a
  seeded generator, so a failure replays.  The verdict: every line got its
  prompt back, nothing printed an oops, BUG, WARNING or panic, and `exit`
  powered the machine off.
- `shell` (boot without `monitor`: init starts consd and /bin/sh) talks
  to the shell's `$ ` prompt: a program's output, `$?` after `false`, `&`
  and `wait`, the line editor (backspace, Ctrl-U, Ctrl-C), the `monitor`
  door and back to `$ `; then the monitor's `poweroff`.
- `consd_restart`: kills the console server twice from the shell (`kill`,
  then `kill -9`); init must log each death and restart it, the shell
  must keep answering, and ps must show one consd and one input helper
  (the first one, adopted by each new consd); first, `blk` must list
  the blk0 init handed the shell.
- `shell_files`: the shell's redirections and the utilities over a file
  system: `usertests --serve /t &` mounts a fake one (four files and a
  root directory, user/bin/usertests/fakefs.c); `>`, `>>`, `<`, `2>`,
  cd/pwd, ls, cat, wc, head, stat, cksum (compared with the host's cksum of
  the same bytes), a program run from the file system, mount and umount;
  then the `poweroff` program powers the machine off.  `pipes` adds
  pipelines (the kernel pipe, system call 82); `root=DIR` (the build's
  `build/<arch>/user/root`, what the initramfs holds) checks the
  initramfs served at `/`: `ls /bin`, `cat /bin/hello | wc -c`, and
  `cksum /bin/hello` against the host's cksum of DIR/bin/hello.
- `shell_ext2` (boot with disk 0 made by `tools/ufs_image.py make IMG
  1024`; init mounts it at /mnt/sda): the utilities on a real ext2 server:
  cksum of files against the host's cksum of the same tree, ls, ls -l of
  a symbolic link, mkdir -p, >, >>, cp of 2 MiB, mv, touch, rm, rmdir
  (ENOTEMPTY), stat, mv across mounts (EROFS on /), df, `usertests
  'ufdx.*'` (the fd layer's calls on ext2), sync, then the
  `poweroff` program, which must unmount /mnt/sda cleanly; the manifest's
  `after` judges the image (tools/ufs_image.py check, tools/ufd_image.py).
- `crashy` (boot with `-- --service /bin/t_crashy`): init must restart
  the crashing server RESTART_LIMIT times, then give it up, and the shell
  must work all along.
"""
import re

import random
import socket
import time

PROMPT = b"\npagoda> "
BAD = ("BUG", "Oops", "panic", "WARNING")
LINE_MAX = 255          # the monitor's line buffer, kernel/observe/monitor.c

# Words for commands and arguments: what a user, a cat on the keyboard and
# a paste of the wrong window would send.
WORDS = ["help", "mem", "pt", "v2p", "page", "kmalloc", "kfree", "ksize", "vmalloc", "vfree",
         "ioremap", "iounmap", "kmap", "kunmap", "kmap_local", "kmaps", "held", "vmallocinfo",
         "dread", "dcrc", "dplug", "ahci", "slabinfo", "buddyinfo", "cpus", "uptime", "tlbinfo",
         "0", "-1", "0x", "zzz", "pfn:", "pfn:1", "pfn:ffffffff", "99999999999999999999",
         "18446744073709551616", "4K", "16G", "ffff800000000000", "ffffc90000000000",
         "ffffffff80100000", "c0100000", "f8800000", "ffffffff", "fee00000", "release", "last",
         "nodisk"]


SHELL_PROMPT = b"\n$ "


class Console:
    def __init__(self, sock, deadline):
        self.sock, self.deadline, self.transcript = sock, deadline, bytearray()

    def wait_prompt(self, start, prompt=PROMPT):
        """Read until prompt appears after offset start; False on timeout."""
        while prompt not in self.transcript[start:]:
            left = self.deadline - time.monotonic()
            if left <= 0:
                return False
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return False
            if not data:
                return False
            self.transcript += data
        return True

    def send(self, data):
        """Send data at once, as a paste would: the kernel leaves what its
        ring cannot hold in the UART, so nothing may be lost."""
        start = len(self.transcript)
        self.sock.sendall(data)
        return start


def hostile_lines(seed, count):
    """COUNT lines of bytes, none holding CR or LF (they end a line)."""
    rng = random.Random(seed)
    controls = [b for b in range(1, 32) if b not in (3, 10, 13)] + [0x7f]
    for i in range(count):
        shape = rng.randrange(4)
        if shape == 0:                  # a command with hostile arguments
            line = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 6))).encode()
        elif shape == 1:                # escape sequences inside words
            line = rng.choice(WORDS).encode() + b"\x1b[" + rng.choice([b"A", b"B", b"2~", b"1;5C"]) + \
                b" " + rng.choice(WORDS).encode()
        elif shape == 2:                # longer than the line buffer
            line = bytes(rng.randrange(33, 127) for _ in range(rng.randrange(LINE_MAX + 1, 3 * LINE_MAX)))
        else:                           # any bytes but the line ends
            line = bytes(rng.choice(controls) if rng.random() < 0.2 else rng.randrange(32, 256)
                         for _ in range(rng.randrange(0, 2 * LINE_MAX)))
        yield line


def fuzz(con, seed, count):
    """Returns (ok, reason)."""
    if not con.wait_prompt(0):
        return False, "no monitor prompt after boot"
    lines = list(hostile_lines(int(seed), int(count)))
    # Ctrl-C abandons a half-typed line; Ctrl-U erases it: both give a prompt.
    lines += [b"kfree ffffc9\x03", b"vfree ffffc90000000000\x15help", b"\x1b"]
    for n, line in enumerate(lines):
        start = con.send(line + b"\r")
        if not con.wait_prompt(start):
            return False, f"no prompt after line {n + 1} of {len(lines)}: {line[:60]!r}"
    bad = _bad_output(con)
    if bad:
        return False, f"'{bad}' in the output"
    if b"line too long" not in con.transcript:
        return False, "no over-long line was refused"
    con.send(b"exit\r")
    return True, f"{len(lines)} lines, a prompt after each"


def shell(con):
    """Returns (ok, reason). Each step: what to type, the prompt that must
    come back, and text the answer must hold (None: nothing asked)."""
    if not con.wait_prompt(0, SHELL_PROMPT):
        return False, "no shell prompt '$ ' after boot"
    steps = [
        (b"echo hi there", SHELL_PROMPT, "hi there\r\n"),
        (b"false; echo status $?", SHELL_PROMPT, "status 1"),
        (b"true; echo status $?", SHELL_PROMPT, "status 0"),
        (b"/bin/echo 'two  words' \"and more\"", SHELL_PROMPT, "two  words and more"),
        (b"nosuchprogram", SHELL_PROMPT, "nosuchprogram: "),
        (b"echo status $?", SHELL_PROMPT, "status 127"),
        (b"sleep 1 &", SHELL_PROMPT, "["),
        (b"wait", SHELL_PROMPT, "done"),
        (b"echo xyz\x7f\x7fab", SHELL_PROMPT, "xab"),             # backspace
        (b"echo gone\x15echo kept", SHELL_PROMPT, "kept"),         # Ctrl-U
        (b"echo never\x03", SHELL_PROMPT, "^C"),                   # Ctrl-C
        (b"ps", SHELL_PROMPT, " sh"),
        (b"monitor", PROMPT, None),
        (b"uptime", PROMPT, "jiffies"),
        (b"exit", SHELL_PROMPT, None),
        (b"echo back in the shell $?", SHELL_PROMPT, "back in the shell 0"),
    ]
    for n, (line, prompt, want) in enumerate(steps):
        # ^C ends the line itself (a fresh prompt): a \r after it would be an
        # empty line whose late second prompt the next step could take for
        # its own answer.
        start = con.send(line if line.endswith(b"\x03") else line + b"\r")
        if not con.wait_prompt(start, prompt):
            return False, f"no {prompt.decode().strip()!r} prompt after step {n + 1}: {line!r}"
        got = con.transcript[start:].decode("utf-8", errors="replace")
        if want is not None and want not in got:
            return False, f"step {n + 1} {line!r}: {want!r} not in the answer {got!r}"
        if "never" in got.split("^C")[-1]:
            return False, "Ctrl-C did not cancel the line"
    ok, reason = _poweroff(con)
    return ok, reason or f"{len(steps)} shell steps, the monitor door and back"


def _steps(con, steps):
    """Run (line, prompt, want) steps as shell() does; (ok, reason)."""
    for n, (line, prompt, want) in enumerate(steps):
        start = con.send(line + b"\r")
        if not con.wait_prompt(start, prompt):
            return False, f"no {prompt.decode().strip()!r} after {line!r}"
        got = con.transcript[start:].decode("utf-8", errors="replace")
        if want is not None and want not in got:
            return False, f"{line!r}: {want!r} not in the answer {got!r}"
    return True, ""


def _bad_output(con):
    """The first BAD line the console printed so far, or None."""
    text = con.transcript.decode("utf-8", errors="replace")
    return next((bad for bad in BAD if bad in text), None)


def _poweroff_program(con):
    """Type the shell's `poweroff`: where its output starts, or None if
    the machine did not power down."""
    start = con.send(b"poweroff\r")
    return start if con.wait_prompt(start, b"reboot: Power down") else None


def _clean_poweroff(con):
    """No BAD line so far, then the shell's `poweroff`: (where its output
    starts, None), or (None, why not)."""
    bad = _bad_output(con)
    if bad:
        return None, f"'{bad}' in the output"
    start = _poweroff_program(con)
    if start is None:
        return None, "the poweroff program did not power off"
    return start, None


def _poweroff(con):
    bad = _bad_output(con)
    if bad:
        return False, f"'{bad}' in the output"
    start = con.send(b"monitor\r")
    if not con.wait_prompt(start):
        return False, "no monitor prompt for the power-off"
    con.send(b"poweroff\r")
    return True, ""


def consd_restart(con):
    """Returns (ok, reason)."""
    if not con.wait_prompt(0, SHELL_PROMPT):
        return False, "no shell prompt '$ ' after boot"
    # init gave the shell the first disk (the ramdisk, served by the
    # kernel: blk=kernel) as "blk0"; blk finds it in HANDLES.
    ok, reason = _steps(con, [(b"blk", SHELL_PROMPT, "blk0 ")])
    if not ok:
        return ok, reason
    helper = None
    for n, (kill, death) in enumerate([(b"kill", b"init: consd died of SIGTERM; restarting (1st time)"),
                                       (b"kill -9", b"init: consd died of SIGKILL; restarting (2nd time)")]):
        # Which consd is the server: ps's lines come whole (they pass
        # through consd), init's and consd's own log lines may interleave.
        start = con.send(b"ps\r")
        if not con.wait_prompt(start, SHELL_PROMPT):
            return False, f"no prompt after ps before kill {n + 1}"
        got = con.transcript[start:].decode("utf-8", errors="replace")
        consds = [l.split()[:2] for l in got.splitlines() if l.endswith(" consd")]
        if helper is None:              # the input helper: the child of the server
            servers = [pid for pid, ppid in consds if ppid == "1"]
            helper = next((pid for pid, ppid in consds if servers and ppid == servers[0]), None)
            if not helper:
                return False, f"ps shows no consd and its input helper: {got!r}"
        servers = [pid for pid, ppid in consds if ppid == "1" and pid != helper]
        if len(servers) != 1:
            return False, f"ps shows consd servers {servers}, not one, before kill {n + 1}: {got!r}"
        pids = [servers[0].encode()]
        start = con.send(kill + b" " + pids[-1] + b"\r")
        if not con.wait_prompt(start, death):
            return False, f"no {death.decode()!r} after {kill.decode()} {pids[-1].decode()}"
        # What is typed now waits in the endpoint for the next consd, and
        # init's lines may land anywhere in the shell's: each step waits
        # for its own output and the prompt after it.
        ok, reason = _steps(con, [(b"echo still here", b"\nstill here\r\n$ ", None),
                                  (b"false; echo status $?", b"\nstatus 1\r\n$ ", None)])
        if not ok:
            return ok, reason
    start = con.send(b"ps\r")
    if not con.wait_prompt(start, SHELL_PROMPT):
        return False, "no prompt after the last ps"
    got = con.transcript[start:].decode("utf-8", errors="replace")
    consds = [l.split()[0] for l in got.splitlines() if l.endswith(" consd")]
    if len(consds) != 2 or helper not in consds:
        return False, f"ps shows consd processes {consds}, not the new server and the first input helper {helper}"
    ok, reason = _poweroff(con)
    return ok, reason or "consd killed twice, restarted, the shell answered after each"


def crashy(con):
    """Returns (ok, reason)."""
    if not con.wait_prompt(0, SHELL_PROMPT):
        return False, "no shell prompt '$ ' after boot"
    if not con.wait_prompt(0, b"; giving up"):
        return False, "init never gave t_crashy up"
    text = con.transcript.decode("utf-8", errors="replace")
    restarts = re.findall(r"init: t_crashy died of SIGSEGV; restarting \((\d+)\w\w time\) in (\d+) ms", text)
    if [int(r) for r, _ in restarts] != [1, 2, 3, 4, 5]:
        return False, f"t_crashy's restarts were {restarts}, not the 1st to the 5th"
    delays = [int(d) for _, d in restarts]
    if delays != sorted(delays) or delays[0] == delays[-1]:
        return False, f"no backoff: the delays were {delays} ms"
    if text.count("init: started t_crashy") != 6:
        return False, f"t_crashy started {text.count('init: started t_crashy')} times, not 6"
    ok, reason = _steps(con, [(b"echo alive", SHELL_PROMPT, "alive\r\n")])
    if not ok:
        return ok, reason
    ok, reason = _poweroff(con)
    return ok, reason or f"t_crashy restarted 5 times (delays {delays} ms), then given up"


def _host_cksum(data):
    """GNU cksum's "CRC SIZE" of data, from the host's own cksum."""
    import subprocess
    out = subprocess.run(["cksum"], input=data, capture_output=True, check=True).stdout
    return out.decode().strip()


def _wait_mounted(con, line, what):
    """Type `mount` until its table holds line (a server mounts itself in
    the background): None, or why it never did."""
    for _ in range(50):
        start = con.send(b"mount\r")
        if not con.wait_prompt(start, SHELL_PROMPT):
            return "no prompt after mount"
        if line in con.transcript[start:].decode("utf-8", errors="replace"):
            return None
    return f"{what} never appeared in `mount`"


def shell_files(con, *flags):
    """Returns (ok, reason)."""
    if not con.wait_prompt(0, SHELL_PROMPT):
        return False, "no shell prompt '$ ' after boot"
    ok, reason = _steps(con, [(b"usertests --serve /t &", SHELL_PROMPT, "[")])
    if not ok:
        return ok, reason
    why = _wait_mounted(con, "fake on /t type fakefs (rw)", "the fake file system")
    if why:
        return False, why
    hello = _host_cksum(b"hello world\n")
    steps = [
        (b"echo one > /t/big; cat /t/big", SHELL_PROMPT, "\none\r\n"),
        (b"echo two >> /t/big; cat < /t/big", SHELL_PROMPT, "one\r\ntwo\r\n"),
        (b"echo three > /t/big; cat /t/big", SHELL_PROMPT, "\nthree\r\n$"),   # > truncates
        (b"wc /t/big", SHELL_PROMPT, "1 1 6 /t/big"),
        (b"cat /t/nosuch 2> /t/big2; echo status $?", SHELL_PROMPT, "status 1"),
        (b"cat /t/big2", SHELL_PROMPT, "cat: /t/nosuch: ENOENT"),
        (b"cksum /t/hello", SHELL_PROMPT, hello + " /t/hello"),
        (b"ls /t", SHELL_PROMPT, "big\r\nbig2\r\nhello\r\nprog\r\n"),
        (b"ls -l /t/hello", SHELL_PROMPT, "-rw-r--r-- 1 0 0 12 /t/hello"),
        (b"stat /t/hello", SHELL_PROMPT, "Size: 12"),
        (b"cd /t; pwd", SHELL_PROMPT, "\n/t\r\n"),
        (b"head -n 1 hello; echo status $?", SHELL_PROMPT, "hello world\r\nstatus 0"),
        (b"./prog; echo status $?", SHELL_PROMPT, "status 42"),           # exec from the file system
        (b"pwd > big; cat big", SHELL_PROMPT, "\n/t\r\n"),               # a builtin's redirection
        (b"cd /; pwd; head -n 2x /t/hello", SHELL_PROMPT, "\n/\r\nhead: invalid number of lines: '2x'"),
        (b"cd /nowhere", SHELL_PROMPT, "sh: cd: /nowhere: ENOENT"),
        (b"echo > ; echo status $?", SHELL_PROMPT, "syntax error"),
    ]
    root = next((f[5:] for f in flags if f.startswith("root=")), None)
    if root:
        import os
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", root, "bin", "hello")
        with open(path, "rb") as f:
            data = f.read()
        steps += [
            (b"mount", SHELL_PROMPT, "initramfs on / type initramfs (ro)"),
            (b"ls /bin", SHELL_PROMPT, "\nhello\r\n"),
            (b"ls /", SHELL_PROMPT, "\nbin\r\n"),
            (b"cksum /bin/hello", SHELL_PROMPT, _host_cksum(data) + " /bin/hello"),
            (b"cat /bin/hello | wc -c", SHELL_PROMPT, f"\n{len(data)}\r\n"),
            (b"wc -c < /bin/hello", SHELL_PROMPT, f"\n{len(data)}\r\n"),
            (b"cd /bin; ls -l hello", SHELL_PROMPT, f" {len(data)} hello"),
            (b"cd /; echo x > /bin/new; echo status $?", SHELL_PROMPT, "EROFS"),
            (b"df", SHELL_PROMPT, "% /\r\nfake 2048 "),
        ]
    if "pipes" in flags:
        steps += [
            (b"cat /t/hello | wc", SHELL_PROMPT, "\n1 2 12\r\n"),
            (b"echo a b c | cat | cat | wc -w", SHELL_PROMPT, "\n3\r\n"),
            (b"cat /t/hello | head -n 1 > /t/big; cksum < /t/big", SHELL_PROMPT, hello + "\r\n"),
            (b"false | true; echo status $?", SHELL_PROMPT, "status 0"),
            (b"true | false; echo status $?", SHELL_PROMPT, "status 1"),
        ]
    steps += [(b"umount /t; mount", SHELL_PROMPT, None)]
    ok, reason = _steps(con, steps)
    if not ok:
        return ok, reason
    if "/t type" in con.transcript[-200:].decode("utf-8", errors="replace"):
        return False, "/t still mounted after umount"
    start, why = _clean_poweroff(con)
    if why:
        return False, why
    return True, (f"{len(steps)} steps with redirections{', pipes' if 'pipes' in flags else ''}"
                  f"{', the initramfs at /' if root else ''}, then poweroff")


def _tree_cksum(name):
    """The host's cksum ("CRC SIZE") of name in tools/ufs_image.py's tree."""
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import ufd_image
    return _host_cksum(ufd_image.tree_file(name))


def shell_ext2(con):
    """Returns (ok, reason)."""
    if not con.wait_prompt(0, SHELL_PROMPT):
        return False, "no shell prompt '$ ' after boot"
    why = _wait_mounted(con, "sda on /mnt/sda type ext2 (rw)", "/mnt/sda")
    if why:
        return False, why
    big = _tree_cksum("big")
    steps = [
        (b"cd /mnt/sda; pwd", SHELL_PROMPT, "\n/mnt/sda\r\n"),
        (b"cksum files/size-1025", SHELL_PROMPT, _tree_cksum("files/size-1025") + " files/size-1025"),
        (b"cksum big", SHELL_PROMPT, big + " big"),
        (b"cat files/size-12289 | cksum", SHELL_PROMPT, _tree_cksum("files/size-12289") + "\r\n"),
        (b"ls wide | wc -l", SHELL_PROMPT, "\n150\r\n"),
        (b"ls -l link", SHELL_PROMPT, " link -> files/size-1"),
        (b"mkdir -p u/v/w; ls u", SHELL_PROMPT, "\nv\r\n"),
        (b"echo hello > u/a; echo more >> u/a; cat u/a", SHELL_PROMPT, "\nhello\r\nmore\r\n"),
        (b"cp big u/big2; cksum u/big2", SHELL_PROMPT, big + " u/big2"),
        (b"mv u/a u/v/b; cat u/v/b; ls u", SHELL_PROMPT, "more\r\nbig2\r\nv\r\n"),
        (b"touch u/t u/made; ls u", SHELL_PROMPT, "\nbig2\r\nmade\r\nt\r\nv\r\n"),
        (b"touch u/made; echo status $?", SHELL_PROMPT, "status 0"),
        (b"rm u/t; rmdir u/v/w; rmdir u/v", SHELL_PROMPT, "rmdir: u/v: ENOTEMPTY"),
        (b"stat u/v/b", SHELL_PROMPT, "Size: 11"),
        (b"mkdir u; echo status $?", SHELL_PROMPT, "mkdir: u: EEXIST"),
        (b"rm u/none; echo status $?", SHELL_PROMPT, "rm: u/none: ENOENT\r\nstatus 1"),
        (b"mv u/v/b /b; echo status $?", SHELL_PROMPT, "status 1"),
        (b"df", SHELL_PROMPT, "% /mnt/sda\r\n"),
        (b"usertests 'ufdx.*'", SHELL_PROMPT, "# usertests: 3 passed, 0 failed, 0 skipped"),
        (b"sync; cd /", SHELL_PROMPT, None),
        (b"umount /mnt/sda; ls /mnt/sda/big; mount", SHELL_PROMPT, "unmounted /mnt/sda cleanly"),
        (b"mount x /mnt/sda", SHELL_PROMPT, "mount: bad disk 'x'"),
        (b"mount 1 /mnt/sda; echo status $?; cksum /mnt/sda/u/big2", SHELL_PROMPT,
         "status 0\r\n" + big + " /mnt/sda/u/big2"),                  # blk1: the ext2 disk
    ]
    ok, reason = _steps(con, steps)
    if not ok:
        return ok, reason
    start, why = _clean_poweroff(con)
    if why:
        return False, why
    if "unmounted /mnt/sda cleanly" not in con.transcript[start:].decode("utf-8", errors="replace"):
        return False, "poweroff did not unmount /mnt/sda cleanly"
    return True, f"{len(steps)} steps on ext2, then poweroff unmounted it cleanly"


DRIVERS = {"fuzz": fuzz, "shell": shell, "consd_restart": consd_restart, "crashy": crashy,
           "shell_files": shell_files, "shell_ext2": shell_ext2}


def run_session(sock_path, driver, deadline):
    """Connect to COM1 at sock_path, run driver ("name args..."); returns
    (ok, reason, transcript text)."""
    name, *args = driver.split()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    while True:
        try:
            sock.connect(sock_path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                return False, "QEMU's COM1 socket never appeared", ""
            time.sleep(0.05)
    con = Console(sock, deadline)
    try:
        ok, reason = DRIVERS[name](con, *args)
        if ok:                          # the rest of the output, until QEMU exits
            con.wait_prompt(len(con.transcript))
    finally:
        sock.close()
    return ok, reason, con.transcript.decode("utf-8", errors="replace")
