# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by scripts/kernels/*: which Debian suite serves each kernel series,
# a private apt configuration per suite (the system's sources are never
# touched), and where everything is cached.
#
# Layout under $PFS_KERNELS_DIR (default build-kernels/, git-ignored):
#   apt/SUITE/          sources.list, lists, archives and an empty dpkg status
#   apt/SUITE-arm64/    the same seeing arm64 packages too (amd64 stays the
#                       native architecture: kbuild's host tools run here)
#   debs/               downloaded .deb files (kept: a second run is fast)
#   kernels/SERIES/     KVER, GCC, CHROOT, SUITE, ARCH files and root/ (dpkg -x
#                       of the debs); kernels/SERIES-arm64/ for arm64
#   sysroot/arm64/      arm64 userland for the arm64 test VM (scripts/kernels/sysroot)
#   chroot/SUITE/       debootstrap of the suite whose toolchain built SERIES
#   src/SERIES/         linux-source-SERIES, unpacked (fetch --source)

set -euo pipefail

PFS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PFS_KERNELS_DIR=${PFS_KERNELS_DIR:-$PFS_ROOT/build-kernels}
mkdir -p "$PFS_KERNELS_DIR"
PFS_KERNELS_DIR=$(realpath "$PFS_KERNELS_DIR")
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# The series the product supports besides the host's own 6.1.
PFS_SERIES_ALL=(5.10 6.12 7.2)

# The Debian architecture of the kernels: amd64 (the host's) or arm64
# (cross-built, booted under qemu-system-aarch64). Scripts set it with
# --arch (arch_set); kernel_dir, the apt configuration and the toolchain
# follow it. On arm64 6.1 is fetched too (on amd64 it is the host's own).
PFS_ARCH=${PFS_ARCH:-amd64}

# arch_set ARCH: check it and derive the kernel's ARCH= and CROSS_COMPILE=.
arch_set()
{
	case $1 in
	amd64) KARCH=x86; CROSS_COMPILE= ;;
	arm64) KARCH=arm64; CROSS_COMPILE=aarch64-linux-gnu- ;;
	*) kernels_die "unknown architecture '$1' (known: amd64 arm64)" ;;
	esac
	PFS_ARCH=$1
}

# arch_series: the series check-all runs by default on PFS_ARCH.
arch_series()
{
	case $PFS_ARCH in
	amd64) echo "${PFS_SERIES_ALL[*]}" ;;
	arm64) echo 6.12 7.2 ;;		# 6.1: make check-arm64
	esac
}

# arch_suffix: "" on amd64, "-arm64" on arm64 (directory names)
arch_suffix()
{
	[[ $PFS_ARCH == amd64 ]] || echo "-$PFS_ARCH"
}

# kmake_args: what a kernel make needs for PFS_ARCH beyond -C and M=
# (nothing on amd64: the host's own architecture, as before).
kmake_args()
{
	[[ $PFS_ARCH == amd64 ]] || echo "ARCH=$KARCH CROSS_COMPILE=$CROSS_COMPILE"
}

kernels_log()
{
	echo "kernels: $*" >&2
}

kernels_die()
{
	echo "kernels: error: $*" >&2
	exit 1
}

# series_suite SERIES: the suite that carries it.
# series_chroot SERIES: the suite whose userland (glibc, gcc) its kbuild
# binaries and compiler need, or "host" when Debian 12 itself will do.
series_suite()
{
	case $1 in
	5.10) echo bullseye ;;
	6.1) echo bookworm ;;
	6.12) echo bookworm-backports ;;
	7.2) echo sid ;;
	*) kernels_die "unknown kernel series '$1' (known: ${PFS_SERIES_ALL[*]})" ;;
	esac
}

series_chroot()
{
	case $1 in
	5.10) echo bullseye ;;		# gcc-10 is not in bookworm
	6.1|6.12) echo host ;;		# bookworm (-backports): gcc-12, glibc 2.36
	7.2) echo sid ;;		# gcc-16, kbuild binaries need glibc >= 2.38
	esac
}

# apt_private SUITE ARGS...: apt-get/apt-cache with a configuration that
# sees SUITE only and keeps its state under apt/SUITE (apt/SUITE-arm64 when
# PFS_ARCH is arm64: both architectures, amd64 the native one).
apt_dir()
{
	echo "$PFS_KERNELS_DIR/apt/$1$(arch_suffix)"
}

apt_opts()
{
	local dir

	dir=$(apt_dir "$1")
	echo "-o Dir::Etc::SourceList=$dir/sources.list -o Dir::Etc::SourceParts=-" \
		"-o Dir::State=$dir/state -o Dir::State::status=$dir/state/status" \
		"-o Dir::Cache=$dir/cache -o Debug::NoLocking=1 -o APT::Sandbox::User=root" \
		"-o APT::Get::AllowUnauthenticated=false -o Acquire::Languages=none"
	[[ $PFS_ARCH == amd64 ]] ||
		echo "-o APT::Architecture=amd64 -o APT::Architectures::=amd64" \
			"-o APT::Architectures::=$PFS_ARCH"
}

