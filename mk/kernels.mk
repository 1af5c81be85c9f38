# SPDX-License-Identifier: GPL-2.0
# The module on every Debian kernel series the product targets besides the
# host's 6.1 (scripts/kernels/): not part of 'make check' (too long for CI).
#   make check-kernels                  fetch, W=1 build and VM suite on 5.10 6.12 7.2
#   make check-kernels SERIES=7.2       one series
#   make check-kernels FILTER=REGEX     only the VM tests whose name matches
#   make check-kernels MODULE_ARGS=mode=direct   every load with these parameters
#   make fetch-kernels, make build-kernels   the first steps only
#   make check-kernels ARCH=arm64       the arm64 kernels 6.12 7.2 (mk/arm64.mk)

# ARCH is the kernel's own variable: only arm64 (the same word for Debian and
# the kernel) means another architecture here; the default is the host's.
ifeq ($(ARCH),arm64)
SERIES ?= 6.12 7.2
KERNELS_ARCH := --arch arm64
KERNELS_DEPS := arm64-deps
else
SERIES ?= 5.10 6.12 7.2
KERNELS_ARCH :=
KERNELS_DEPS :=
endif
KERNELS_ARCH_CHECK = @case "$(ARCH)" in ""|arm64) ;; *) echo "ARCH=$(ARCH): only ARCH=arm64 \
	picks another architecture (the default is the host's amd64)" >&2; exit 2 ;; esac

.PHONY: check-kernels fetch-kernels build-kernels

check-kernels: deps $(KERNELS_DEPS)
	$(KERNELS_ARCH_CHECK)
	scripts/kernels/check-all $(KERNELS_ARCH) $(if $(FILTER),--filter '$(FILTER)') \
		$(if $(MODULE_ARGS),--module-args '$(MODULE_ARGS)') $(SERIES)

fetch-kernels:
	$(KERNELS_ARCH_CHECK)
	scripts/kernels/fetch $(KERNELS_ARCH) $(SERIES)

build-kernels: fetch-kernels
	for s in $(SERIES); do scripts/kernels/build-module $(KERNELS_ARCH) $$s || exit 1; done
