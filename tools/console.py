#!/usr/bin/env python3
"""Talk to the kernel's COM1 while `make debug` runs: QEMU exposes the serial
port on a Unix socket (build/<arch>/serial.sock); this bridges it to the
terminal in raw mode. Ctrl-] quits.

    python3 tools/console.py build/x86_64/serial.sock
"""
import os
import select
import socket
import sys
import termios
import time
import tty


def main(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(50):            # QEMU may still be starting
        try:
            sock.connect(path)
            break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit(f"console: cannot connect to {path}: is `make debug` running?")
    print("console: connected; Ctrl-] quits", flush=True)
    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd) if os.isatty(fd) else None
    try:
        if old:
            tty.setraw(fd)
        while True:
            ready, _, _ = select.select([sock, fd], [], [])
            if sock in ready:
                data = sock.recv(4096)
                if not data:
                    break
                os.write(sys.stdout.fileno(), data)
            if fd in ready:
                data = os.read(fd, 1024)
                if not data or b"\x1d" in data:
                    break
                sock.sendall(data)
    finally:
        if old:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
        print("\nconsole: closed")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
