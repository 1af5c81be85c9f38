# SPDX-License-Identifier: GPL-2.0
# arm64 (issue 14), from this amd64 host: Debian's arm64 kernel booted in
# qemu-system-aarch64 -M virt (TCG), the module, pfstat and the guest
# programs cross-built (aarch64-linux-gnu-gcc), the guest's userland from
# Debian's arm64 packages (scripts/kernels/sysroot). Not part of 'make check'.
#   make check-arm64                fetch arm64 6.1, W=1 cross build, the whole
#                                   VM suite (labs too) on it: "N passed, N failed"
#   make check-arm64 FILTER=REGEX   only the VM tests whose name matches
#   make check-kernels ARCH=arm64   the same on arm64 6.12 and 7.2 (SERIES=...)
#   make bench-arm64[-smoke]        the overhead benchmark on arm64 6.1
#   make arm64-deps                 the host packages all of it needs

# The cross toolchain (gcc-12, as Debian built 6.1 and 6.12 arm64), the
# arm64 libc for the static guest programs, QEMU; dwarves: pahole, for the
# BTF of modules built against 6.12+ headers.
ARM64_DEPS := qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu \
	libc6-dev-arm64-cross dwarves

.PHONY: arm64-deps check-arm64 fetch-arm64

arm64-deps:
	scripts/deps.sh $(ARM64_DEPS)

check-arm64: arm64-deps
	scripts/kernels/check-all --arch arm64 $(if $(FILTER),--filter '$(FILTER)') 6.1

fetch-arm64:
	scripts/kernels/fetch --arch arm64 6.1

# The overhead benchmark on arm64 6.1 (bench/run --arch arm64: the icount
# boot, -smp 1 -icount shift=0,sleep=off, and the 2-vCPU one); results in
# bench/results/6.1-arm64 and docs/performance-6.1-arm64.md (docs/performance.md
# stays the amd64 one).
.PHONY: bench-arm64 bench-arm64-smoke

bench-arm64: arm64-deps
	bench/run --arch arm64 --build-dir $(BENCH_BUILD_DIR)-arm64 $(BENCH_ARGS)

bench-arm64-smoke: arm64-deps
	bench/run --arch arm64 --quick --build-dir $(BENCH_BUILD_DIR)-arm64 $(BENCH_ARGS)
