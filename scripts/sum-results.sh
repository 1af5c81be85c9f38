#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sum the per-part counts of 'make check' into the one closing line.
#
#   scripts/sum-results.sh RESULTS_DIR PART...
#
# Each part writes RESULTS_DIR/<part> = "passed failed skipped".  A part with
# no file did not finish: it counts as one failure.  Exits 1 if anything failed.
set -euo pipefail

main()
{
	local dir=$1 part p f s pass=0 fail=0 skip=0

	shift
	for part in "$@"; do
		if [[ -r $dir/$part ]] && read -r p f s <"$dir/$part" &&
			[[ $p =~ ^[0-9]+$ && $f =~ ^[0-9]+$ ]]; then
			echo "check: $part: pass $p, fail $f, skip ${s:-0}"
			pass=$((pass + p))
			fail=$((fail + f))
			skip=$((skip + ${s:-0}))
		else
			echo "check: $part: no result (the part did not finish), counted as 1 failure"
			fail=$((fail + 1))
		fi
	done
	s="$pass passed, $fail failed"
	((skip == 0)) || s+=", $skip skipped"
	echo "$s"
	((fail == 0))
}

main "$@"
