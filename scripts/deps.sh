#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages that building and testing need.  Idempotent:
# when everything is present it only runs dpkg-query and returns; it runs
# apt-get update only when something is missing.
#
#   scripts/deps.sh [EXTRA_PACKAGE...]
set -euo pipefail

PACKAGES=(
	build-essential		# gcc, make, libc6-dev (static test programs)
	pkg-config
	git			# tests/host: make clean in a fresh clone
	linux-headers-amd64	# build the module
	linux-image-amd64	# the kernel the test VM boots (same version)
	dkms
	sparse
	qemu-system-x86
	busybox-static		# the test VM's userland
	cpio
	e2fsprogs		# mke2fs -d: the VM's ext4 disk
	kmod			# modprobe --show-depends, depmod -b
	xz-utils
	zstd
	libcmocka-dev		# host unit tests of the tools
	libjson-c-dev
	libtracefs-dev		# pfstat trace/where: tracefs instances and events
	libtraceevent-dev
	libcairo2-dev		# pfstat plot: PNG and SVG (static in the test VM)
	fonts-dejavu-core	# the pictures' text, here and in the test VM
	systemd			# systemd-analyze verify: contrib/systemd's units
	prometheus-node-exporter	# the textfile test's consumer, carried into the VM
	prometheus		# promtool check metrics: the textfile test's parser and
				# the tools' lint of pfstat -o prometheus, with
	python3-prometheus-client	# the Prometheus text parser, for its values
	trace-cmd		# the event tests' consumers (tests/vm), with
	linux-perf		# perf and bpftrace, carried into the test VM
	bpftrace
	bash-completion		# the tools' completion tests
	clang			# the tools' fuzz tests (libFuzzer)
	libclang-rt-dev
	debhelper		# make deb: debian/ (dh, dh_dkms) and its check,
	dh-dkms
	lintian
	debootstrap		# tests/deb: the throwaway bookworm chroot
)

missing()
{
	local p status

	for p in "$@"; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || status=
		[[ $status == installed ]] || echo "$p"
	done
}

main()
{
	local want=() todo=()

	mapfile -t want < <(printf '%s\n' "${PACKAGES[@]}" "$@" | sed 's/[[:space:]]*#.*//; /^$/d')
	mapfile -t todo < <(missing "${want[@]}")
	if ((${#todo[@]} == 0)); then
		echo "deps: all ${#want[@]} packages present"
		return 0
	fi
	if [[ $(id -u) != 0 ]]; then
		echo "deps: missing packages: ${todo[*]} - run 'make deps' as root" >&2
		return 1
	fi
	echo "deps: installing ${todo[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${todo[@]}"
}

main "$@"
