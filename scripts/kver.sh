#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel release to build and test against.
#
#   scripts/kver.sh headers   newest release with installed headers (build dir)
#   scripts/kver.sh vm        newest release with headers, a bootable image and
#                             a module tree: what the test VM can boot
#
# Versions are never hard-coded: they come from what Debian's linux-headers-*
# and linux-image-* packages installed.
set -euo pipefail

has_headers()
{
	[[ -d /lib/modules/$1/build || -d /usr/src/linux-headers-$1 ]]
}

can_boot()
{
	has_headers "$1" && [[ -r /boot/vmlinuz-$1 && -d /lib/modules/$1/kernel ]]
}

candidates()
{
	local d

	for d in /usr/src/linux-headers-*-amd64 /lib/modules/*/build; do
		[[ -d $d ]] || continue
		case $d in
		/usr/src/*) echo "${d#/usr/src/linux-headers-}" ;;
		*) basename "$(dirname "$d")" ;;
		esac
	done | sort -uV
}

pick()
{
	local want=$1 k best=

	for k in $(candidates); do
		case $want in
		headers) has_headers "$k" && best=$k ;;
		vm) can_boot "$k" && best=$k ;;
		esac
	done
	[[ -n $best ]] || return 1
	echo "$best"
}

case ${1:-headers} in
headers|vm) pick "${1:-headers}" ;;
*) echo "usage: $0 [headers|vm]" >&2; exit 2 ;;
esac
