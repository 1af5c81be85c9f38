# SPDX-License-Identifier: GPL-2.0
# The debug-kernel lane (issue 13): Debian's 6.1 source built with KASAN,
# KFENCE, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, debugobjects, kmemleak,
# UBSAN and fault injection (scripts/debug-kernel/). Not part of 'make check'
# (too long for CI).
#   make check-debug                  build or reuse the kernel, run the lane
#   make check-debug FILTER=REGEX     only the VM tests whose name matches
#                                     (the broken builds still run)
#   make debug-kernel                 the kernel only

# What building a kernel needs beyond 'make deps'.
DEBUG_KERNEL_DEPS := bc bison flex libelf-dev libssl-dev

.PHONY: check-debug debug-kernel debug-kernel-deps

debug-kernel-deps:
	scripts/deps.sh $(DEBUG_KERNEL_DEPS)

check-debug: debug-kernel-deps
	scripts/debug-kernel/check $(if $(FILTER),--filter '$(FILTER)')

debug-kernel: debug-kernel-deps
	scripts/debug-kernel/build
