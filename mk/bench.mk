# SPDX-License-Identifier: GPL-2.0
#
# The overhead benchmark (bench/), included by the top-level Makefile:
#
#   make bench         full run: docs/performance.md, bench/results/latest.json
#   make bench-smoke   every configuration once, few iterations (~3 min);
#                      fails only if a configuration fails to run
#
# BENCH_ARGS passes options to bench/run (e.g. BENCH_ARGS="--reps 9").

BENCH_BUILD_DIR ?= build-bench

.PHONY: bench bench-smoke

bench:
	bench/run --build-dir $(BENCH_BUILD_DIR) $(BENCH_ARGS)

bench-smoke:
	bench/run --quick --build-dir $(BENCH_BUILD_DIR) $(BENCH_ARGS)