# The arm64 bookworm configuration adds bookworm-security: 6.1's current
# ABI (the one the host's amd64 kernel has) is only there, bookworm itself
# lags behind. The amd64 one is left as it was (its 6.1 is the host's).
apt_setup()
{
	local suite=$1 dir signed=/usr/share/keyrings/debian-archive-keyring.gpg

	dir=$(apt_dir "$suite")
	mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial"
	touch "$dir/state/status"
	{
		echo "deb [signed-by=$signed] $DEBIAN_MIRROR $suite main"
		[[ $PFS_ARCH == amd64 || $suite != bookworm ]] ||
			echo "deb [signed-by=$signed] ${DEBIAN_MIRROR%/debian}/debian-security $suite-security main"
	} >"$dir/sources.list"
}

apt_private_get()
{
	local suite=$1

	shift
	# shellcheck disable=SC2046
	apt-get $(apt_opts "$suite") "$@"
}

apt_private_cache()
{
	local suite=$1

	shift
	# shellcheck disable=SC2046
	apt-cache $(apt_opts "$suite") "$@"
}

# Refresh a suite's package lists when they are older than a day.
apt_update()
{
	local suite=$1 dir stamp

	dir=$(apt_dir "$suite")
	stamp=$dir/updated
	apt_setup "$suite"
	if [[ -f $stamp && -n $(find "$stamp" -mmin -1440) ]]; then
		return 0
	fi
	kernels_log "apt-get update ($suite$(arch_suffix), private configuration)"
	apt_private_get "$suite" -q update >"$dir/update.log" 2>&1 ||
		{ cat "$dir/update.log" >&2; kernels_die "apt-get update of $suite failed"; }
	touch "$stamp"
}

# kernels/SERIES, or kernels/SERIES-arm64 for arm64
kernel_dir()
{
	echo "$PFS_KERNELS_DIR/kernels/$1$(arch_suffix)"
}

# kernel_var SERIES NAME: a value fetch recorded (KVER, GCC, CHROOT, ARCH).
kernel_var()
{
	local f arch=

	f=$(kernel_dir "$1")/$2
	[[ $PFS_ARCH == amd64 ]] || arch=" --arch $PFS_ARCH"
	[[ -r $f ]] || kernels_die "kernel series $1 ($PFS_ARCH) not fetched: run scripts/kernels/fetch$arch $1"
	cat "$f"
}

chroot_dir()
{
	echo "$PFS_KERNELS_DIR/chroot/$1"
}

# ensure_chroot SUITE PKG...: a minimal debootstrap of SUITE with PKG...
# installed (made once, as root; packages added later if missing).
ensure_chroot()
{
	local suite=$1 dir missing=() p

	shift
	dir=$(chroot_dir "$suite")
	command -v debootstrap >/dev/null ||
		kernels_die "debootstrap is not installed (apt-get install debootstrap)"
	if [[ ! -f $dir/.pfs-done ]]; then
		! grep -q " $dir/" /proc/mounts ||
			kernels_die "something is still mounted under $dir: unmount it first"
		rm -rf --one-file-system "$dir"
		mkdir -p "$dir"
		kernels_log "debootstrap $suite into ${dir#"$PFS_ROOT"/} (once)"
		debootstrap --variant=minbase --include="$(IFS=,; echo "$*")" \
			"$suite" "$dir" "$DEBIAN_MIRROR" >"$dir.log" 2>&1 ||
			{ tail -n 20 "$dir.log" >&2; kernels_die "debootstrap $suite failed (log: $dir.log)"; }
		touch "$dir/.pfs-done"
	fi
	for p in "$@"; do
		# shellcheck disable=SC2016 # dpkg-query's own ${Status}
		chroot "$dir" dpkg-query -W -f '${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	if ((${#missing[@]})); then
		kernels_log "installing ${missing[*]} in the $suite chroot"
		chroot "$dir" apt-get -q update >/dev/null
		chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
			install --no-install-recommends "${missing[@]}" >"$dir.install.log" 2>&1 ||
			{ tail -n 20 "$dir.install.log" >&2; kernels_die "apt-get install in $suite chroot failed"; }
	fi
}

# in_chroot SUITE DIR... -- CMD...: run CMD in the chroot with each DIR
# bind-mounted at its own path (so paths are the same in and out); a DIR
# inside an earlier one needs no mount of its own.
in_chroot()
{
	local suite=$1 dir d rc=0 mounted=()

	shift
	dir=$(chroot_dir "$suite")
	while [[ $1 != -- ]]; do
		if [[ ${#mounted[@]} -gt 0 && $1/ == "${mounted[-1]#"$dir"}"/* ]]; then
			shift
			continue
		fi
		mkdir -p "$dir$1"
		mount --bind "$1" "$dir$1"
		mounted+=("$dir$1")
		shift
	done
	shift
	mountpoint -q "$dir/proc" || { mount -t proc proc "$dir/proc"; mounted+=("$dir/proc"); }
	chroot "$dir" "$@" || rc=$?
	for ((d = ${#mounted[@]} - 1; d >= 0; d--)); do
		umount "${mounted[d]}" || umount -l "${mounted[d]}"
	done
	return "$rc"
}

arch_set "$PFS_ARCH"
