# SPDX-License-Identifier: GPL-2.0
#
# Outer wrapper: the object list and flags live in Kbuild and module/Kbuild.
#
#   make                 module + tools
#   make check           every test (host tests, tools tests, test VM)
#   make demo            boot the test VM and show the module at work
#   make vm-shell        the test VM with the module loaded, interactive shell
#   make help            all targets

KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
BUILD_DIR ?= build
PREFIX ?= /usr/local
DESTDIR ?=

# The running kernel may not be a Debian one (no headers for it): fall back to
# the newest installed linux-headers-*, unless the caller chose a kernel.
ifeq ($(origin KERNELRELEASE)$(origin KDIR),filefile)
ifeq ($(wildcard $(KDIR)/Makefile),)
FALLBACK := $(shell scripts/kver.sh headers 2>/dev/null)
ifneq ($(FALLBACK),)
KERNELRELEASE := $(FALLBACK)
KDIR := /lib/modules/$(KERNELRELEASE)/build
ifeq ($(wildcard $(KDIR)/Makefile),)
KDIR := /usr/src/linux-headers-$(KERNELRELEASE)
endif
ifeq ($(MAKELEVEL),0)
$(info no headers for running kernel $(shell uname -r); building against $(KERNELRELEASE) ($(KDIR)))
endif
endif
endif
endif

# Fails the build, not the parse: 'make deps' and 'make check' must still run.
NEED_KDIR = @test -f $(KDIR)/Makefile || { echo "no kernel headers in $(KDIR): \
	run 'make deps' (installs linux-headers-amd64)" >&2; exit 1; }

CHECKPATCH_DIR := $(BUILD_DIR)/checkpatch

.PHONY: all module tools check demo vm-shell deps clean install \
	install-module install-tools dkms-check sparse checkpatch help

all: module tools

module:
	$(NEED_KDIR)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

deps:
	scripts/deps.sh

# Headers may be installed only by the deps step: whatever builds after it
# runs in a new make (or script) that looks for them again.
check:
	BUILD_DIR=$(BUILD_DIR) scripts/check.sh

demo:
	scripts/deps.sh
	$(MAKE) all
	tests/vm/run --build-dir $(BUILD_DIR) --demo

vm-shell:
	scripts/deps.sh
	tests/vm/run --build-dir $(BUILD_DIR) --shell

dkms-check:
	BUILD_DIR=$(BUILD_DIR) tests/host/run --filter "^dkms"

sparse:
	$(NEED_KDIR)
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules

checkpatch: $(CHECKPATCH_DIR)/checkpatch.pl
	$(CHECKPATCH_DIR)/checkpatch.pl --no-tree --strict --show-types \
		-f $(filter-out %.mod.c module/pfs_config.h,$(wildcard module/*.c module/*.h module/*.S))

$(CHECKPATCH_DIR)/checkpatch.pl:
	scripts/get-checkpatch.sh $(CHECKPATCH_DIR)

install: install-module install-tools

# As dkms does: /lib/modules/KVER/extra/pagefault_stats.ko
install-module: module
	$(NEED_KDIR)
	install -D -m 0644 module/pagefault_stats.ko \
		$(DESTDIR)/lib/modules/$(KERNELRELEASE)/extra/pagefault_stats.ko
	$(if $(DESTDIR),,depmod -a $(KERNELRELEASE))

install-tools:
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

# Kbuild's clean deletes every *.o, *.ko, .*.cmd ... below M: point it at
# module/ alone, so build directories and kernel caches in the tree survive.
clean:
	if [ -d $(KDIR) ]; then $(MAKE) -C $(KDIR) M=$(CURDIR)/module clean; fi
	rm -f Module.symvers modules.order .Module.symvers.cmd .modules.order.cmd
	$(MAKE) -C tools clean
	rm -rf $(BUILD_DIR)

# Other parts of the project add their own targets (bench, lab, ...) in mk/*.mk
# without editing this file.
-include $(wildcard mk/*.mk)

help:
	@echo "all        build the module (module/pagefault_stats.ko) and the tools"
	@echo "module     build the module only; tools: the tools only"
	@echo "check      install deps, build with W=1, run host, tools and VM tests"
	@echo "demo       boot the test VM, load the module, run a workload, show it"
	@echo "vm-shell   the test VM with the module loaded and a shell on the console"
	@echo "lab N=3    boot the test VM for lab 3 (AUTO=1: check it); lab-pictures: labs 2 3 5's pictures"
	@echo "deps       install the Debian packages the above need"
	@echo "install    install module (/lib/modules/KVER/extra) and tools"
	@echo "dkms-check dkms add/build/remove in a throwaway tree"
	@echo "deb        the Debian packages pagefault-stats-dkms and pfstat (build/deb), lintian"
	@echo "check-deb  the packages installed, rebuilt by DKMS and purged in a bookworm chroot, then in the VM"
	@echo "sparse     build the module under sparse (C=2)"
	@echo "checkpatch run the kernel's checkpatch.pl on module/"
	@echo "check-kernels  the VM suite on Debian's 5.10 6.12 7.2 (ARCH=arm64: arm64 6.12 7.2; SERIES=...)"
	@echo "check-arm64    arm64 6.1 from this host: W=1 cross build + the VM suite in qemu-system-aarch64"
	@echo "arm64-deps     the host packages arm64 needs (cross gcc, qemu-system-arm)"
	@echo "bench-arm64    the overhead benchmark on arm64 6.1 (bench-arm64-smoke: one quick run)"
	@echo "clean      remove everything the build made"
	@echo "variables: KERNELRELEASE KDIR BUILD_DIR=$(BUILD_DIR) DESTDIR PREFIX W=1"
