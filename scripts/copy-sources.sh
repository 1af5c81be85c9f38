#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copy PATHs (relative to SRC) into DST, emptied first, without what a kernel
# module build leaves next to its sources (objects, .ko, .cmd files, ...): a
# private tree to build the module in.
#
#   scripts/copy-sources.sh SRC DST PATH...
set -euo pipefail

(($# >= 3)) || { echo "usage: scripts/copy-sources.sh SRC DST PATH..." >&2; exit 2; }
src=$1 dst=$2
shift 2
rm -rf "$dst"
mkdir -p "$dst"
tar -C "$src" -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.order' \
	--exclude='*.symvers' --exclude='.tmp_versions' "$@" | tar -C "$dst" -xf -
