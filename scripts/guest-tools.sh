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
#   scripts/guest-tools.sh CACHE_DIR [SET]     (SET: tracing by default)
#
# A tool missing on the host is left out, and the set's manifest in the
# archive says so (/tests/guest-tools for tracing,
# /tests/guest-tools-node-exporter): one line per tool, "NAME ok
# PACKAGE=VERSION" or "NAME missing: WHY"; the guest's tests read it to fail
# with that reason.  CACHE_DIR/<manifest name>.txt is a copy for the host.
set -euo pipefail

(($# == 1 || $# == 2)) || { echo "usage: scripts/guest-tools.sh CACHE_DIR [tracing|node-exporter]" >&2; exit 2; }
CACHE=$1

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

# libs BIN: the shared libraries BIN loads, and its ELF interpreter
libs()
{
	ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
}

# manifest: the /tests/guest-tools lines
manifest()
{
	local t name bin pkg ver

	for t in "${TOOLS[@]}"; do
		read -r name bin pkg <<<"$t"
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
		install -D -m 0755 "$(realpath "$f")" "$dir$f"
	done <<<"$3"
}

main()
{
	local m list key cpio=$CACHE/$NAME.cpio

	mkdir -p "$CACHE"
	m=$(manifest)
	echo "$m" >"$CACHE/$NAME.txt"
	list=$(files "$m")
	# the versions, and each file's identity (a library's package may move
	# on without the tool's), and this script
	key=$( { echo "$m"; echo "$list" | xargs -r stat -L -c '%n %s %Y'; cat "$0"; } |
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
