#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 'make check': every test, then one closing line "N passed, N failed" (with
# ", N skipped" if any) summing all parts; non-zero exit if anything failed.
#
#   host   tests/host/run      the build: W=1, sparse, dkms, make clean, SPDX
#   tools  make -C tools check the userspace tools' tests (unit, ASan, CLI, fuzz)
#   vm     tests/vm/run        the module in the test VM
#   bench  bench/run --quick   the overhead benchmark's smoke run: every
#                              configuration runs (no figure is judged here)
#
# Each part leaves "passed failed skipped" in $BUILD_DIR/results/<part>;
# scripts/sum-results.sh adds them up.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=$(mkdir -p "${BUILD_DIR:-build}" && realpath "${BUILD_DIR:-build}")
RESULTS=$BUILD_DIR/results
# A part may write its own counts to $PFS_RESULTS_DIR/<part>.
export BUILD_DIR PFS_RESULTS_DIR=$RESULTS

banner()
{
	echo
	echo "==== $* ($((SECONDS - START))s)"
}

# The tools' counts: what 'make -C tools check' wrote to $PFS_RESULTS_DIR/tools
# ("passed failed skipped") if it did; else its last "N passed, N failed"
# line; else cmocka's [  PASSED  ] / [  FAILED  ] / [  SKIPPED ] lines; else
# the exit status as one test.  A non-zero exit is always at least one failure.
tools_counts()
{
	local log=$1 rc=$2 line p=0 f=0 s=0

	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
	if [[ -s $RESULTS/tools ]]; then
		read -r p f s <"$RESULTS/tools"
	elif [[ -n $line ]]; then
		p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
		f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
		[[ $line != *skipped* ]] || s=$(sed -E 's/.*, ([0-9]+) skipped.*/\1/' <<<"$line")
	elif grep -qE '^\[  (PASSED|FAILED)  \]' "$log"; then
		p=$(awk '/^\[  PASSED  \]/ { n += $4 } END { print n + 0 }' "$log")
		f=$(awk '/^\[  FAILED  \] [0-9]+ test/ { n += $4 } END { print n + 0 }' "$log")
		s=$(awk '/^\[  SKIPPED \]/ { n += $4 } END { print n + 0 }' "$log")
	elif ((rc == 0)); then
		p=1
	fi
	((rc == 0 || f > 0)) && echo "$p $f $s" || echo "$p $((f + 1)) $s"
}

run_tools()
{
	local rc=0

	make -C "$ROOT/tools" check 2>&1 | tee "$BUILD_DIR/tools-check.log" || rc=$?
	tools_counts "$BUILD_DIR/tools-check.log" "$rc" >"$RESULTS/tools.new"
	mv "$RESULTS/tools.new" "$RESULTS/tools"
}

main()
{
	START=$SECONDS
	banner "deps"
	"$ROOT/scripts/deps.sh"
	rm -rf "$RESULTS"
	mkdir -p "$RESULTS"
	banner "host tests"
	"$ROOT/tests/host/run" || true
	banner "tools tests"
	run_tools
	banner "VM tests"
	"$ROOT/tests/vm/run" --build-dir "$BUILD_DIR" || true
	banner "benchmark smoke run"
	"$ROOT/bench/run" --quick --build-dir "$BUILD_DIR/bench" \
		--results "$RESULTS/bench" || true
	banner "summary: make check"
	"$ROOT/scripts/sum-results.sh" "$RESULTS" host vm tools bench
}

main "$@"
