#!/usr/bin/env bash
# install-deps.sh - make sure the host tools Pagoda builds and tests with are
# present; install the missing ones from Debian packages.
#
# Idempotent and quick: when everything is already there it only looks (no
# apt-get at all).  Otherwise it runs `apt-get update` once and installs the
# whole set in one step.  Run it as root, or as a user with sudo.
set -euo pipefail

# Debian packages providing everything checked below.  valgrind and clang
# (and libclang-rt-14-dev, libFuzzer for the host fuzz targets) are optional
# extras: installed when available, never a reason to fail.
packages=(qemu-system-x86 grub-pc-bin grub-common xorriso mtools
          gcc-multilib gdb python3 make gcc binutils cpio e2fsprogs)
optional_packages=(valgrind clang libclang-rt-14-dev)

# find_missing: set the array `missing` to the tools that are not usable.
find_missing() {
    missing=()
    local cmd
    for cmd in qemu-system-x86_64 qemu-system-i386 grub-mkrescue grub-file \
               xorriso mformat gdb python3 gcc make ld objcopy cpio; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
    done
    # (cpio packs the initramfs of the Linux side of make bench.)
    # e2fsprogs: the ext2 host tests' images and judges; in /usr/sbin,
    # which a user's PATH may lack.
    for cmd in mke2fs debugfs e2fsck; do
        command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || [ -x "/sbin/$cmd" ] ||
            missing+=("$cmd")
    done
    # GRUB's BIOS modules (grub-pc-bin): without them grub-mkrescue makes
    # an ISO that BIOS machines cannot boot.
    [ -d /usr/lib/grub/i386-pc ] || missing+=("/usr/lib/grub/i386-pc")
    # The i386 build needs 32-bit libgcc and headers (gcc-multilib).  The
    # one check that costs a compile, so only when gcc exists at all.
    if command -v gcc >/dev/null 2>&1 &&
       ! echo 'int main(void){return 0;}' |
            gcc -m32 -x c -o /dev/null - >/dev/null 2>&1; then
        missing+=("gcc -m32")
    fi
}

find_missing
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all build and test tools present"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-deps: missing ${missing[*]}, and not root and no sudo to install them" >&2
    echo "install-deps: please install the Debian packages: ${packages[*]}" >&2
    exit 1
fi

echo "install-deps: missing ${missing[*]}; installing ${packages[*]} (optional: ${optional_packages[*]})"

apt_install() {
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "$@"
}

"${as_root[@]}" apt-get update -q
# All at once; if that fails (say an optional package cannot be had), retry
# with the required packages alone.
if ! apt_install "${packages[@]}" "${optional_packages[@]}"; then
    echo "install-deps: retrying without the optional packages" >&2
    apt_install "${packages[@]}"
fi

# Look again, so a broken install fails here rather than deep in a build.
find_missing
if [ ${#missing[@]} -ne 0 ]; then
    echo "install-deps: still missing after install: ${missing[*]}" >&2
    exit 1
fi
echo "install-deps: done"
