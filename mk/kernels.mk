# SPDX-License-Identifier: GPL-2.0
# The module on every Debian kernel series the product targets besides the
# host's 6.1 (scripts/kernels/): not part of 'make check' (too long for CI).
#   make check-kernels                  fetch, W=1 build and VM suite on 5.10 6.12 7.2
#   make check-kernels SERIES=7.2       one series
#   make check-kernels FILTER=REGEX     only the VM tests whose name matches
#   make fetch-kernels, make build-kernels   the first steps only

SERIES ?= 5.10 6.12 7.2

.PHONY: check-kernels fetch-kernels build-kernels

check-kernels: deps
	scripts/kernels/check-all $(if $(FILTER),--filter '$(FILTER)') $(SERIES)

fetch-kernels:
	scripts/kernels/fetch $(SERIES)

build-kernels: fetch-kernels
	for s in $(SERIES); do scripts/kernels/build-module $$s || exit 1; done
