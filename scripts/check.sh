#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 'make check': every test, then one closing line "N passed, N failed" (with
# ", N skipped" if any) summing all parts; non-zero exit if anything failed.
#
#   host   tests/host/run      the build: W=1, sparse, dkms, make clean, SPDX
#   tools  make -C tools check the userspace tools' tests (unit, ASan, CLI, fuzz)
#   vm     tests/vm/run        the module in the test VM
#   deb    tests/deb/run       the Debian packages: lintian, apt install,
#                              DKMS and purge in a bookworm chroot, then
#                              the VM's base and module lists with the
#                              module DKMS built there
#   arm64  scripts/kernels/check-all --arch arm64 6.1, filtered: the W=1
#          cross build and the base and module VM tests on Debian's arm64
#          6.1 (qemu-system-aarch64; about 8 minutes; 'make check-arm64'
#          runs the whole suite there)
#   bench  bench/run --quick   the overhead benchmark's smoke run: every
#                              configuration runs (no figure is judged here)
#
# Each part leaves "passed failed skipped" in $BUILD_DIR/results/<part>;
# scripts/sum-results.sh adds them up.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=$(mkdir -p "${BUILD_DIR:-build}" && realpath "${BUILD_DIR:-build}")
RESULTS=$BUILD_DIR/results
export BUILD_DIR

banner()
{
	echo
	echo "==== $* ($((SECONDS - START))s)"
}

# The tools' counts: the cmocka summaries 'make -C tools check' prints, one
# per test program in the unit and the ASan+UBSan runs ("[  PASSED  ] N
# test(s).", "[  FAILED  ] N test(s), listed below:", "[  SKIPPED ] N ...").
# The CLI tests and the fuzz runs print none: they count through the exit
# status alone, which when non-zero is always at least one failure.
tools_counts()
{
	local log=$1 rc=$2 p f s

	read -r p f s < <(awk '
		/^\[  PASSED  \] [0-9]+ test/ { p += $4 }
		/^\[  FAILED  \] [0-9]+ test/ { f += $4 }
		/^\[  SKIPPED \] [0-9]+ test/ { s += $4 }
		END { print p + 0, f + 0, s + 0 }' "$log")
	((rc == 0 || f > 0)) || f=1
	echo "$p $f $s"
}

run_tools()
{
	local rc=0

	make -C "$ROOT/tools" check 2>&1 | tee "$BUILD_DIR/tools-check.log" || rc=$?
	tools_counts "$BUILD_DIR/tools-check.log" "$rc" >"$RESULTS/tools.new"
	mv "$RESULTS/tools.new" "$RESULTS/tools"
}

# The lists 10-base and 20-module (the counting itself: every fault kind,
# the invalid faults, refaults, the controls); the events, pfstat and lab
# lists need the arm64 guest tools (221 MB) and time CI does not have.
ARM64_FILTER='^(proc-|rmmod-|load-unload-|kprobe-|fault-demo-|module-)'

run_arm64()
{
	if ! make -s -C "$ROOT" arm64-deps; then
		echo "check: arm64: installing the cross toolchain and QEMU failed" >&2
		return 0	# no result file: one failure
	fi
	"$ROOT/scripts/kernels/check-all" --arch arm64 --filter "$ARM64_FILTER" \
		--results "$RESULTS/arm64" 6.1 || true
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
	banner "Debian packages: build, lintian, apt/DKMS/purge in a chroot, the DKMS module in the VM"
	"$ROOT/tests/deb/run" || true
	banner "arm64: W=1 cross build, base and module VM tests (6.1)"
	run_arm64
	banner "benchmark smoke run"
	"$ROOT/bench/run" --quick --build-dir "$BUILD_DIR/bench" \
		--results "$RESULTS/bench" || true
	banner "summary: make check"
	"$ROOT/scripts/sum-results.sh" "$RESULTS" host vm deb arm64 tools bench
}

main "$@"
