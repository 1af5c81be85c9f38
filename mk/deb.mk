# SPDX-License-Identifier: GPL-2.0
# The Debian packages (debian/): pagefault-stats-dkms and pfstat.
#   make deb         build them into $(BUILD_DIR)/deb and run lintian
#   make check-deb   tests/deb/run: lintian, versions, apt install in a
#                    throwaway bookworm chroot, DKMS for a second kernel,
#                    purge without a file left, then the VM loads the module
#                    DKMS built (part of 'make check'; root)

.PHONY: deb check-deb

deb: deps
	BUILD_DIR=$(BUILD_DIR) scripts/deb/build

check-deb: deps
	BUILD_DIR=$(BUILD_DIR) tests/deb/run
