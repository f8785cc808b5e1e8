#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image
# (Ubuntu). The zip holds this script, run_autograder, a file LAB with the
# lab's number and handout/: the lab's handout (make handout LAB=n), which
# grades every submission (docs/labs/README.md, "Gradescope").
# Here: the tools a build needs (the handout's own install-deps.sh), then
# both kernels built once, so each submission recompiles only the files the
# student changed.
set -euo pipefail
AG=${AUTOGRADER_ROOT:-/autograder}
apt-get update
apt-get install -y --no-install-recommends make python3
bash "$AG/source/handout/tools/install-deps.sh"
cd "$AG/source/handout"
make -s -j"$(nproc)" ARCH=x86_64 kernel
make -s -j"$(nproc)" ARCH=i386 kernel
