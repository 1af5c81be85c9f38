#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host programs a set of VM tests runs, with every shared library they need,
# as one newc cpio to append to an initramfs (the kernel unpacks
# concatenated archives).  Two sets:
#
#   tracing        perf, trace-cmd, bpftrace (a list's "# needs: guest-tools");
#                  bpftrace brings LLVM (~200 MiB)
#   node-exporter  Debian's prometheus-node-exporter (~14 MiB, libc only;
#                  a list's "# needs: node-exporter")
#
# The archive is cached in CACHE_DIR and rebuilt only when a package version
# or one of the files changes.  Prints the archive's path.
#
#   scripts/guest-tools.sh CACHE_DIR [SET [ARCH]]   (SET: tracing by default)
#
# ARCH arm64 (an arm64 guest; amd64, the host's, by default): the tools are
# not the host's but Debian's arm64 packages with their dependencies,
# unpacked by scripts/kernels/sysroot (cached under PFS_KERNELS_DIR); the
# libraries are those the binaries NEED (aarch64-linux-gnu-readelf -d,
# recursively, inside that tree) and the arm64 dynamic loader.
#
# A tool missing on the host is left out, and the set's manifest in the
# archive says so (/tests/guest-tools for tracing,
# /tests/guest-tools-node-exporter): one line per tool, "NAME ok
# PACKAGE=VERSION" or "NAME missing: WHY"; the guest's tests read it to fail
# with that reason.  CACHE_DIR/<manifest name>.txt is a copy for the host.
set -euo pipefail

(($# >= 1 && $# <= 3)) || { echo "usage: scripts/guest-tools.sh CACHE_DIR [tracing|node-exporter [amd64|arm64]]" >&2; exit 2; }
CACHE=$1
ARCH=${3:-amd64}
# where the files come from: / (the host) on amd64, the arm64 tree on arm64
SRC=

# tool  binary  Debian package
case ${2:-tracing} in
tracing)
	NAME=guest-tools
	TOOLS=(
		"perf /usr/bin/perf linux-perf"
		"trace-cmd /usr/bin/trace-cmd trace-cmd"
		"bpftrace /usr/bin/bpftrace bpftrace"
	)
	;;
node-exporter)
	NAME=guest-tools-node-exporter
	TOOLS=(
		"prometheus-node-exporter /usr/bin/prometheus-node-exporter prometheus-node-exporter"
	)
	;;
*) echo "scripts/guest-tools.sh: unknown set $2 (tracing, node-exporter)" >&2; exit 2 ;;
esac
case $ARCH in
amd64|arm64) ;;
*) echo "scripts/guest-tools.sh: unknown architecture $ARCH (amd64, arm64)" >&2; exit 2 ;;
esac

# libs BIN: the shared libraries BIN loads, and its ELF interpreter
libs()
{
	if [[ $ARCH == arm64 ]]; then
		libs_foreign "$1"
		return
	fi
	ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
}

# in_src PATH: PATH (a guest path) as a file of SRC, symlinks followed inside
# SRC (an absolute link target is SRC's, not the host's)
in_src()
{
	local p=$SRC$1 t n=0

	[[ -n $SRC ]] || { echo "$1"; return; }
	while [[ -L $p ]] && ((n++ < 40)); do
		t=$(readlink "$p")
		if [[ $t == /* ]]; then
			p=$SRC$t
		else
			p=$(dirname "$p")/$t
		fi
	done
	echo "$p"
}

# libs_foreign BIN: what ld.so would load for BIN, found in SRC: its
# interpreter and its NEEDED libraries, recursively, from the multiarch
# directories (guest paths)
libs_foreign()
{
	local todo=("$1") f n d found
	declare -A seen=()

	aarch64-linux-gnu-readelf -l "$(in_src "$1")" |
		sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p'
	while ((${#todo[@]})); do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for n in $(aarch64-linux-gnu-readelf -d "$(in_src "$f")" |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
			[[ -z ${seen[$n]:-} ]] || continue
			seen[$n]=1
			found=
			for d in /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /lib /usr/lib; do
				if [[ -e $(in_src "$d/$n") ]]; then
					found=$d/$n
					break
				fi
			done
			if [[ -z $found ]]; then
				echo "guest-tools: $f needs $n, not in the $ARCH packages" >&2
				continue
			fi
			echo "$found"
			todo+=("$found")
		done
	done
}

# manifest: the /tests/guest-tools lines
manifest()
{
	local t name bin pkg ver

	for t in "${TOOLS[@]}"; do
		read -r name bin pkg <<<"$t"
		if [[ $ARCH != amd64 ]]; then
			if [[ ! -e $(in_src "$bin") ]]; then
				echo "$name missing: $bin is not in Debian's $ARCH package $pkg"
			else
				echo "$name ok $pkg:$ARCH=$(awk -v p="$pkg" '$1 == p { print $2 }' "$SRC/../PACKAGES")"
			fi
			continue
		fi
		if [[ ! -x $bin ]]; then
			echo "$name missing: $bin is not on the host (package $pkg): run 'make deps'"
		elif ! ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null); then
			echo "$name missing: $bin is there but package $pkg is not installed: run 'make deps'"
		else
			echo "$name ok $pkg=$ver"
		fi
	done
}

# files MANIFEST: every file going in, the tools it lists as ok and their
# libraries
files()
{
	local t name bin

	for t in "${TOOLS[@]}"; do
		read -r name bin _ <<<"$t"
		grep -q "^$name ok " <<<"$1" || continue
		echo "$bin"
		libs "$bin"
	done | sort -u
}

# stage DIR MANIFEST FILES: the tree the archive holds
stage()
{
	local dir=$1 f

	rm -rf "$dir"
	mkdir -p "$dir/tests"
	echo "$2" >"$dir/tests/$NAME"
	while read -r f; do
		[[ -n $f ]] || continue
		install -D -m 0755 "$(realpath "$(in_src "$f")")" "$dir$f"
	done <<<"$3"
}

main()
{
	local m list key pkgs=() t cpio=$CACHE/$NAME.cpio

	if [[ $ARCH != amd64 ]]; then
		cpio=$CACHE/$NAME-$ARCH.cpio
		for t in "${TOOLS[@]}"; do
			read -r _ _ t <<<"$t"
			pkgs+=("$t")
		done
		SRC=$("$(dirname "$0")/kernels/sysroot" --arch "$ARCH" --closure "$NAME" "${pkgs[@]}")/root ||
			{ echo "guest-tools: the $ARCH packages of ${pkgs[*]} could not be had" >&2; exit 1; }
	fi
	mkdir -p "$CACHE"
	m=$(manifest)
	echo "$m" >"$CACHE/$NAME.txt"
	list=$(files "$m")
	# the versions, and each file's identity (a library's package may move
	# on without the tool's), and this script
	key=$( { echo "$m"; echo "$list" | while read -r t; do in_src "$t"; done |
		xargs -r stat -L -c '%n %s %Y'; cat "$0"; } |
		sha256sum | cut -d' ' -f1)
	if [[ ! -f $cpio || $(cat "$cpio.key" 2>/dev/null) != "$key" ]]; then
		stage "$CACHE/$NAME-root" "$m" "$list"
		(cd "$CACHE/$NAME-root" && find . | cpio -o -H newc -R 0:0 --quiet) >"$cpio.new"
		mv "$cpio.new" "$cpio"
		echo "$key" >"$cpio.key"
		rm -rf "$CACHE/$NAME-root"
	fi
	echo "$cpio"
}

main
