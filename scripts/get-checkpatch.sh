#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the kernel's checkpatch.pl (with spelling.txt and
# const_structs.checkpatch, which it reads from its own directory) from
# Debian's linux-source tarball into DIR.  Installs linux-source if needed.
#
#   scripts/get-checkpatch.sh DIR
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:?usage: get-checkpatch.sh DIR}

tarball()
{
	compgen -G '/usr/src/linux-source-*.tar.xz' | sort -V | tail -n 1 || true
}

main()
{
	local tar top

	[[ -n $(tarball) ]] || "$ROOT/scripts/deps.sh" linux-source
	tar=$(tarball)
	[[ -n $tar ]] || { echo "no /usr/src/linux-source-*.tar.xz" >&2; exit 1; }
	top=$(basename "$tar" .tar.xz)
	mkdir -p "$DIR"
	tar -xJf "$tar" -C "$DIR" --strip-components=2 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
	echo "checkpatch.pl from $(basename "$tar") in $DIR"
}

main "$@"
